#include "loyalty/service/members/member_service.h"

#include <soci/soci.h>

#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "crypto/blind_index.h"
#include "crypto/envelope.h"
#include "loyalty/core/card_number.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/core/stamps.h"
#include "loyalty/service/members/card_service.h"
#include "loyalty/service/members/member_password_check.h"
#include "loyalty/service/posting/member_vault.h"
#include "loyalty/service/posting/referral_postings.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/events/outbox_store.h"
#include "loyalty/store/ledger/stamp_store.h"
#include "loyalty/store/members/member_history_store.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

constexpr std::size_t kNameMax = 200;

// `check_zone`: whether the time zone is judged (at enrolment, and when an update changes it): a
// zone kept from before stays, even one the zone database has since dropped, so that it does not
// refuse every other change of hers.
core::Result<core::MemberProfile> normalise(const MemberApplication& application, const store::ProgramRecord& program,
                                            bool check_zone = true) {
    core::MemberProfile profile;
    if (application.full_name.find_first_not_of(" \t") == std::string::npos) {
        return fail(ErrorCode::kValidationFailed, "full_name is required", "full_name",
                    core::reason(core::ReasonKind::kRequired));
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
    if (application.gender && *application.gender != "female" && *application.gender != "male" &&
        *application.gender != "other") {
        return fail(ErrorCode::kValidationFailed, "gender must be female, male or other", "gender");
    }
    profile.gender = application.gender;
    if (application.city && (application.city->empty() || application.city->size() > 100)) {
        return fail(ErrorCode::kValidationFailed, "city must be 1 to 100 bytes", "city");
    }
    profile.city = application.city;
    if (application.postal_code &&
        (application.postal_code->empty() || application.postal_code->size() > 20 ||
         application.postal_code->find_first_not_of(
             "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz -") != std::string::npos)) {
        return fail(ErrorCode::kValidationFailed, "postal_code must be 1 to 20 letters, digits, spaces or dashes",
                    "postal_code");
    }
    profile.postal_code = application.postal_code;
    if (check_zone && application.time_zone &&
        (application.time_zone->size() > 64 || !is_known_time_zone(*application.time_zone))) {
        return fail(ErrorCode::kValidationFailed,
                    "time_zone must be a zone of the tz database, such as Asia/Tehran or Europe/Berlin", "time_zone");
    }
    profile.time_zone = application.time_zone;
    if (application.consents.terms_version &&
        (application.consents.terms_version->empty() || application.consents.terms_version->size() > 32)) {
        return fail(ErrorCode::kValidationFailed, "must be 1 to 32 characters", "consents.terms_version",
                    core::short_text(application.consents.terms_version->size(), 1, 32));
    }
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

MemberView view_of(soci::session& sql, const crypto::KeyRing& keys, const store::MemberRecord& member) {
    return MemberView{member.id,
                      member.status,
                      open_profile(keys, member),
                      member_cards(sql, member.id),
                      member.created_at,
                      store::find_consents(sql, member.id)};
}

// The application a stored profile amounts to, so that a partial update is checked like an enrolment.
MemberApplication application_of(const core::MemberProfile& profile) {
    return MemberApplication{profile.full_name,
                             profile.phone,
                             profile.email,
                             profile.birth_date ? std::optional(core::format_date(*profile.birth_date)) : std::nullopt,
                             profile.language,
                             profile.gender,
                             profile.city,
                             profile.postal_code,
                             {},
                             profile.time_zone};
}

// Moves a blind index from the old value to the new one; false when the new one is another member's.
bool move_lookup(soci::session& sql, const crypto::KeyRing& keys, long long program_id, long long member_id,
                 store::LookupKind kind, const std::optional<std::string>& before,
                 const std::optional<std::string>& after) {
    if (before == after) return true;
    const char* domain = kind == store::LookupKind::kPhone ? "phone" : "email";
    store::delete_lookups(sql, member_id, kind);
    return !after || store::insert_lookup(sql, program_id, kind, crypto::blind_index(keys, domain, *after), member_id);
}

core::Result<void> check_history_limit(int limit) {
    if (limit < 1 || limit > kHistoryPageMax) {
        return fail(ErrorCode::kValidationFailed, "limit is 1 to " + std::to_string(kHistoryPageMax), "limit");
    }
    return {};
}

// What every page of a member's history needs: the member known in the program, and the language
// and currency its sentences are written in.
struct HistoryWording {
    std::string language_code;  // The member's, else the program's.
    core::Language language;
    core::Currency currency;  // The program's, for movements without a purchase.
};

core::Result<HistoryWording> history_wording(soci::session& sql, long long program_id, long long member_id) {
    auto member = member_of(sql, program_id, member_id);
    if (!member) return std::unexpected(member.error());
    auto program = program_of(sql, program_id);
    if (!program) return std::unexpected(program.error());
    const std::string code = member->language.value_or(program->language);
    return HistoryWording{code, core::language_from_code(code),
                          core::find_currency(program->currency).value_or(core::Currency{"IRR", 0})};
}

// A page read with one entry more than `limit`: the extra one is dropped, and the id of the last
// entry kept (`id_of`) goes on with the next page. 0 when nothing was left over.
template <typename Item, typename Id>
long long trim_page(std::vector<Item>& items, int limit, Id id_of) {
    if (items.size() <= static_cast<std::size_t>(limit)) return 0;
    items.resize(static_cast<std::size_t>(limit));
    return id_of(items.back());
}

// Each stamp card change's card named as the rules in force name it, and described.
void describe_stamps(const std::vector<core::StampCard>& cards, core::Language language,
                     std::vector<core::StampHistoryItem>& items, std::vector<std::string>& descriptions) {
    for (core::StampHistoryItem& item : items) {
        for (const core::StampCard& card : cards) {
            if (card.id != item.card_id) continue;
            item.card_name = card.name;
            for (const core::CollectionItem& collected : card.items) {
                if (collected.id == item.item) item.item_name = collected.name;
            }
        }
        descriptions.push_back(core::describe(item, language));
    }
}

// The names of the fields an enrolment gave, in alphabetical order as an update's are, for the
// audit (never their values).
std::string given_fields(const MemberApplication& application) {
    const ConsentChange& consents = application.consents;
    const std::pair<bool, const char*> given[] = {
        {application.birth_date.has_value(), "birth_date"},
        {application.city.has_value(), "city"},
        {consents.terms_version || consents.marketing_sms || consents.marketing_email, "consents"},
        {application.email.has_value(), "email"},
        {true, "full_name"},
        {application.gender.has_value(), "gender"},
        {application.language.has_value(), "language"},
        {application.phone.has_value(), "phone"},
        {application.postal_code.has_value(), "postal_code"},
        {application.time_zone.has_value(), "time_zone"},
    };
    std::string fields;
    for (const auto& [is_given, name] : given) {
        if (is_given) fields += (fields.empty() ? "" : ",") + std::string(name);
    }
    return fields;
}

}  // namespace

core::Consents apply_consents(core::Consents consents, const ConsentChange& change, core::Timestamp now) {
    if (change.terms_version && change.terms_version != consents.terms_version) {
        consents.terms_version = change.terms_version;
        consents.terms_accepted_at = now;
    }
    if (change.marketing_sms && (*change.marketing_sms != consents.marketing_sms || !consents.marketing_sms_at)) {
        consents.marketing_sms = *change.marketing_sms;
        consents.marketing_sms_at = now;
    }
    if (change.marketing_email &&
        (*change.marketing_email != consents.marketing_email || !consents.marketing_email_at)) {
        consents.marketing_email = *change.marketing_email;
        consents.marketing_email_at = now;
    }
    return consents;
}

MemberService::MemberService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                             crypto::RandomSource& random)
    : database_(database), keys_(keys), clock_(clock), random_(random) {}

