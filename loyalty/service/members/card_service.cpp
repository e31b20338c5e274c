#include "loyalty/service/members/card_service.h"

#include <soci/soci.h>

#include <stdexcept>

#include "loyalty/core/card_number.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

constexpr std::size_t kReasonMax = 200;

core::Result<void> check(const StaffIdentity& staff, const std::string& number, const std::string& reason) {
    if (!may(staff, {core::StaffRole::kAdmin, core::StaffRole::kSupport})) {
        return fail(ErrorCode::kForbidden, "only admin and support staff change cards");
    }
    if (!core::is_valid_card_number(number)) {
        return fail(ErrorCode::kCardNumberInvalid, "this is not a valid card number (check digit)", "number");
    }
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos || reason.size() > kReasonMax) {
        return fail(ErrorCode::kValidationFailed, "give a reason of 1 to 200 characters", "reason");
    }
    return {};
}

// The card, locked, when it belongs to the staff member's program.
core::Result<store::CardRecord> program_card(soci::session& sql, const StaffIdentity& staff,
                                             const std::string& number) {
    auto card = store::find_card(sql, number, true);
    const auto member = card ? store::find_member(sql, card->member_id) : std::nullopt;
    if (!card || !member || member->program_id != staff.program_id) {
        return fail(ErrorCode::kCardNotFound, "no card with this number", "number");
    }
    return *card;
}

}  // namespace

std::string fresh_card_number(soci::session& sql, const std::string& prefix, crypto::RandomSource& random) {
    for (int attempt = 0; attempt < 16; ++attempt) {
        std::string number = core::make_card_number(prefix, random.digits(core::kCardBodyDigits));
        if (!store::find_card(sql, number)) return number;
    }
    throw std::runtime_error("no free card number after 16 draws; the random source is broken");
}

CardService::CardService(store::Database& database, const Clock& clock, crypto::RandomSource& random)
    : database_(database), clock_(clock), random_(random) {}

core::Result<store::CardRecord> CardService::set_state(const StaffIdentity& staff, const std::string& number,
                                                       std::optional<core::CardState> state,
                                                       const std::string& reason) {
    if (auto checked = check(staff, number, reason); !checked) return std::unexpected(checked.error());
    if (!state || *state == core::CardState::kReplaced) {
        return fail(ErrorCode::kValidationFailed, "must be active, blocked, lost or closed", "state");
    }
    return database_.transact_for<store::CardRecord>([&](soci::session& sql) -> core::Result<store::CardRecord> {
        auto card = program_card(sql, staff, number);
        if (!card) return card;
        if (core::is_final(card->state)) {
            return fail(ErrorCode::kCardClosed,
                        "this card is " + std::string(core::to_string(card->state)) + " for good", "number");
        }
        const core::Timestamp now = clock_.now();
        store::set_card_state(sql, number, *state, reason, now);
        store::insert_audit(sql,
                            {staff.program_id, staff.label, "card." + std::string(core::to_string(*state)), "member",
                             card->member_id, "cards.state,cards.state_reason"},
                            now);
        card->state = *state;
        return card;
    });
}

core::Result<store::CardRecord> CardService::replace(const StaffIdentity& staff, const std::string& number,
                                                     const std::string& reason) {
    if (auto checked = check(staff, number, reason); !checked) return std::unexpected(checked.error());
    return database_.transact_for<store::CardRecord>([&](soci::session& sql) -> core::Result<store::CardRecord> {
        auto card = program_card(sql, staff, number);
        if (!card) return card;
        if (core::is_final(card->state)) {
            return fail(ErrorCode::kCardClosed,
                        "this card is " + std::string(core::to_string(card->state)) + " for good", "number");
        }
        const auto program = store::find_program(sql, staff.program_id);
        const core::Timestamp now = clock_.now();
        store::CardRecord fresh{fresh_card_number(sql, program->card_prefix, random_), card->member_id, card->kind,
                                core::CardState::kActive};
        store::insert_card(sql, fresh, now);
        store::set_card_state(sql, number, core::CardState::kReplaced, reason, now);
        store::insert_audit(sql, {staff.program_id, staff.label, "card.replace", "member", card->member_id, "cards"},
                            now);
        return fresh;
    });
}

}  // namespace patron::service
