#include "loyalty/service/program/points_maintenance_service.h"

#include <soci/soci.h>

#include "loyalty/core/ledger.h"
#include "loyalty/service/posting/point_postings.h"
#include "loyalty/store/ledger/cashback_store.h"
#include "loyalty/store/ledger/ledger_store.h"
#include "loyalty/store/ledger/point_store.h"
#include "loyalty/store/ledger/stamp_store.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/program/coupon_store.h"

namespace patron::service {
namespace {

constexpr int kBatchMembers = 500;

long long sum_points(const std::vector<core::LotTake>& lots) {
    long long total = 0;
    for (const core::LotTake& lot : lots) total += lot.points;
    return total;
}

}  // namespace

PointsMaintenanceService::PointsMaintenanceService(store::Database& database, const Clock& clock)
    : database_(database), clock_(clock) {}

core::Result<MaintenanceReport> PointsMaintenanceService::release_due(int members_max) {
    return run_due(Step::kRelease, members_max);
}

core::Result<MaintenanceReport> PointsMaintenanceService::expire_due(int members_max) {
    return run_due(Step::kExpire, members_max);
}

core::Result<MaintenanceReport> PointsMaintenanceService::run_all_due() {
    MaintenanceReport total;
    for (Step step : {Step::kRelease, Step::kExpire}) {
        for (;;) {
            auto batch = run_due(step, kBatchMembers);
            if (!batch) return batch;
            total.members += batch->members;
            total.points += batch->points;
            if (batch->members < kBatchMembers) break;
        }
    }
    return total;
}

core::Result<MaintenanceReport> PointsMaintenanceService::run_due(Step step, int members_max) {
    const core::Timestamp now = clock_.now();
    const store::LotEvent event = step == Step::kRelease ? store::LotEvent::kRelease : store::LotEvent::kExpiry;
    auto members =
        database_.run_for<std::vector<long long>>([&](soci::session& sql) -> core::Result<std::vector<long long>> {
            return store::members_with_lots_due(sql, event, now, members_max);
        });
    if (!members) return std::unexpected(members.error());
    MaintenanceReport report;
    for (const long long member_id : *members) {
        // One transaction per member, under the member's account lock like every other write.
        auto moved = database_.transact_for<long long>([&](soci::session& sql) -> core::Result<long long> {
            const auto account = store::find_account(sql, member_id, true);
            if (!account) return 0LL;
            const auto lots = store::lots_due_for_update(sql, member_id, event, now);
            const long long points = sum_points(lots);
            if (points == 0) return 0LL;  // Another run got here first.
            const auto member = store::find_member(sql, member_id);
            const auto transfer = step == Step::kRelease ? core::release_transfer(member_id, points)
                                                         : core::expire_transfer(member_id, points);
            const auto ids = store::insert_transfers(sql, member->program_id, std::nullopt, {transfer}, now);
            if (step == Step::kRelease) {
                store::mark_released(sql, lots);
                repay_negative_balance(sql, member_id, ids.front(), account->points_available, points);
                store::adjust_points(sql, member_id, points, -points, now);
            } else {
                store::consume_lots(sql, ids.front(), lots);
                store::adjust_points(sql, member_id, -points, 0, now);
            }
            return points;
        });
        if (!moved) return std::unexpected(moved.error());
        if (*moved > 0) {
            ++report.members;
            report.points += *moved;
        }
    }
    return report;
}

core::Result<std::vector<std::string>> PointsMaintenanceService::verify() {
    return database_.run_for<std::vector<std::string>>(
        [&](soci::session& sql) -> core::Result<std::vector<std::string>> {
            std::vector<std::string> found = store::ledger_discrepancies(sql);
            for (std::string& line : store::coupon_discrepancies(sql)) found.push_back(std::move(line));
            for (std::string& line : store::cashback_discrepancies(sql)) found.push_back(std::move(line));
            for (std::string& line : store::stamp_discrepancies(sql)) found.push_back(std::move(line));
            return found;
        });
}

core::Result<std::vector<store::ProgramOutstanding>> PointsMaintenanceService::outstanding() {
    return database_.run_for<std::vector<store::ProgramOutstanding>>(
        [](soci::session& sql) -> core::Result<std::vector<store::ProgramOutstanding>> {
            return store::ledger_outstanding(sql);
        });
}

}  // namespace patron::service
