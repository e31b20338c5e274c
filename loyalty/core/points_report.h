// The Points & cashback report (issue 17): per period, and per store where asked, what the
// programme issued, what members redeemed, what expired, was adjusted up and down, was taken back
// and given back by returns; the balances outstanding at each period's end; and their value, the
// programme's liability, with the expected breakage. Built from the ledgers' daily totals
// (ledger_days.h), whose kinds of transfer are classified by the member history's lists
// (member_history.h), so a report and a member's history never disagree about what a kind means.
//
// Liability at a period's end = outstanding points (available + pending) x point_value_minor
// + outstanding cashback. Expected breakage = the points' part of it x E / (E + R), where E is every
// point expired since the programme began and R every point redeemed less those returns gave back,
// both through the period's end: the share of points that left members' balances by expiring
// rather than by being spent. It leaves out points still outstanding, points returns took back,
// adjustments and merges, and cashback (which does not expire). Rounded half up to a minor unit.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/ledger_days.h"
#include "loyalty/core/report_query.h"

namespace patron::core {

struct PointsMovements {
    std::int64_t issued = 0;    // Earned by members (purchases, coupons, stamp cards).
    std::int64_t redeemed = 0;  // Spent at the till.
    std::int64_t expired = 0;
    std::int64_t adjusted_plus = 0;  // Support adjustments adding points (and merges, which net out).
    std::int64_t adjusted_minus = 0;
    std::int64_t returned = 0;  // Taken back by returns and voids.
    std::int64_t refunded = 0;  // Redeemed points a return gave back.

    PointsMovements& operator+=(const PointsMovements& other);
    bool operator==(const PointsMovements&) const = default;
};

struct CashbackMovements {
    std::int64_t issued = 0;
    std::int64_t spent = 0;
    std::int64_t returned = 0;
    std::int64_t refunded = 0;

    CashbackMovements& operator+=(const CashbackMovements& other);
    bool operator==(const CashbackMovements&) const = default;
};

// What members hold at an instant: the sums of their ledger accounts.
struct OutstandingBalances {
    std::int64_t points_available = 0;
    std::int64_t points_pending = 0;
    std::int64_t cashback = 0;

    std::int64_t points() const { return points_available + points_pending; }
    bool operator==(const OutstandingBalances&) const = default;
};

// E and R of the breakage formula, through some instant.
struct BreakageHistory {
    std::int64_t expired = 0;
    std::int64_t redeemed = 0;  // Net of points returns gave back.
};

struct Liability {
    std::int64_t points_value = 0;  // Outstanding points x point_value_minor.
    std::int64_t cashback = 0;
    std::int64_t total = 0;
    BreakageHistory breakage;
    std::int64_t breakage_ppm = 0;  // E / (E + R) in millionths, rounded half up; 0 without history.
    std::int64_t expected_breakage = 0;
    std::int64_t net = 0;  // total - expected_breakage.
};

Liability value_liability(const OutstandingBalances& outstanding, const BreakageHistory& history,
                          std::int64_t point_value_minor);

struct StoreFigures {
    std::optional<std::string> store;  // Its code; nullopt: movements of no store.
    PointsMovements points;
    CashbackMovements cashback;
};

struct PeriodFigures {
    ReportPeriod period;
    PointsMovements points;
    CashbackMovements cashback;
    OutstandingBalances closing;
    Liability liability;
    std::vector<StoreFigures> stores;  // When the query asks for stores.
};

struct PointsReport {
    ReportQuery query;
    std::string time_zone;
    std::string currency;
    std::int64_t point_value_minor = 0;
    OutstandingBalances opening;  // At the start of `from`.
    std::vector<PeriodFigures> periods;
    PeriodFigures total;  // The whole range as one period.
};

// What the report is built from. `before` holds every day before query.from (any day, store and
// kind: only its sums matter), `within` the days from..to.
struct PointsReportInputs {
    ReportQuery query;
    std::string time_zone;
    std::string currency;
    std::int64_t point_value_minor = 0;
    std::map<std::int64_t, std::string> store_codes;  // Every store of the programme, by id.
    std::optional<std::int64_t> store_id;             // The store the query names.
    LedgerDays before;
    LedgerDays within;
};

PointsReport build_points_report(const PointsReportInputs& inputs);

}  // namespace patron::core