core::Result<EnrolledMember> MemberService::enrol(const StaffIdentity& staff, const MemberApplication& application) {
    const store::AuditActor actor = audit_actor(staff);
    return enrol_member(staff.program_id, &actor, application);
}

core::Result<EnrolledMember> MemberService::enrol_unattended(long long program_id,
                                                             const MemberApplication& application) {
    return enrol_member(program_id, nullptr, application);
}

core::Result<EnrolledMember> MemberService::check_enrolment(const StaffIdentity& staff,
                                                            const MemberApplication& application) {
    const store::AuditActor actor = audit_actor(staff);
    return enrol_member(staff.program_id, &actor, application, Enrolment::kCheckOnly);
}

core::Result<EnrolledMember> MemberService::enrol_member(long long program_id, const store::AuditActor* actor,
                                                         const MemberApplication& application, Enrolment mode) {
    // A check only: the whole enrolment, then rolled back by an error of its own, which the
    // outcome it kept replaces.
    std::optional<EnrolledMember> checked;
    auto enrolled = database_.transact_for<EnrolledMember>([&](soci::session& sql) -> core::Result<EnrolledMember> {
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

        store::CardRecord card{fresh_card_number(sql, program->card_prefix, random_), member_id, "virtual",
                               core::CardState::kActive};
        store::insert_card(sql, card, now);
        store::set_primary_card(sql, member_id, card.number);
        store::insert_account(sql, member_id, kBaseTier, now);
        if (application.referral_code) {
            if (auto referred = refer_friend(sql, program_id, member_id, *application.referral_code, now); !referred) {
                return std::unexpected(referred.error());
            }
        }
        store::store_consents(
            sql, member_id, {}, apply_consents({}, application.consents, now),
            actor ? store::ConsentChanger{"staff", actor->staff_user_id} : store::ConsentChanger{"enrolment"});
        if (actor) {
            store::insert_audit(
                sql, keys_,
                {program_id, *actor, core::AuditAction::kMemberEnrol, "member", member_id, given_fields(application)},
                now);
        }
        store::add_event(sql, core::member_event(core::EventType::kMemberEnrolled, program_id, member_id, now));
        if (mode == Enrolment::kCheckOnly) {
            checked = EnrolledMember{member_id, card.number};
            return fail(ErrorCode::kInternal, "an enrolment checked only is rolled back");
        }
        return EnrolledMember{member_id, card.number};
    });
    if (mode == Enrolment::kCheckOnly && checked) return *checked;
    return enrolled;
}

