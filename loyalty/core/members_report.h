// The Members report (issue 17): per period of the programme's time zone, the members enrolled,
// the tier moves up and down, and what members bought: buyers (distinct members with a purchase),
// new buyers (whose first purchase ever falls in the period) and returning ones, visits
// (purchases), spend net of returns and voids, and spend and visits per buyer; per store where
// asked (purchase figures only: enrolment and tiers belong to no store). Then a snapshot at the
// end of the range: the active members, those who bought in the last 30, 90 and 365 days, today's
// tier distribution and the marketing consents as counts and shares.
//
// Ratios are integers: spend per buyer in minor units, visits per buyer x 100, shares in tenths of
// a percent (per mille), each rounded half away from zero (core/rounded_ratio.h); 0 without a
// denominator.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "loyalty/core/report_query.h"
#include "loyalty/core/rounded_ratio.h"
#include "loyalty/core/time.h"

namespace patron::core {

// What the purchases of a period (and maybe a store) add up to, as counted from the purchases table.
struct BuyerCounts {
    std::int64_t buyers = 0;      // Distinct members with a purchase not voided.
    std::int64_t new_buyers = 0;  // Of them, those with no purchase before the period.
    std::int64_t visits = 0;      // Purchases not voided.
    std::int64_t spend = 0;       // Purchases' totals less returns' and voids', minor units.
    bool operator==(const BuyerCounts&) const = default;
};

struct BuyerFigures {
    BuyerCounts counts;
    std::int64_t returning_buyers = 0;
    std::int64_t spend_per_buyer = 0;
    std::int64_t visits_per_buyer_x100 = 0;
};

BuyerFigures buyer_figures(const BuyerCounts& counts);

struct StoreBuyers {
    std::string store;
    BuyerFigures buyers;
};

struct MembersPeriod {
    ReportPeriod period;
    std::int64_t enrolled = 0;
    std::int64_t tier_ups = 0;
    std::int64_t tier_downs = 0;
    BuyerFigures buyers;
    std::vector<StoreBuyers> stores;  // When the query asks for stores.
};

struct ConsentFigures {
    std::int64_t granted = 0;
    std::int64_t share_permille = 0;  // Of the snapshot's members.
};

struct MembersSnapshot {
    std::int64_t members = 0;  // Active (not erased or merged), enrolled by the end of the range.
    std::int64_t active_30_days = 0;
    std::int64_t active_90_days = 0;
    std::int64_t active_365_days = 0;
    std::map<std::string, std::int64_t> by_tier;  // Their tiers now ("" when the programme has none).
    ConsentFigures marketing_sms;
    ConsentFigures marketing_email;
};

struct MembersReport {
    ReportQuery query;
    std::string time_zone;
    std::string currency;
    std::vector<MembersPeriod> periods;
    MembersPeriod total;  // The whole range as one period (its buyers counted once).
    MembersSnapshot snapshot;
};

// The counts of one period as the store layer reads them; purchase counts per store id.
struct MembersPeriodCounts {
    std::int64_t enrolled = 0;
    std::int64_t tier_ups = 0;
    std::int64_t tier_downs = 0;
    BuyerCounts buyers;
    std::map<std::int64_t, BuyerCounts> stores;
};

// A member's purchase, return or void as the Members report counts it (anonymous ones it does not).
struct MemberPurchaseFact {
    Timestamp received_at;
    std::int64_t member_id = 0;
    std::int64_t store_id = 0;
    bool visit = false;      // A purchase not voided.
    std::int64_t spend = 0;  // A purchase's total; minus a return's or a void's.
};

// The first instant of a purchase not voided of members, by member id.
using FirstPurchases = std::unordered_map<std::int64_t, Timestamp>;

// Buyers, new buyers, visits and spend of `facts` per span [bounds[i], bounds[i + 1]) into
// counts[i].buyers (counts has a span each), and per store into counts[i].stores when `per_store`
// (only store_id's when given); facts outside the spans are left out. A buyer is new in a span
// when their first purchase is in it: `first_purchases` holds at least every member whose first
// purchase is at or after bounds.front().
void count_buyers(const std::vector<MemberPurchaseFact>& facts, const std::vector<Timestamp>& bounds,
                  const FirstPurchases& first_purchases, bool per_store, std::optional<std::int64_t> store_id,
                  std::vector<MembersPeriodCounts>& counts);

struct MembersSnapshotCounts {
    std::int64_t members = 0;
    std::int64_t active_30_days = 0;
    std::int64_t active_90_days = 0;
    std::int64_t active_365_days = 0;
    std::map<std::string, std::int64_t> by_tier;
    std::int64_t marketing_sms = 0;
    std::int64_t marketing_email = 0;
};

struct MembersReportInputs {
    ReportQuery query;
    std::string time_zone;
    std::string currency;
    std::map<std::int64_t, std::string> store_codes;  // Every store of the programme, by id.
    std::optional<std::int64_t> store_id;             // The store the query names.
    std::vector<MembersPeriodCounts> periods;         // One per report_periods(from, to, by).
    MembersPeriodCounts total;
    MembersSnapshotCounts snapshot;
};

MembersReport build_members_report(const MembersReportInputs& inputs);

}  // namespace patron::core
