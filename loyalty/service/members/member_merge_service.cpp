#include "loyalty/service/members/member_merge_service.h"

#include <soci/soci.h>

#include <algorithm>
#include <cstdlib>

#include "loyalty/core/ledger.h"
#include "loyalty/service/posting/referral_postings.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/events/outbox_store.h"
#include "loyalty/store/events/trigger_store.h"
#include "loyalty/store/fraud/fraud_store.h"
#include "loyalty/store/insight/campaign_exposure_store.h"
#include "loyalty/store/insight/segment_addition_store.h"
#include "loyalty/store/ledger/cashback_store.h"
#include "loyalty/store/ledger/ledger_store.h"
#include "loyalty/store/ledger/point_store.h"
#include "loyalty/store/ledger/stamp_store.h"
#include "loyalty/store/members/member_sign_in_store.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/program/draw_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

}  // namespace

MemberMergeService::MemberMergeService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock)
    : database_(database), keys_(keys), clock_(clock) {}

core::Result<MergeReport> MemberMergeService::merge(const StaffIdentity& staff, long long survivor_id,
                                                    long long absorbed_id) {
    if (!may(staff, {core::StaffRole::kAdmin, core::StaffRole::kSupport})) {
        return fail(ErrorCode::kForbidden, "only admin and support staff merge members");
    }
    if (survivor_id == absorbed_id) {
        return fail(ErrorCode::kValidationFailed, "a member cannot be merged into itself", "from");
    }
    return database_.transact_for<MergeReport>([&](soci::session& sql) -> core::Result<MergeReport> {
        // Both account locks, lower id first: the fixed order keeps two opposite merges from deadlocking.
        const auto first = store::find_account(sql, std::min(survivor_id, absorbed_id), true);
        const auto second = store::find_account(sql, std::max(survivor_id, absorbed_id), true);
        const auto survivor = store::find_member(sql, survivor_id);
        const auto absorbed = store::find_member(sql, absorbed_id);
        if (!first || !second || !survivor || survivor->program_id != staff.program_id) {
            return fail(ErrorCode::kMemberNotFound, "no member with this id", "id");
        }
        if (!absorbed || absorbed->program_id != staff.program_id) {
            return fail(ErrorCode::kMemberNotFound, "no member with this id", "from");
        }
        if (survivor->status != core::MemberStatus::kActive) {
            return fail(ErrorCode::kNotAvailable, "this member is " + std::string(core::to_string(survivor->status)),
                        "id");
        }
        if (absorbed->status != core::MemberStatus::kActive) {
            return fail(ErrorCode::kNotAvailable, "that member is " + std::string(core::to_string(absorbed->status)),
                        "from");
        }
        const core::Timestamp now = clock_.now();
        // A referral between the two, or of either as a friend, is refused first (its rewards taken
        // back), so that what moves below is what is left.
        settle_referrals_before_merge(sql, staff.program_id, survivor_id, absorbed_id, now);
        // Entries in prize draws not yet run follow the member (a run draw's entrants stand).
        store::move_draw_entries(sql, absorbed_id, survivor_id);
        const auto absorbed_account = store::find_account(sql, absorbed_id, true);
        const auto survivor_account = store::find_account(sql, survivor_id, true);
        const store::AccountRecord& from = *absorbed_account;
        // A balance below zero (a return charged points she had spent) has no lots behind it: once
        // the lots are one, what one record owes is repaid from the other's lots, as a credit
        // repays it, so that they hold the positive part of the merged balance.
        const long long into_available = survivor_account->points_available;
        const long long repaid = (into_available < 0) == (from.points_available < 0)
                                     ? 0
                                     : std::min(std::abs(into_available), std::abs(from.points_available));
        std::optional<long long> merge_transfer;
        if (from.points_available != 0 || from.points_pending != 0) {
            merge_transfer =
                store::insert_transfers(
                    sql, staff.program_id, std::nullopt,
                    {core::merge_transfer(absorbed_id, survivor_id, from.points_available, from.points_pending)}, now)
                    .front();
            store::adjust_points(sql, survivor_id, from.points_available, from.points_pending, now);
            store::adjust_points(sql, absorbed_id, -from.points_available, -from.points_pending, now);
        }
        if (from.cashback_balance != 0) {
            store::insert_transfers(sql, staff.program_id, std::nullopt,
                                    {core::cashback_merge_transfer(absorbed_id, survivor_id, from.cashback_balance)},
                                    now, store::LedgerBook::kCashback);
            store::adjust_cashback(sql, survivor_id, from.cashback_balance, 0, now);
            store::adjust_cashback(sql, absorbed_id, -from.cashback_balance, 0, now);
        }
        store::move_stamps(sql, staff.program_id, absorbed_id, survivor_id, now);
        store::move_member_rows(sql, absorbed_id, survivor_id);
        if (merge_transfer && repaid > 0) {
            store::consume_lots(
                sql, *merge_transfer,
                core::take_from_lots(store::available_lots_for_update(sql, survivor_id, repaid), repaid));
        }
        // The moved purchases may start earlier or end later than the survivor's own: the Members
        // report reads the span from the account.
        store::recount_purchase_span(sql, survivor_id);
        store::move_campaign_exposures(sql, absorbed_id, survivor_id);
        // Her purchases are one history now: a window fired for either record is fired for her.
        store::move_trigger_firings(sql, absorbed_id, survivor_id);
        store::move_segment_additions(sql, absorbed_id, survivor_id);
        // Her fraud signals, and the hold one of them put on her points, are the survivor's.
        store::move_fraud_signals(sql, absorbed_id, survivor_id);
        store::erase_member_row(sql, absorbed_id, now);
        store::mark_merged(sql, absorbed_id, survivor_id);
        store::delete_lookups(sql, absorbed_id);
        store::forget_member_sign_in(sql, absorbed_id);
        const std::string moved =
            "cards,point_lots,points,purchases,tier_history,rule_usage,coupons,cashback,stamps,campaign_exposures";
        // Each member's entry names the other member as its entity, so either record's log says
        // which record it was merged with.
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kMemberMergeIn, "member",
                             absorbed_id, moved, survivor_id},
                            now);
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kMemberMerged, "member",
                             survivor_id, moved, absorbed_id},
                            now);
        store::add_event(sql, core::member_merged_event(staff.program_id, absorbed_id, survivor_id, now));
        return MergeReport{survivor_id, absorbed_id, from.points_available, from.points_pending};
    });
}

}  // namespace patron::service
