#include "loyalty/core/points_report.h"

#include <algorithm>
#include <array>

#include "loyalty/core/rounded_ratio.h"

namespace patron::core {
namespace {

// The member history's list a kind of transfer belongs to. The cashback wallet's kinds are the
// points' own but one: its "spend" is what "redeem" is to points.
std::optional<HistoryList> list_of(HistoryBook book, std::string_view kind) {
    const std::string_view points_kind = book == HistoryBook::kCashback && kind == "spend" ? "redeem" : kind;
    constexpr std::array kPointLists = {HistoryList::kEarned, HistoryList::kSpent, HistoryList::kExpired,
                                        HistoryList::kReturned, HistoryList::kAdjusted};
    for (const HistoryList list : kPointLists) {
        for (const char* const listed : transfer_kinds(list)) {
            if (points_kind == listed) return list;
        }
    }
    return std::nullopt;
}

// Each list's transfers gain or lose members points in one direction only (the earned list's
// releases and the adjusted list's merges move points between accounts and net to zero); taking
// gained less lost keeps every point accounted for all the same.
void add_points(PointsMovements& movements, const std::string& kind, const LedgerDayTotals& totals) {
    switch (list_of(HistoryBook::kPoints, kind).value_or(HistoryList::kAdjusted)) {
        case HistoryList::kEarned:
            movements.issued += totals.gained - totals.lost;
            break;
        case HistoryList::kSpent:
            movements.redeemed += totals.lost - totals.gained;
            break;
        case HistoryList::kExpired:
            movements.expired += totals.lost - totals.gained;
            break;
        case HistoryList::kReturned:
            movements.returned += totals.lost;
            movements.refunded += totals.gained;
            break;
        default:  // Adjustments, merges, and any kind a later version adds.
            movements.adjusted_plus += totals.gained;
            movements.adjusted_minus += totals.lost;
            break;
    }
}

// Merges move money between wallets and net to zero: the wallet's balance is what counts.
void add_cashback(CashbackMovements& movements, const std::string& kind, const LedgerDayTotals& totals) {
    switch (list_of(HistoryBook::kCashback, kind).value_or(HistoryList::kAdjusted)) {
        case HistoryList::kEarned:
            movements.issued += totals.gained - totals.lost;
            break;
        case HistoryList::kSpent:
            movements.spent += totals.lost - totals.gained;
            break;
        case HistoryList::kReturned:
            movements.returned += totals.lost;
            movements.refunded += totals.gained;
            break;
        default:
            break;
    }
}

void add_balances(OutstandingBalances& balances, HistoryBook book, const LedgerDayTotals& totals) {
    if (book == HistoryBook::kCashback) {
        balances.cashback += totals.available + totals.pending;
    } else {
        balances.points_available += totals.available;
        balances.points_pending += totals.pending;
    }
}

BreakageHistory& operator+=(BreakageHistory& history, const PointsMovements& movements) {
    history.expired += movements.expired;
    history.redeemed += movements.redeemed - movements.refunded;
    return history;
}

// A period's figures while they are summed: per store by id (0: no store).
struct PeriodSums {
    PointsMovements points;
    CashbackMovements cashback;
    OutstandingBalances change;
    std::map<std::int64_t, StoreFigures> stores;
};

// The store rows a period shows: the named store only, or every store of the programme in code
// order and then the movements of no store.
std::vector<StoreFigures> store_rows(const PointsReportInputs& inputs,
                                     const std::map<std::int64_t, StoreFigures>& sums) {
    std::vector<std::int64_t> ids;
    if (inputs.store_id) {
        ids.push_back(*inputs.store_id);
    } else {
        for (const auto& [id, code] : inputs.store_codes) ids.push_back(id);
        for (const auto& [id, figures] : sums) {
            if (id != 0 && !inputs.store_codes.contains(id)) ids.push_back(id);
        }
        std::sort(ids.begin(), ids.end(), [&](std::int64_t left, std::int64_t right) {
            const auto code = [&](std::int64_t id) {
                const auto found = inputs.store_codes.find(id);
                return found == inputs.store_codes.end() ? std::to_string(id) : found->second;
            };
            return code(left) < code(right);
        });
        ids.push_back(0);
    }
    std::vector<StoreFigures> rows;
    for (const std::int64_t id : ids) {
        const auto found = sums.find(id);
        StoreFigures row = found == sums.end() ? StoreFigures{} : found->second;
        if (id == 0) {
            row.store = std::nullopt;
        } else {
            const auto code = inputs.store_codes.find(id);
            row.store = code == inputs.store_codes.end() ? std::to_string(id) : code->second;
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace

PointsMovements& PointsMovements::operator+=(const PointsMovements& other) {
    issued += other.issued;
    redeemed += other.redeemed;
    expired += other.expired;
    adjusted_plus += other.adjusted_plus;
    adjusted_minus += other.adjusted_minus;
    returned += other.returned;
    refunded += other.refunded;
    return *this;
}

CashbackMovements& CashbackMovements::operator+=(const CashbackMovements& other) {
    issued += other.issued;
    spent += other.spent;
    returned += other.returned;
    refunded += other.refunded;
    return *this;
}

Liability value_liability(const OutstandingBalances& outstanding, const BreakageHistory& history,
                          std::int64_t point_value_minor) {
    Liability liability;
    liability.points_value = outstanding.points() * point_value_minor;
    liability.cashback = outstanding.cashback;
    liability.total = liability.points_value + liability.cashback;
    liability.breakage = history;
    const std::int64_t resolved = history.expired + history.redeemed;
    if (resolved > 0 && history.expired > 0) {
        liability.breakage_ppm = rounded_ratio(history.expired, 1000000, resolved);
        if (liability.points_value > 0) {
            liability.expected_breakage = rounded_ratio(liability.points_value, history.expired, resolved);
        }
    }
    liability.net = liability.total - liability.expected_breakage;
    return liability;
}

PointsReport build_points_report(const PointsReportInputs& inputs) {
    PointsReport report{inputs.query, inputs.time_zone, inputs.currency, inputs.point_value_minor, {}, {}, {}};
    BreakageHistory history;
    for (const auto& [key, totals] : inputs.before) {
        add_balances(report.opening, key.book, totals);
        if (key.book == HistoryBook::kPoints) {
            PointsMovements movements;
            add_points(movements, key.kind, totals);
            history += movements;
        }
    }
    const std::vector<ReportPeriod> periods = report_periods(inputs.query.from, inputs.query.to, inputs.query.by);
    std::vector<PeriodSums> sums(periods.size());
    for (const auto& [key, totals] : inputs.within) {
        const auto index = period_index(periods, key.day);
        if (!index) continue;
        PeriodSums& period = sums[*index];
        add_balances(period.change, key.book, totals);
        StoreFigures& store = period.stores[key.store_id];
        if (key.book == HistoryBook::kPoints) {
            add_points(period.points, key.kind, totals);
            add_points(store.points, key.kind, totals);
        } else {
            add_cashback(period.cashback, key.kind, totals);
            add_cashback(store.cashback, key.kind, totals);
        }
    }
    OutstandingBalances balances = report.opening;
    PeriodSums whole;
    for (std::size_t i = 0; i < periods.size(); ++i) {
        PeriodSums& period = sums[i];
        balances.points_available += period.change.points_available;
        balances.points_pending += period.change.points_pending;
        balances.cashback += period.change.cashback;
        history += period.points;
        PeriodFigures figures{periods[i],
                              period.points,
                              period.cashback,
                              balances,
                              value_liability(balances, history, inputs.point_value_minor),
                              {}};
        if (inputs.query.per_store()) figures.stores = store_rows(inputs, period.stores);
        report.periods.push_back(std::move(figures));
        whole.points += period.points;
        whole.cashback += period.cashback;
        for (const auto& [id, store] : period.stores) {
            whole.stores[id].points += store.points;
            whole.stores[id].cashback += store.cashback;
        }
    }
    report.total = PeriodFigures{report_periods(inputs.query.from, inputs.query.to, PeriodSize::kTotal).front(),
                                 whole.points,
                                 whole.cashback,
                                 balances,
                                 value_liability(balances, history, inputs.point_value_minor),
                                 {}};
    if (inputs.query.per_store()) report.total.stores = store_rows(inputs, whole.stores);
    return report;
}

}  // namespace patron::core
