// The Rewards report (issue 17): per earn rule, coupon campaign, stamp card and cashback rule, what
// it gave over the query's range of local dates, net of what returns and voids took back in the
// same range, and whom it touched. Everything is dated by its own instant in the programme's time
// zone (an earning by its purchase, a take-back by its return), as the Points & cashback report
// dates the ledger, so the points of all rows together are that report's issued less returned.
//
//   points      earned under the rule (ledger transfers of kind earn, rule id as written: the
//               rule's id, "coupon:<campaign>" for a coupon's bonus, "stamps:<card>" for a card's
//               points reward) less those reversed (kind reverse, the earning lot's rule id);
//               valued at the programme's redemption value (point_value_minor) as they stand now.
//   discount    coupon discounts redeemed less those returns gave back.
//   cashback    earned under the cashback rule less what returns took back.
//   purchases, members   distinct purchases (and members) the entry gave something on in the
//               range: earnings, cashback, coupon redemptions, stamps given. Counted when given,
//               whether or not a return later took it back.
//   coupons     codes issued in the range (not revoked by its end), single-use ones among them,
//               and of those how many were redeemed by the range's end and not given back:
//               redemption rate = that / single-use codes issued (public codes are left out).
//   stamp cards stamps given less those returns took back; cards completed (rewards issued) less
//               those a return revoked. A member started the card with their first stamp on it;
//               completion rate = members who completed it at least once / members who started
//               it, both through the range's end (cumulative: "of everyone who began this card,
//               how many filled it").
// Stores: a figure counts at the store of the purchase or return it came with (stamps taken back
// and revoked rewards at the store of the purchase that gave them); issued codes and the
// cumulative card figures belong to no store and are absent from store rows. Points a return
// without a receipt took back name no rule: they are a row of their own (kind blind_return).
// Rates are in tenths of a percent, rounded half away from zero; absent without a denominator.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/report_query.h"

namespace patron::core {

enum class RewardKind { kEarnRule, kCouponCampaign, kStampCard, kCashbackRule, kBlindReturn };

std::string_view to_string(RewardKind kind);

// What gives a reward: its kind and its id (a campaign's number as text).
struct RewardSource {
    RewardKind kind = RewardKind::kEarnRule;
    std::string id;

    auto operator<=>(const RewardSource&) const = default;
};

// The source of a points ledger rule id ("base", "coupon:7", "stamps:coffee", "blind_return").
RewardSource points_reward_source(const std::string& rule_id);

// What a source gave and took back at one store (or in the whole programme): additive figures.
struct RewardFlows {
    std::int64_t points_given = 0;
    std::int64_t points_taken_back = 0;
    std::int64_t discount_given = 0;
    std::int64_t discount_given_back = 0;
    std::int64_t cashback_given = 0;
    std::int64_t cashback_taken_back = 0;
    std::int64_t redemptions = 0;  // Coupon redemptions.
    std::int64_t redemptions_given_back = 0;
    std::int64_t stamps_given = 0;
    std::int64_t stamps_taken_back = 0;
    std::int64_t cards_completed = 0;
    std::int64_t cards_revoked = 0;

    RewardFlows& operator+=(const RewardFlows& other);
    bool operator==(const RewardFlows&) const = default;
};

// Distinct purchases and members a source touched (not additive: counted by the database).
struct RewardReach {
    std::int64_t purchases = 0;
    std::int64_t members = 0;

    bool operator==(const RewardReach&) const = default;
};

// The programme-wide figures of a coupon campaign.
struct CouponIssue {
    std::int64_t codes_issued = 0;
    std::int64_t single_use_issued = 0;
    std::int64_t single_use_redeemed = 0;
};

// The programme-wide, cumulative figures of a stamp card.
struct CardTakeUp {
    std::int64_t members_started = 0;
    std::int64_t members_completed = 0;
};

// What the database answered, keyed by source (and store id; 0: none). The programme's flows are
// its stores' summed; its reach is counted apart.
struct RewardsReportInputs {
    ReportQuery query;
    std::string time_zone;
    std::string currency;
    std::int64_t point_value_minor = 0;
    std::map<std::int64_t, std::string> store_codes;  // Every store of the programme, by id.
    std::map<RewardSource, std::string> names;        // From the rules and the campaigns.
    std::vector<RewardSource> listed;                 // Shown even when they gave nothing.
    std::map<std::pair<RewardSource, std::int64_t>, RewardFlows> flows;
    std::map<RewardSource, RewardReach> reach;
    std::map<std::pair<RewardSource, std::int64_t>, RewardReach> store_reach;
    std::map<std::string, CouponIssue> coupons;  // By campaign id.
    std::map<std::string, CardTakeUp> cards;     // By card id.
};

struct RewardRow {
    RewardSource source;
    std::string name;   // The rule's, card's or campaign's; its id when none is known.
    std::string store;  // Empty: the whole programme.
    RewardFlows flows;
    RewardReach reach;
    std::optional<CouponIssue> coupons;  // Coupon campaigns' programme rows.
    std::optional<CardTakeUp> cards;     // Stamp cards' programme rows.
};

// Derived figures of a row.
struct RewardValues {
    std::int64_t points_net = 0;
    std::int64_t points_value_minor = 0;
    std::int64_t discount_net = 0;
    std::int64_t cashback_net = 0;
    std::int64_t reward_value_minor = 0;  // Points' value + discount + cashback.
    std::optional<std::int64_t> redemption_rate_x10;
    std::optional<std::int64_t> completion_rate_x10;
};

RewardValues reward_values(const RewardRow& row, std::int64_t point_value_minor);

struct RewardsReport {
    ReportQuery query;  // by is total: the report sums the whole range.
    std::string time_zone;
    std::string currency;
    std::int64_t point_value_minor = 0;
    std::vector<RewardRow> rows;  // Per source (by kind, then id): the programme's row, then its stores' by code.
    RewardFlows total;            // Every source's programme row summed.
};

// Rows for every source with figures or listed; store rows when the query asks for stores (only
// the named one when it names one), for the stores where the source did something.
RewardsReport build_rewards_report(const RewardsReportInputs& inputs);

// The names of a rule document's entries (its "rules", "cashback" and "stamp_cards" lists).
std::map<RewardSource, std::string> rule_document_names(const nlohmann::json& document);

}  // namespace patron::core