core::Result<MemberView> MemberService::get(long long program_id, long long member_id) {
    return database_.run_for<MemberView>([&](soci::session& sql) -> core::Result<MemberView> {
        auto member = member_of(sql, program_id, member_id);
        if (!member) return std::unexpected(member.error());
        return view_of(sql, keys_, *member);
    });
}

std::vector<core::StampCard> MemberService::stamp_cards_in_force(soci::session& sql, long long program_id) {
    const auto rules = rule_sets_.in_force(sql, program_id, clock_.now());
    return rules ? (*rules)->stamp_cards : std::vector<core::StampCard>{};
}

core::Result<Balance> MemberService::balance(long long program_id, long long member_id, FoldedCheck* check) {
    return database_.run_for<Balance>([&](soci::session& sql) -> core::Result<Balance> {
        const core::Timestamp now = clock_.now();
        // The rules in force as the programme's policies kept in memory say: a guess that lets the
        // tier measure be read with the member. balance_outlook uses what was read only when the
        // rules in force by the settings version read with the member measure the same over the
        // same window, and reads the measure again otherwise.
        std::shared_ptr<const core::RuleSet> guessed;
        if (std::optional<store::ProgramPolicies> kept = rule_sets_.kept_policies(program_id)) {
            kept->rule_set_version = core::rule_set_in_force(kept->rule_sets, now);
            if (auto rules = rule_sets_.in_force(sql, program_id, now, &*kept)) guessed = *rules;
        }
        // Member, account, currency and what they hold in one read; members of other programs do
        // not exist here.
        HeldRead read = held_read(member_id, guessed.get(), now);
        const std::size_t checked_at = read.columns.size();  // The caller's check, after what the balance reads.
        if (check) read.columns.push_back(check->column());
        auto found = store::find_member_with_account(sql, member_id, read.columns);
        // The caller's identity first: no answer, not even that there is no such member, on a
        // token that changed (the server checks it again when no member row carried the check).
        if (found && check && !check->settle(found->also.at(checked_at))) {
            return fail(ErrorCode::kUnauthenticated, "the bearer token is unknown or expired");
        }
        if (!found || found->member.program_id != program_id) {
            return fail(ErrorCode::kMemberNotFound, "no member with this id", "id");
        }
        if (!found->account) {
            return fail(ErrorCode::kInternal, "member " + std::to_string(member_id) + " has no account");
        }
        // The stamp cards, tiers and time zone in force, parsed once per version; the programme's
        // policies from memory while the settings version read with the member stands.
        store::ProgramPolicies policies = rule_sets_.policies(sql, program_id, found->settings_version);
        policies.rule_set_version = core::rule_set_in_force(policies.rule_sets, now);
        const auto rules = rule_sets_.in_force(sql, program_id, now, &policies);
        if (!rules) return std::unexpected(rules.error());
        Balance balance = balance_of(*found->account, found->currency);
        const auto progress = stamp_progress_read(found->also);
        for (const core::StampCard& card : (*rules)->stamp_cards) {
            const auto held = progress.find(card.id);
            const core::StampProgress stamps = held == progress.end() ? core::StampProgress{} : held->second;
            const bool collection = card.basis == core::StampBasis::kCollection;
            balance.stamps.push_back({card, collection ? core::held_items(stamps) : stamps.stamps, stamps.items});
        }
        balance.outlook = balance_outlook(
            sql, **rules, member_id, store::MemberTier{found->account->tier, found->tier_secured_until, std::nullopt},
            read, found->also, now);
        return balance;
    });
}

