#include "loyalty/service/members/points_adjustment_service.h"

#include <soci/soci.h>

#include "loyalty/core/ledger.h"
#include "loyalty/service/posting/fraud_watch.h"
#include "loyalty/service/posting/point_postings.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/events/outbox_store.h"
#include "loyalty/store/fraud/fraud_store.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

constexpr long long kAdjustmentMax = 1'000'000'000;
constexpr std::size_t kReasonMax = 500;

core::Result<void> check(const StaffIdentity& staff, const PointsAdjustment& adjustment) {
    if (!may(staff, {core::StaffRole::kAdmin, core::StaffRole::kSupport})) {
        return fail(ErrorCode::kForbidden, "only admin and support staff adjust points");
    }
    if (adjustment.points == 0 || adjustment.points > kAdjustmentMax || adjustment.points < -kAdjustmentMax) {
        return fail(ErrorCode::kValidationFailed, "points must be a non-zero whole number up to 1,000,000,000",
                    "points");
    }
    if (adjustment.reason.find_first_not_of(" \t\r\n") == std::string::npos || adjustment.reason.size() > kReasonMax) {
        return fail(ErrorCode::kValidationFailed, "give a reason of 1 to 500 characters", "reason",
                    adjustment.reason.size() > kReasonMax ? core::Reason{} : core::reason(core::ReasonKind::kRequired));
    }
    return {};
}

}  // namespace

PointsAdjustmentService::PointsAdjustmentService(store::Database& database, const crypto::KeyRing& keys,
                                                 const Clock& clock)
    : database_(database), keys_(keys), clock_(clock) {}

core::Result<AdjustedPoints> PointsAdjustmentService::adjust(const StaffIdentity& staff, long long member_id,
                                                             const PointsAdjustment& adjustment) {
    if (auto checked = check(staff, adjustment); !checked) return std::unexpected(checked.error());
    return database_.transact_for<AdjustedPoints>([&](soci::session& sql) -> core::Result<AdjustedPoints> {
        const core::Timestamp now = clock_.now();
        const auto member = store::find_member(sql, member_id);
        auto account = store::find_account(sql, member_id, true);
        if (!member || !account || member->program_id != staff.program_id) {
            return fail(ErrorCode::kMemberNotFound, "no member with this id", "id");
        }
        if (adjustment.points < 0 && -adjustment.points > account->points_available) {
            return fail(ErrorCode::kPointsInsufficient,
                        "the member has " + std::to_string(std::max(account->points_available, 0LL)) +
                            " points available to remove",
                        "points");
        }
        const store::ProgramPolicies policies = store::find_program_policies(sql, staff.program_id);
        // A grant the fraud policy holds (or made while a signal holds her points) waits in a held lot.
        std::optional<long long> hold = account->fraud_hold;
        if (policies.fraud_policy_version > 0) {
            const auto policy = store::find_fraud_policy(sql, staff.program_id);
            if (!policy) return std::unexpected(policy.error());
            hold = watch_adjustment(
                sql, *policy, staff.program_id, hold,
                core::StaffAdjustment{member_id, staff.label, staff.staff_user_id, adjustment.points, 0, now}, now);
        }
        const bool held = hold.has_value() && adjustment.points > 0;
        const Posting posting{staff.program_id, member_id, std::nullopt, now, held ? hold : std::nullopt};
        const core::LedgerTransfer transfer =
            core::adjust_transfer(member_id, adjustment.points, adjustment.reason, held);
        long long transfer_id = 0;
        if (adjustment.points > 0) {
            transfer_id = credit_lot(sql, posting, transfer, adjustment.points, held, policies.points,
                                     *locate_time_zone(policies.time_zone))
                              .transfer_id;
            if (!held)
                repay_negative_balance(sql, member_id, transfer_id, account->points_available, adjustment.points);
        } else {
            transfer_id = debit_lots(sql, posting, transfer, -adjustment.points);
        }
        const long long available_delta = held ? 0 : adjustment.points;
        const long long pending_delta = held ? adjustment.points : 0;
        store::adjust_points(sql, member_id, available_delta, pending_delta, now);
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kPointsAdjust, "member",
                             member_id, "points_available"},
                            now);
        store::add_event(sql, core::points_adjusted_event(staff.program_id, member_id, transfer_id, adjustment.points,
                                                          account->points_available + available_delta, now));
        const auto program = store::find_program(sql, staff.program_id);
        return AdjustedPoints{transfer_id, Balance{member_id, account->points_available + available_delta,
                                                   account->points_pending + pending_delta, account->cashback_balance,
                                                   program ? program->currency : "", account->tier}};
    });
}

}  // namespace patron::service
