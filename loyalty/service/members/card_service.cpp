#include "loyalty/service/members/card_service.h"

#include <soci/soci.h>

#include <algorithm>
#include <stdexcept>

#include "loyalty/core/card_number.h"
#include "loyalty/core/card_range.h"
#include "loyalty/core/primary_card.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

constexpr std::size_t kReasonMax = 200;
constexpr core::StaffRoles kCardStaff{core::StaffRole::kAdmin, core::StaffRole::kSupport};

core::Result<void> check(const StaffIdentity& staff, const std::string& number, const std::string& reason) {
    if (!may(staff, kCardStaff)) return fail(ErrorCode::kForbidden, "only admin and support staff change cards");
    if (!core::is_valid_card_number(number)) {
        return fail(ErrorCode::kCardNumberInvalid, "this is not a valid card number (check digit)", "number");
    }
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos || reason.size() > kReasonMax) {
        return fail(ErrorCode::kValidationFailed, "give a reason of 1 to 200 characters", "reason",
                    reason.size() > kReasonMax ? core::Reason{} : core::reason(core::ReasonKind::kRequired));
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

// The member, with its account row locked as every writer for a member takes it first, when it is
// the program's (MEMBER_NOT_FOUND) and neither erased nor merged (NOT_AVAILABLE).
core::Result<store::MemberRecord> active_member(soci::session& sql, const StaffIdentity& staff, long long member_id) {
    const auto account = store::find_account(sql, member_id, true);
    const auto member = store::find_member(sql, member_id);
    if (!account || !member || member->program_id != staff.program_id) {
        return fail(ErrorCode::kMemberNotFound, "no member with this id", "id");
    }
    if (member->status != core::MemberStatus::kActive) {
        return fail(ErrorCode::kNotAvailable,
                    "this member is " + std::string(core::to_string(member->status)) + " and gets no card", "id");
    }
    return *member;
}

// The number staff typed for a pre-printed card, when one of the program's ranges holds it.
core::Result<void> check_pre_printed(soci::session& sql, long long program_id, const std::string& number) {
    if (!core::is_valid_card_number(number)) {
        return fail(ErrorCode::kCardNumberInvalid, "this is not a valid card number (check digit)", "number");
    }
    const auto ranges = store::card_ranges_of_length(sql, number.size());
    const bool held = std::any_of(ranges.begin(), ranges.end(), [&](const store::CardRangeRecord& range) {
        return range.program_id == program_id && core::in_card_range(range.range, number);
    });
    if (!held) {
        return fail(ErrorCode::kValidationFailed,
                    "this number is in none of the program's pre-printed card ranges (GET /v1/program/card-ranges)",
                    "number");
    }
    return {};
}

// The number of the card staff chose as the primary, read with the cards; "" when none.
std::string chosen_primary(const std::vector<store::CardRecord>& cards) {
    const auto chosen = std::ranges::find_if(cards, &store::CardRecord::chosen_primary);
    return chosen == cards.end() ? std::string() : chosen->number;
}

}  // namespace

std::string fresh_card_number(soci::session& sql, const std::string& prefix, crypto::RandomSource& random) {
    for (int attempt = 0; attempt < 16; ++attempt) {
        std::string number = core::make_card_number(prefix, random.digits(core::kCardBodyDigits));
        if (!store::find_card(sql, number) && !store::card_range_holds(sql, number)) return number;
    }
    throw std::runtime_error("no free card number after 16 draws; the random source is broken");
}

std::vector<CardView> member_cards(soci::session& sql, long long member_id) {
    return card_views(store::find_cards_of_member(sql, member_id));
}

std::vector<CardView> card_views(const std::vector<store::CardRecord>& records) {
    const auto primary = core::primary_card_index(records, chosen_primary(records));
    std::vector<CardView> cards;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const store::CardRecord& card = records[i];
        cards.push_back(CardView{card.number, card.kind, card.state, primary == i, card.issued_at,
                                 card.state_changed_at, card.state_reason});
    }
    std::stable_partition(cards.begin(), cards.end(), [](const CardView& card) { return card.primary; });
    return cards;
}