core::Result<HistoryPage> MemberService::history(long long program_id, long long member_id, long long before,
                                                 int limit) {
    if (auto checked = check_history_limit(limit); !checked) return std::unexpected(checked.error());
    return database_.run_for<HistoryPage>([&](soci::session& sql) -> core::Result<HistoryPage> {
        auto wording = history_wording(sql, program_id, member_id);
        if (!wording) return std::unexpected(wording.error());
        HistoryPage page;
        page.language = wording->language_code;
        const core::Language language = wording->language;
        page.items = store::member_history(sql, member_id, before > 0 ? before : std::numeric_limits<long long>::max(),
                                           limit + 1);
        page.next_before = trim_page(page.items, limit, [](const core::HistoryItem& item) { return item.transfer_id; });
        for (const core::HistoryItem& item : page.items) page.descriptions.push_back(core::describe(item, language));
        if (before > 0) return page;
        const core::Currency& currency = wording->currency;
        page.cashback = store::member_history(sql, member_id, std::numeric_limits<long long>::max(), limit,
                                              core::HistoryBook::kCashback);
        for (const core::HistoryItem& item : page.cashback) {
            page.cashback_descriptions.push_back(core::describe(item, language, currency));
        }
        page.coupons = store::coupon_history(sql, member_id, limit);
        for (const core::CouponHistoryItem& item : page.coupons) {
            page.coupon_descriptions.push_back(core::describe(item, language, currency));
        }
        page.stamps = store::stamp_history(sql, member_id, limit);
        describe_stamps(stamp_cards_in_force(sql, program_id), language, page.stamps, page.stamp_descriptions);
        page.draws = store::draw_history(sql, member_id, limit);
        for (const core::DrawHistoryItem& item : page.draws) {
            page.draw_descriptions.push_back(core::describe(item, language));
        }
        return page;
    });
}

