#include "loyalty/core/members_report.h"

#include <algorithm>

namespace patron::core {
namespace {

// The store rows of a period: the named store only, or every store of the programme in code order
// (a purchase always has its store, so there is no row of no store).
std::vector<StoreBuyers> store_rows(const MembersReportInputs& inputs,
                                    const std::map<std::int64_t, BuyerCounts>& counts) {
    std::vector<std::pair<std::string, std::int64_t>> stores;
    for (const auto& [id, code] : inputs.store_codes) {
        if (!inputs.store_id || *inputs.store_id == id) stores.emplace_back(code, id);
    }
    std::sort(stores.begin(), stores.end());
    std::vector<StoreBuyers> rows;
    for (const auto& [code, id] : stores) {
        const auto found = counts.find(id);
        rows.push_back({code, buyer_figures(found == counts.end() ? BuyerCounts{} : found->second)});
    }
    return rows;
}

MembersPeriod period_of(const MembersReportInputs& inputs, const ReportPeriod& period,
                        const MembersPeriodCounts& counts) {
    MembersPeriod figures{period, counts.enrolled, counts.tier_ups, counts.tier_downs, buyer_figures(counts.buyers),
                          {}};
    if (inputs.query.per_store()) figures.stores = store_rows(inputs, counts.stores);
    return figures;
}

ConsentFigures consent(std::int64_t granted, std::int64_t members) {
    return {granted, rounded_ratio(granted, 1000, members)};
}

}  // namespace

BuyerFigures buyer_figures(const BuyerCounts& counts) {
    return {counts, counts.buyers - counts.new_buyers, rounded_ratio(counts.spend, 1, counts.buyers),
            rounded_ratio(counts.visits, 100, counts.buyers)};
}

MembersReport build_members_report(const MembersReportInputs& inputs) {
    MembersReport report{inputs.query, inputs.time_zone, inputs.currency, {}, {}, {}};
    const std::vector<ReportPeriod> periods = report_periods(inputs.query.from, inputs.query.to, inputs.query.by);
    for (std::size_t i = 0; i < periods.size(); ++i) {
        report.periods.push_back(
            period_of(inputs, periods[i], i < inputs.periods.size() ? inputs.periods[i] : MembersPeriodCounts{}));
    }
    report.total =
        period_of(inputs, report_periods(inputs.query.from, inputs.query.to, PeriodSize::kTotal).front(), inputs.total);
    const MembersSnapshotCounts& counts = inputs.snapshot;
    report.snapshot = MembersSnapshot{counts.members,
                                      counts.active_30_days,
                                      counts.active_90_days,
                                      counts.active_365_days,
                                      counts.by_tier,
                                      consent(counts.marketing_sms, counts.members),
                                      consent(counts.marketing_email, counts.members)};
    return report;
}

}  // namespace patron::core