CardService::CardService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                         crypto::RandomSource& random)
    : database_(database), keys_(keys), clock_(clock), random_(random) {}

core::Result<CardView> CardService::issue(const StaffIdentity& staff, long long member_id,
                                          const core::CardIssue& issue) {
    if (!may(staff, kCardStaff)) return fail(ErrorCode::kForbidden, "only admin and support staff issue cards");
    return database_.transact_for<CardView>([&](soci::session& sql) -> core::Result<CardView> {
        auto member = active_member(sql, staff, member_id);
        if (!member) return std::unexpected(member.error());
        const std::vector<store::CardRecord> held = store::find_cards_of_member(sql, member_id);
        const auto holding = std::count_if(held.begin(), held.end(),
                                           [](const store::CardRecord& card) { return !core::is_final(card.state); });
        if (static_cast<std::size_t>(holding) >= kCardsHeldMax) {
            return fail(ErrorCode::kNotAvailable,
                        "this member holds " + std::to_string(kCardsHeldMax) +
                            " cards already (active, blocked or lost); close one before issuing another");
        }
        std::string number;
        if (issue.number) {
            if (auto pre_printed = check_pre_printed(sql, staff.program_id, *issue.number); !pre_printed) {
                return std::unexpected(pre_printed.error());
            }
            number = *issue.number;
        } else {
            number = fresh_card_number(sql, store::find_program(sql, staff.program_id)->card_prefix, random_);
        }
        const core::Timestamp now = clock_.now();
        if (!store::insert_card_unless_taken(sql, {number, member_id, issue.kind, core::CardState::kActive}, now)) {
            return fail(ErrorCode::kCardNumberTaken, "a card with this number is issued already", "number");
        }
        const bool primary = issue.primary || !core::primary_card_index(held, chosen_primary(held));
        if (primary) store::set_primary_card(sql, member_id, number);
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kCardIssue, "member", member_id,
                             primary ? "cards,primary_card" : "cards"},
                            now);
        const std::vector<CardView> cards = member_cards(sql, member_id);
        return *std::find_if(cards.begin(), cards.end(), [&](const CardView& card) { return card.number == number; });
    });
}

core::Result<std::vector<CardView>> CardService::cards(const StaffIdentity& staff, long long member_id) {
    if (!may(staff, kCardStaff)) return fail(ErrorCode::kForbidden, "only admin and support staff read cards");
    return database_.run_for<std::vector<CardView>>([&](soci::session& sql) -> core::Result<std::vector<CardView>> {
        const auto member = store::find_member(sql, member_id);
        if (!member || member->program_id != staff.program_id) {
            return fail(ErrorCode::kMemberNotFound, "no member with this id", "id");
        }
        return member_cards(sql, member_id);
    });
}

core::Result<std::vector<CardView>> CardService::choose_primary(const StaffIdentity& staff, long long member_id,
                                                                const std::string& number) {
    if (!may(staff, kCardStaff)) return fail(ErrorCode::kForbidden, "only admin and support staff change cards");
    if (!core::is_valid_card_number(number)) {
        return fail(ErrorCode::kCardNumberInvalid, "this is not a valid card number (check digit)", "number");
    }
    return database_.transact_for<std::vector<CardView>>(
        [&](soci::session& sql) -> core::Result<std::vector<CardView>> {
            auto member = active_member(sql, staff, member_id);
            if (!member) return std::unexpected(member.error());
            const auto card = store::find_card(sql, number, true);
            if (!card || card->member_id != member_id) {
                return fail(ErrorCode::kCardNotFound, "this member has no card with this number", "number");
            }
            if (auto active = core::check_card_active(card->state, "number"); !active) {
                return std::unexpected(active.error());
            }
            const core::Timestamp now = clock_.now();
            store::set_primary_card(sql, member_id, number);
            store::insert_audit(sql, keys_,
                                {staff.program_id, audit_actor(staff), core::AuditAction::kCardPrimary, "member",
                                 member_id, "primary_card"},
                                now);
            return member_cards(sql, member_id);
        });
}