core::Result<HistoryListPage> MemberService::history_list(long long program_id, long long member_id,
                                                          core::HistoryList list, long long before, int limit) {
    if (auto checked = check_history_limit(limit); !checked) return std::unexpected(checked.error());
    return database_.run_for<HistoryListPage>([&](soci::session& sql) -> core::Result<HistoryListPage> {
        auto wording = history_wording(sql, program_id, member_id);
        if (!wording) return std::unexpected(wording.error());
        HistoryListPage page;
        page.list = list;
        page.language = wording->language_code;
        const auto id_of = [](const auto& item) { return static_cast<long long>(item.id); };
        if (list == core::HistoryList::kStamps) {
            page.stamps = store::stamp_history(sql, member_id, limit + 1, before);
            page.next_before = trim_page(page.stamps, limit, id_of);
            describe_stamps(stamp_cards_in_force(sql, program_id), wording->language, page.stamps, page.descriptions);
        } else if (list == core::HistoryList::kCoupons) {
            page.coupons = store::coupon_history(sql, member_id, limit + 1, before);
            page.next_before = trim_page(page.coupons, limit, id_of);
            for (const core::CouponHistoryItem& item : page.coupons) {
                page.descriptions.push_back(core::describe(item, wording->language, wording->currency));
            }
        } else if (list == core::HistoryList::kDraws) {
            page.draws = store::draw_history(sql, member_id, limit + 1, before);
            page.next_before = trim_page(page.draws, limit, id_of);
            for (const core::DrawHistoryItem& item : page.draws) {
                page.descriptions.push_back(core::describe(item, wording->language));
            }
        } else {
            const auto book =
                list == core::HistoryList::kCashback ? core::HistoryBook::kCashback : core::HistoryBook::kPoints;
            store::MovementPage found =
                store::member_movements(sql, member_id, book, core::transfer_kinds(list), before, limit + 1);
            page.movements = std::move(found.items);
            page.next_before =
                trim_page(page.movements, limit, [](const core::HistoryItem& item) { return item.transfer_id; });
            if (page.next_before == 0) page.next_before = found.scanned_to;
            for (const core::HistoryItem& item : page.movements) {
                page.descriptions.push_back(core::describe(item, wording->language, wording->currency));
            }
        }
        return page;
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
        if (auto active = core::check_card_active(card->state, "number"); !active) {
            return std::unexpected(active.error());
        }
        auto program = program_of(sql, program_id);
        if (!program) return std::unexpected(program.error());
        auto account = store::find_account(sql, card->member_id, false);
        if (!account) return fail(ErrorCode::kInternal, "member has no account");
        const auto profile = open_profile(keys_, *member);
        return CardHolder{card->number, card->state, profile ? core::masked_name(profile->full_name) : "***",
                          balance_of(*account, program->currency)};
    });
}

core::Result<MemberView> MemberService::search(long long program_id, const std::string& kind,
                                               const std::string& value) {
    return database_.run_for<MemberView>([&](soci::session& sql) -> core::Result<MemberView> {
        std::optional<long long> member_id;
        if (kind == "card") {
            if (!core::is_valid_card_number(value)) {
                return fail(ErrorCode::kCardNumberInvalid, "this is not a valid card number (check digit)", "card");
            }
            if (const auto card = store::find_card(sql, value)) member_id = card->member_id;
        } else if (kind == "phone" || kind == "email") {
            auto program = program_of(sql, program_id);
            if (!program) return std::unexpected(program.error());
            auto normalised = kind == "phone" ? core::normalise_phone(value, program->country_calling_code, "phone")
                                              : core::normalise_email(value, "email");
            if (!normalised) return std::unexpected(normalised.error());
            member_id = store::find_lookup(sql, program_id,
                                           kind == "phone" ? store::LookupKind::kPhone : store::LookupKind::kEmail,
                                           crypto::blind_index(keys_, kind, *normalised));
        } else {
            return fail(ErrorCode::kValidationFailed, "search by one of phone, email or card", "phone");
        }
        if (!member_id) return fail(ErrorCode::kMemberNotFound, "no member with this " + kind, kind);
        auto member = member_of(sql, program_id, *member_id);
        if (!member) return fail(ErrorCode::kMemberNotFound, "no member with this " + kind, kind);
        return view_of(sql, keys_, *member);
    });
}

