#include "loyalty/service/members/member_privacy_service.h"

#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "loyalty/service/members/member_service.h"
#include "loyalty/service/posting/member_vault.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/members/member_records_store.h"
#include "loyalty/store/members/member_sign_in_store.h"
#include "loyalty/store/members/member_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;
using nlohmann::json;

json profile_document(const std::optional<core::MemberProfile>& profile) {
    if (!profile) return nullptr;
    const auto optional = [](const std::optional<std::string>& value) { return value ? json(*value) : json(nullptr); };
    return {{"full_name", profile->full_name},
            {"phone", optional(profile->phone)},
            {"email", optional(profile->email)},
            {"birth_date", profile->birth_date ? json(core::format_date(*profile->birth_date)) : json(nullptr)},
            {"language", optional(profile->language)},
            {"gender", optional(profile->gender)},
            {"city", optional(profile->city)},
            {"postal_code", optional(profile->postal_code)}};
}

}  // namespace

MemberPrivacyService::MemberPrivacyService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock)
    : database_(database), keys_(keys), clock_(clock) {}

core::Result<json> MemberPrivacyService::export_member(const StaffIdentity& staff, long long member_id) {
    if (!may(staff, {core::StaffRole::kAdmin, core::StaffRole::kSupport})) {
        return fail(ErrorCode::kForbidden, "only admin and support staff export members");
    }
    return database_.transact_for<json>([&](soci::session& sql) -> core::Result<json> {
        const auto member = store::find_member(sql, member_id);
        if (!member || member->program_id != staff.program_id) {
            return fail(ErrorCode::kMemberNotFound, "no member with this id", "id");
        }
        const core::Timestamp now = clock_.now();
        store::insert_audit(sql, {staff.program_id, staff.label, "member.export", "member", member_id, "*"}, now);
        const store::MemberRecords records = store::member_records(sql, staff.program_id, member_id);
        return json{{"member",
                     {{"id", member->id},
                      {"status", core::to_string(member->status)},
                      {"created_at", core::format_utc(member->created_at, core::TimeFormat::kRfc3339)},
                      {"profile", profile_document(open_profile(keys_, *member))}}},
                    {"consents", consents_document(store::find_consents(sql, member_id))},
                    {"cards", records.cards},
                    {"account", records.account},
                    {"point_lots", records.point_lots},
                    {"ledger_entries", records.ledger_entries},
                    {"purchases", records.purchases},
                    {"tier_history", records.tier_history},
                    {"audit", records.audit},
                    {"exported_at", core::format_utc(now, core::TimeFormat::kRfc3339)}};
    });
}

core::Result<void> MemberPrivacyService::erase(const StaffIdentity& staff, long long member_id) {
    if (!may(staff, {core::StaffRole::kAdmin})) return fail(ErrorCode::kForbidden, "only admin staff erase members");
    return database_.transact([&](soci::session& sql) -> core::Result<void> {
        // The account lock first, as every writer takes it: no purchase is half-way for this member.
        const auto account = store::find_account(sql, member_id, true);
        const auto member = store::find_member(sql, member_id);
        if (!account || !member || member->program_id != staff.program_id) {
            return fail(ErrorCode::kMemberNotFound, "no member with this id", "id");
        }
        if (member->status == core::MemberStatus::kErased) return {};
        const core::Timestamp now = clock_.now();
        store::erase_member_row(sql, member_id, now);
        store::delete_lookups(sql, member_id);
        store::forget_member_sign_in(sql, member_id);
        for (const store::CardRecord& card : store::find_cards_of_member(sql, member_id)) {
            if (!core::is_final(card.state)) {
                store::set_card_state(sql, card.number, core::CardState::kClosed, "member erased", now);
            }
        }
        store::insert_audit(
            sql, {staff.program_id, staff.label, "member.erase", "member", member_id, "profile,data_key,lookups,cards"},
            now);
        return {};
    });
}

}  // namespace patron::service
