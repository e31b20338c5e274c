#include "loyalty/service/members/member_privacy_service.h"

#include <soci/soci.h>

#include <limits>

#include "loyalty/service/insight/feedback_vault.h"
#include "loyalty/service/members/member_password_check.h"
#include "loyalty/service/posting/member_vault.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/access/write_answer_store.h"
#include "loyalty/store/events/outbox_store.h"
#include "loyalty/store/insight/feedback_store.h"
#include "loyalty/store/members/member_records_store.h"
#include "loyalty/store/members/member_sign_in_store.h"
#include "loyalty/store/members/member_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

// A person enrolled a hundred times over is a fault to look into, not an export to grow without end.
constexpr std::size_t kMergedRecordsExported = 100;

}  // namespace

MemberPrivacyService::MemberPrivacyService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock)
    : database_(database), keys_(keys), clock_(clock) {}

core::Result<MemberExport> MemberPrivacyService::export_member(const StaffIdentity& staff, long long member_id) {
    if (!may(staff, {core::StaffRole::kAdmin, core::StaffRole::kSupport})) {
        return fail(ErrorCode::kForbidden, "only admin and support staff export members");
    }
    return export_of(staff.program_id, audit_actor(staff), member_id);
}

core::Result<void> MemberPrivacyService::erase(const StaffIdentity& staff, long long member_id) {
    if (!may(staff, {core::StaffRole::kAdmin})) return fail(ErrorCode::kForbidden, "only admin staff erase members");
    return erase_member(staff.program_id, audit_actor(staff), member_id);
}

core::Result<MemberExport> MemberPrivacyService::export_own(const MemberIdentity& member) {
    return export_of(member.program_id, {store::kMemberActor}, member.member_id);
}

core::Result<void> MemberPrivacyService::erase_own(const MemberIdentity& member, const std::string& password) {
    if (auto confirmed = confirm_member_password(database_, keys_, member, password, "password", clock_.now());
        !confirmed) {
        return confirmed;
    }
    return erase_member(member.program_id, {store::kMemberActor}, member.member_id);
}

core::Result<MemberExport> MemberPrivacyService::export_of(long long program_id, const store::AuditActor& actor,
                                                           long long member_id) {
    const core::Timestamp now = clock_.now();
    // The export's entry first, in a transaction of its own: the programme's audit chain stays
    // locked only for that entry, not for the whole of the export's reading (which lists the entry).
    auto logged = database_.transact([&](soci::session& sql) -> core::Result<void> {
        const auto member = store::find_member(sql, member_id);
        if (!member || member->program_id != program_id) {
            return fail(ErrorCode::kMemberNotFound, "no member with this id", "id");
        }
        store::insert_audit(sql, keys_, {program_id, actor, core::AuditAction::kMemberExport, "member", member_id, "*"},
                            now);
        return {};
    });
    if (!logged) return std::unexpected(logged.error());
    return database_.transact_for<MemberExport>([&](soci::session& sql) -> core::Result<MemberExport> {
        const auto member = store::find_member(sql, member_id);
        if (!member || member->program_id != program_id) {
            return fail(ErrorCode::kMemberNotFound, "no member with this id", "id");
        }
        std::vector<FeedbackComment> feedback;
        for (const store::SealedComment& answer : store::member_feedback(sql, member_id)) {
            feedback.push_back({answer.entry, open_feedback_comment(keys_, answer)});
        }
        std::vector<std::pair<long long, store::MemberRecords>> merged;
        for (const long long record : store::records_merged_into(sql, member_id, kMergedRecordsExported)) {
            merged.emplace_back(record, store::member_records(sql, program_id, record));
        }
        return MemberExport{member->id,
                            member->status,
                            member->created_at,
                            open_profile(keys_, *member),
                            store::find_consents(sql, member_id),
                            std::move(feedback),
                            store::member_records(sql, program_id, member_id),
                            std::move(merged),
                            now};
    });
}

core::Result<void> MemberPrivacyService::erase_member(long long program_id, const store::AuditActor& actor,
                                                      long long member_id) {
    return database_.transact([&](soci::session& sql) -> core::Result<void> {
        // The account lock first, as every writer takes it: no purchase is half-way for this member.
        const auto account = store::find_account(sql, member_id, true);
        const auto member = store::find_member(sql, member_id);
        if (!account || !member || member->program_id != program_id) {
            return fail(ErrorCode::kMemberNotFound, "no member with this id", "id");
        }
        if (member->status == core::MemberStatus::kErased) return {};
        const core::Timestamp now = clock_.now();
        store::erase_member_row(sql, member_id, now);
        store::forget_consent_history(sql, member_id);
        // Answers kept for Idempotency-Keys may hold her data: the ones about her, and hers.
        store::forget_member_write_answers(sql, member_id);
        // Every record merged into her, however many (the export shows the first hundred).
        for (const long long merged :
             store::records_merged_into(sql, member_id, std::numeric_limits<std::size_t>::max())) {
            store::forget_consent_history(sql, merged);
            store::forget_member_write_answers(sql, merged);
        }
        store::delete_lookups(sql, member_id);
        store::forget_member_sign_in(sql, member_id);
        // Comments on the member's purchases are personal data too; the scores stay, as the ledger does.
        store::erase_member_feedback_comments(sql, member_id);
        for (const store::CardRecord& card : store::find_cards_of_member(sql, member_id)) {
            if (!core::is_final(card.state)) {
                store::set_card_state(sql, card.number, core::CardState::kClosed, "member erased", now);
            }
        }
        store::insert_audit(
            sql, keys_,
            {program_id, actor, core::AuditAction::kMemberErase, "member", member_id, "profile,data_key,lookups,cards"},
            now);
        store::add_event(sql, core::member_event(core::EventType::kMemberErased, program_id, member_id, now));
        return {};
    });
}

}  // namespace patron::service