core::Result<MemberView> MemberService::update(const StaffIdentity& staff, long long member_id,
                                               const core::Result<MemberUpdate>& changes) {
    if (!may(staff, {core::StaffRole::kAdmin, core::StaffRole::kSupport})) {
        return fail(ErrorCode::kForbidden, "only admin and support staff change members");
    }
    const store::AuditActor actor = audit_actor(staff);
    return change_member(staff.program_id, actor, {"staff", actor.staff_user_id}, member_id, changes);
}

core::Result<MemberView> MemberService::update_own(const MemberIdentity& member, const MemberUpdate& changes) {
    // The email is where a new password's one-time code goes: a stolen session alone must not
    // be able to move it, so changing it takes the password too.
    if (changes.fields.contains("email")) {
        if (!changes.password) {
            return fail(ErrorCode::kValidationFailed, "give your password to change the email", "password");
        }
        if (auto confirmed =
                confirm_member_password(database_, keys_, member, *changes.password, "password", clock_.now());
            !confirmed) {
            return std::unexpected(confirmed.error());
        }
    }
    return change_member(member.program_id, {store::kMemberActor}, {"member"}, member.member_id, changes);
}

core::Result<MemberView> MemberService::change_member(long long program_id, const store::AuditActor& actor,
                                                      const store::ConsentChanger& changer, long long member_id,
                                                      const core::Result<MemberUpdate>& changes) {
    return database_.transact_for<MemberView>([&](soci::session& sql) -> core::Result<MemberView> {
        const core::Timestamp now = clock_.now();
        if (!store::find_account(sql, member_id, true)) return fail(ErrorCode::kMemberNotFound, "no member", "id");
        auto member = member_of(sql, program_id, member_id);
        if (!member) return std::unexpected(member.error());
        const auto before = open_profile(keys_, *member);
        const auto data_key = crypto::unwrap_data_key(keys_, member->data_key, data_key_binding(member_id));
        if (member->status != core::MemberStatus::kActive || !before || !data_key) {
            return fail(ErrorCode::kMemberNotFound, "this member was erased", "id");
        }
        if (!changes) return std::unexpected(changes.error());
        MemberApplication application = application_of(*before);
        if (auto changed = core::apply_member_update(*changes, application); !changed) {
            return std::unexpected(changed.error());
        }
        auto program = program_of(sql, program_id);
        if (!program) return std::unexpected(program.error());
        // Her zone is judged when it changes (the portal sends it with every save).
        const auto zone_sent = changes->fields.find("time_zone");
        const bool zone_changes = zone_sent != changes->fields.end() && zone_sent->second != before->time_zone;
        auto after = normalise(application, *program, zone_changes);
        if (!after) return std::unexpected(after.error());
        if (!move_lookup(sql, keys_, program_id, member_id, store::LookupKind::kPhone, before->phone, after->phone)) {
            return fail(ErrorCode::kMemberExists, "a member with this phone already exists", "phone");
        }
        if (!move_lookup(sql, keys_, program_id, member_id, store::LookupKind::kEmail, before->email, after->email)) {
            return fail(ErrorCode::kMemberExists, "a member with this email already exists", "email");
        }
        store::store_sealed_profile(sql, member_id, member->data_key,
                                    seal_profile(*data_key, member_id, *after, random_), now);
        store::set_member_language(sql, member_id, after->language);
        const core::Consents consents_before = store::find_consents(sql, member_id);
        store::store_consents(sql, member_id, consents_before,
                              apply_consents(consents_before, application.consents, now), changer);
        std::string fields;
        for (const std::string& field : changes->changed) fields += (fields.empty() ? "" : ",") + field;
        store::insert_audit(sql, keys_,
                            {program_id, actor, core::AuditAction::kMemberUpdate, "member", member_id, fields}, now);
        store::add_event(
            sql, core::member_event(core::EventType::kMemberUpdated, program_id, member_id, now, changes->changed));
        auto updated = store::find_member(sql, member_id);
        return view_of(sql, keys_, *updated);
    });
}

}  // namespace patron::service
