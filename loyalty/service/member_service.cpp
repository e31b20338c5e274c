#include "loyalty/service/member_service.h"

#include <soci/soci.h>

#include "crypto/blind_index.h"
#include "crypto/envelope.h"
#include "loyalty/core/card_number.h"
#include "loyalty/service/member_vault.h"
#include "loyalty/store/member_store.h"
#include "loyalty/store/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

constexpr std::size_t kNameMax = 200;

core::Result<core::MemberProfile> normalise(const MemberApplication& application, const store::ProgramRecord& program) {
    core::MemberProfile profile;
    if (application.full_name.find_first_not_of(" \t") == std::string::npos) {
        return fail(ErrorCode::kValidationFailed, "full_name is required", "full_name");
    }
    if (application.full_name.size() > kNameMax) {
        return fail(ErrorCode::kValidationFailed, "full_name is longer than 200 bytes", "full_name");
    }
    profile.full_name = application.full_name;
    if (!application.phone && !application.email) {
        return fail(ErrorCode::kValidationFailed, "give a phone or an email (or both)", "phone");
    }
    if (application.phone) {
        auto phone = core::normalise_phone(*application.phone, program.country_calling_code, "phone");
        if (!phone) return std::unexpected(phone.error());
        profile.phone = *phone;
    }
    if (application.email) {
        auto email = core::normalise_email(*application.email, "email");
        if (!email) return std::unexpected(email.error());
        profile.email = *email;
    }
    if (application.birth_date) {
        profile.birth_date = core::parse_date(*application.birth_date);
        if (!profile.birth_date) {
            return fail(ErrorCode::kValidationFailed, "birth_date must be a date YYYY-MM-DD", "birth_date");
        }
    }
    profile.language = application.language;
    return profile;
}

Balance balance_of(const store::AccountRecord& account, const std::string& currency) {
    return Balance{
        account.member_id, account.points_available, account.points_pending, account.cashback_balance, currency,
        account.tier};
}

core::Result<store::ProgramRecord> program_of(soci::session& sql, long long program_id) {
    auto program = store::find_program(sql, program_id);
    if (!program) return fail(ErrorCode::kInternal, "program " + std::to_string(program_id) + " is missing");
    return *program;
}

// The member when it exists in this program; members of other programs do not exist here.
core::Result<store::MemberRecord> member_of(soci::session& sql, long long program_id, long long member_id) {
    auto member = store::find_member(sql, member_id);
    if (!member || member->program_id != program_id) {
        return fail(ErrorCode::kMemberNotFound, "no member with this id", "id");
    }
    return *member;
}

}  // namespace

MemberService::MemberService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                             crypto::RandomSource& random)
    : database_(database), keys_(keys), clock_(clock), random_(random) {}

core::Result<EnrolledMember> MemberService::enrol(long long program_id, const MemberApplication& application) {
    return database_.transact_for<EnrolledMember>([&](soci::session& sql) -> core::Result<EnrolledMember> {
        const core::Timestamp now = clock_.now();
        auto program = program_of(sql, program_id);
        if (!program) return std::unexpected(program.error());
        auto profile = normalise(application, *program);
        if (!profile) return std::unexpected(profile.error());

        const long long member_id = store::insert_member_row(sql, program_id, profile->language, now);
        if (profile->phone && !store::insert_lookup(sql, program_id, store::LookupKind::kPhone,
                                                    crypto::blind_index(keys_, "phone", *profile->phone), member_id)) {
            return fail(ErrorCode::kMemberExists, "a member with this phone already exists", "phone");
        }
        if (profile->email && !store::insert_lookup(sql, program_id, store::LookupKind::kEmail,
                                                    crypto::blind_index(keys_, "email", *profile->email), member_id)) {
            return fail(ErrorCode::kMemberExists, "a member with this email already exists", "email");
        }
        const crypto::SecretBytes data_key = crypto::new_data_key(random_);
        const crypto::WrappedKey wrapped = crypto::wrap_data_key(keys_, data_key, data_key_binding(member_id), random_);
        store::store_sealed_profile(sql, member_id, wrapped, seal_profile(data_key, member_id, *profile, random_), now);

        store::CardRecord card{core::make_card_number(program->card_prefix, random_.digits(core::kCardBodyDigits)), member_id,
                               "virtual", "active"};
        store::insert_card(sql, card, now);
        store::insert_account(sql, member_id, kBaseTier, now);
        return EnrolledMember{member_id, card.number};
    });
}

core::Result<MemberView> MemberService::get(long long program_id, long long member_id) {
    return database_.run_for<MemberView>([&](soci::session& sql) -> core::Result<MemberView> {
        auto member = member_of(sql, program_id, member_id);
        if (!member) return std::unexpected(member.error());
        MemberView view{member->id, member->status, open_profile(keys_, *member), {}, member->created_at};
        for (const store::CardRecord& card : store::find_cards_of_member(sql, member_id)) {
            view.cards.push_back(CardView{card.number, card.kind, card.state});
        }
        return view;
    });
}

core::Result<Balance> MemberService::balance(long long program_id, long long member_id) {
    return database_.run_for<Balance>([&](soci::session& sql) -> core::Result<Balance> {
        auto member = member_of(sql, program_id, member_id);
        if (!member) return std::unexpected(member.error());
        auto program = program_of(sql, program_id);
        if (!program) return std::unexpected(program.error());
        auto account = store::find_account(sql, member_id, false);
        if (!account) return fail(ErrorCode::kInternal, "member " + std::to_string(member_id) + " has no account");
        return balance_of(*account, program->currency);
    });
}

core::Result<CardHolder> MemberService::lookup_card(long long program_id, const std::string& number) {
    if (!core::is_valid_card_number(number)) {
        return fail(ErrorCode::kCardNumberInvalid, "this is not a valid card number (check digit)", "number");
    }
    return database_.run_for<CardHolder>([&](soci::session& sql) -> core::Result<CardHolder> {
        auto card = store::find_card(sql, number);
        if (!card) return fail(ErrorCode::kCardNotFound, "no card with this number", "number");
        auto member = member_of(sql, program_id, card->member_id);
        if (!member) return fail(ErrorCode::kCardNotFound, "no card with this number", "number");
        // The till shows the cashier why the card does not work (the same codes as a purchase).
        if (card->state == "blocked" || card->state == "lost") {
            return fail(ErrorCode::kCardBlocked, "this card is blocked", "number");
        }
        if (card->state != "active") return fail(ErrorCode::kCardClosed, "this card is closed", "number");
        auto program = program_of(sql, program_id);
        if (!program) return std::unexpected(program.error());
        auto account = store::find_account(sql, card->member_id, false);
        if (!account) return fail(ErrorCode::kInternal, "member has no account");
        const auto profile = open_profile(keys_, *member);
        return CardHolder{card->number, card->state, profile ? core::masked_name(profile->full_name) : "***",
                          balance_of(*account, program->currency)};
    });
}

}  // namespace patron::service
