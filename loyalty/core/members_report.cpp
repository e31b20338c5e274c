#include "loyalty/core/members_report.h"

#include <algorithm>
#include <tuple>

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

void count_buyers(const std::vector<MemberPurchaseFact>& facts, const std::vector<Timestamp>& bounds,
                  const FirstPurchases& first_purchases, bool per_store, std::optional<std::int64_t> store_id,
                  std::vector<MembersPeriodCounts>& counts) {
    if (bounds.size() < 2) return;
    struct Visit {
        std::size_t span;
        std::int64_t store_id;
        std::int64_t member_id;
    };
    std::vector<Visit> visits;
    for (const MemberPurchaseFact& fact : facts) {
        if (fact.received_at < bounds.front() || fact.received_at >= bounds.back()) continue;
        const auto span = static_cast<std::size_t>(std::upper_bound(bounds.begin(), bounds.end(), fact.received_at) -
                                                   bounds.begin()) -
                          1;
        BuyerCounts& all = counts[span].buyers;
        all.visits += fact.visit ? 1 : 0;
        all.spend += fact.spend;
        const bool counted_in_store = per_store && (!store_id || *store_id == fact.store_id);
        if (counted_in_store) {
            BuyerCounts& in_store = counts[span].stores[fact.store_id];
            in_store.visits += fact.visit ? 1 : 0;
            in_store.spend += fact.spend;
        }
        if (fact.visit) visits.push_back({span, counted_in_store ? fact.store_id : -1, fact.member_id});
    }
    const auto is_new = [&](std::size_t span, std::int64_t member_id) {
        const auto first = first_purchases.find(member_id);
        return first != first_purchases.end() && first->second >= bounds[span];
    };
    // Each buyer once per span, then once per span and store.
    std::sort(visits.begin(), visits.end(), [](const Visit& a, const Visit& b) {
        return std::tie(a.span, a.member_id, a.store_id) < std::tie(b.span, b.member_id, b.store_id);
    });
    for (std::size_t i = 0; i < visits.size(); ++i) {
        if (i > 0 && visits[i].span == visits[i - 1].span && visits[i].member_id == visits[i - 1].member_id) continue;
        BuyerCounts& all = counts[visits[i].span].buyers;
        ++all.buyers;
        if (is_new(visits[i].span, visits[i].member_id)) ++all.new_buyers;
    }
    if (!per_store) return;
    std::sort(visits.begin(), visits.end(), [](const Visit& a, const Visit& b) {
        return std::tie(a.span, a.store_id, a.member_id) < std::tie(b.span, b.store_id, b.member_id);
    });
    for (std::size_t i = 0; i < visits.size(); ++i) {
        const Visit& visit = visits[i];
        if (visit.store_id < 0) continue;
        if (i > 0 && visit.span == visits[i - 1].span && visit.store_id == visits[i - 1].store_id &&
            visit.member_id == visits[i - 1].member_id) {
            continue;
        }
        BuyerCounts& in_store = counts[visit.span].stores[visit.store_id];
        ++in_store.buyers;
        if (is_new(visit.span, visit.member_id)) ++in_store.new_buyers;
    }
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