core::Result<store::CardRecord> CardService::set_state(const StaffIdentity& staff, const std::string& number,
                                                       std::optional<core::CardState> state,
                                                       const std::string& reason) {
    if (auto checked = check(staff, number, reason); !checked) return std::unexpected(checked.error());
    if (!state || *state == core::CardState::kReplaced) {
        return fail(ErrorCode::kValidationFailed, "must be active, blocked, lost or closed", "state",
                    core::reason(core::ReasonKind::kOneOf));
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
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::card_state_action(*state), "member",
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
        const std::vector<CardView> before = member_cards(sql, card->member_id);
        const bool was_primary = !before.empty() && before.front().primary && before.front().number == number;
        store::CardRecord fresh{fresh_card_number(sql, program->card_prefix, random_), card->member_id, card->kind,
                                core::CardState::kActive};
        store::insert_card(sql, fresh, now);
        store::set_card_state(sql, number, core::CardState::kReplaced, reason, now);
        if (was_primary) store::set_primary_card(sql, card->member_id, fresh.number);
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kCardReplace, "member",
                             card->member_id, was_primary ? "cards,primary_card" : "cards"},
                            now);
        return fresh;
    });
}

core::Result<store::CardRangeRecord> CardService::register_range(const StaffIdentity& staff,
                                                                 const core::CardRangeRegistration& registration) {
    if (!may(staff, {core::StaffRole::kAdmin})) {
        return fail(ErrorCode::kForbidden, "only admin staff register card ranges");
    }
    if (auto checked = core::check_card_range(registration.range); !checked) return std::unexpected(checked.error());
    return database_.transact_for<store::CardRangeRecord>(
        [&](soci::session& sql) -> core::Result<store::CardRangeRecord> {
            store::lock_card_ranges(sql);
            if (store::count_card_ranges(sql, staff.program_id) >= static_cast<long long>(kCardRangesMax)) {
                return fail(ErrorCode::kNotAvailable,
                            "a program registers at most " + std::to_string(kCardRangesMax) + " card ranges");
            }
            for (const store::CardRangeRecord& other :
                 store::card_ranges_of_length(sql, registration.range.first.size())) {
                if (!core::card_ranges_overlap(other.range, registration.range)) continue;
                // Another program's range is not named: its name is that program's business.
                const std::string whose =
                    other.program_id == staff.program_id
                        ? "the range \"" + other.name + "\" (" + other.range.first + " to " + other.range.last + ")"
                        : "another program's range";
                return fail(ErrorCode::kCardNumberTaken, "these numbers overlap " + whose, "first");
            }
            const core::Timestamp now = clock_.now();
            store::CardRangeRecord range{0, staff.program_id, registration.name, registration.range, now};
            range.id = store::insert_card_range(sql, range, now);
            range.issued = store::count_cards_in_range(sql, range.range);
            store::insert_audit(sql, keys_,
                                {staff.program_id, audit_actor(staff), core::AuditAction::kCardRangeRegister,
                                 "card_range", range.id, "name,first_number,last_number"},
                                now);
            return range;
        });
}

core::Result<std::vector<store::CardRangeRecord>> CardService::ranges(const StaffIdentity& staff) {
    if (!may(staff, kCardStaff)) return fail(ErrorCode::kForbidden, "only admin and support staff read card ranges");
    return database_.run_for<std::vector<store::CardRangeRecord>>(
        [&](soci::session& sql) -> core::Result<std::vector<store::CardRangeRecord>> {
            return store::card_ranges_of_program(sql, staff.program_id);
        });
}

}  // namespace patron::service
