#include "loyalty/core/rewards_report_document.h"

#include "loyalty/core/csv_writer.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/report_document.h"

namespace patron::core {
namespace {

using nlohmann::json;

json optional_number(const std::optional<std::int64_t>& value) { return value ? json(*value) : json(nullptr); }

json money_json(const RewardFlows& flows, const RewardValues& values) {
    return {
        {"points",
         {{"given", flows.points_given},
          {"taken_back", flows.points_taken_back},
          {"net", values.points_net},
          {"value_minor", values.points_value_minor}}},
        {"discount",
         {{"given", flows.discount_given}, {"given_back", flows.discount_given_back}, {"net", values.discount_net}}},
        {"cashback",
         {{"given", flows.cashback_given}, {"taken_back", flows.cashback_taken_back}, {"net", values.cashback_net}}},
        {"reward_value_minor", values.reward_value_minor}};
}

json row_json(const RewardRow& row, std::int64_t point_value_minor) {
    const RewardFlows& flows = row.flows;
    const RewardValues values = reward_values(row, point_value_minor);
    json out = {{"kind", std::string(to_string(row.source.kind))},
                {"id", row.source.id},
                {"name", row.name},
                {"store", row.store.empty() ? json(nullptr) : json(row.store)},
                {"purchases", row.reach.purchases},
                {"members", row.reach.members}};
    out.update(money_json(flows, values));
    if (row.source.kind == RewardKind::kCouponCampaign) {
        json coupons = {{"redemptions", flows.redemptions}, {"given_back", flows.redemptions_given_back}};
        if (row.coupons) {
            coupons["codes_issued"] = row.coupons->codes_issued;
            coupons["single_use_issued"] = row.coupons->single_use_issued;
            coupons["single_use_redeemed"] = row.coupons->single_use_redeemed;
            coupons["redemption_rate_x10"] = optional_number(values.redemption_rate_x10);
        }
        out["coupons"] = std::move(coupons);
    }
    if (row.source.kind == RewardKind::kStampCard) {
        json stamps = {{"stamps_given", flows.stamps_given},
                       {"stamps_taken_back", flows.stamps_taken_back},
                       {"cards_completed", flows.cards_completed},
                       {"cards_revoked", flows.cards_revoked}};
        if (row.cards) {
            stamps["members_started"] = row.cards->members_started;
            stamps["members_completed"] = row.cards->members_completed;
            stamps["completion_rate_x10"] = optional_number(values.completion_rate_x10);
        }
        out["stamps"] = std::move(stamps);
    }
    return out;
}

constexpr const char* kCsvColumns[] = {"period",
                                       "from",
                                       "to",
                                       "scope",
                                       "store",
                                       "kind",
                                       "id",
                                       "name",
                                       "currency",
                                       "purchases",
                                       "members",
                                       "points_given",
                                       "points_taken_back",
                                       "points_net",
                                       "points_value_minor",
                                       "discount_given",
                                       "discount_given_back",
                                       "discount_net",
                                       "cashback_given",
                                       "cashback_taken_back",
                                       "cashback_net",
                                       "reward_value_minor",
                                       "redemptions",
                                       "redemptions_given_back",
                                       "codes_issued",
                                       "single_use_issued",
                                       "single_use_redeemed",
                                       "redemption_rate_x10",
                                       "stamps_given",
                                       "stamps_taken_back",
                                       "cards_completed",
                                       "cards_revoked",
                                       "members_started",
                                       "members_completed",
                                       "completion_rate_x10"};

std::optional<std::int64_t> when(bool present, std::int64_t value) {
    return present ? std::optional(value) : std::nullopt;
}

void row_csv(CsvWriter& csv, const RewardsReport& report, const RewardRow& row) {
    const RewardFlows& flows = row.flows;
    const RewardValues values = reward_values(row, report.point_value_minor);
    const bool coupon = row.source.kind == RewardKind::kCouponCampaign;
    const bool card = row.source.kind == RewardKind::kStampCard;
    csv.text(format_date(report.query.from) + "/" + format_date(report.query.to));
    csv.text(format_date(report.query.from)).text(format_date(report.query.to));
    csv.text(row.store.empty() ? "all" : "store").text(row.store);
    csv.text(to_string(row.source.kind)).text(row.source.id).text(row.name).text(report.currency);
    csv.number(row.reach.purchases).number(row.reach.members);
    csv.number(flows.points_given).number(flows.points_taken_back).number(values.points_net);
    csv.number(values.points_value_minor);
    csv.number(flows.discount_given).number(flows.discount_given_back).number(values.discount_net);
    csv.number(flows.cashback_given).number(flows.cashback_taken_back).number(values.cashback_net);
    csv.number(values.reward_value_minor);
    csv.number_or_blank(when(coupon, flows.redemptions)).number_or_blank(when(coupon, flows.redemptions_given_back));
    const CouponIssue issue = row.coupons.value_or(CouponIssue{});
    csv.number_or_blank(when(row.coupons.has_value(), issue.codes_issued));
    csv.number_or_blank(when(row.coupons.has_value(), issue.single_use_issued));
    csv.number_or_blank(when(row.coupons.has_value(), issue.single_use_redeemed));
    csv.number_or_blank(values.redemption_rate_x10);
    csv.number_or_blank(when(card, flows.stamps_given)).number_or_blank(when(card, flows.stamps_taken_back));
    csv.number_or_blank(when(card, flows.cards_completed)).number_or_blank(when(card, flows.cards_revoked));
    const CardTakeUp take_up = row.cards.value_or(CardTakeUp{});
    csv.number_or_blank(when(row.cards.has_value(), take_up.members_started));
    csv.number_or_blank(when(row.cards.has_value(), take_up.members_completed));
    csv.number_or_blank(values.completion_rate_x10).end_row();
}

}  // namespace

json rewards_report_json(const RewardsReport& report) {
    json rows = json::array();
    for (const RewardRow& row : report.rows) rows.push_back(row_json(row, report.point_value_minor));
    const RewardRow total{{}, "", "", report.total, {}, std::nullopt, std::nullopt};
    json document = report_heading("rewards", report.query, report.time_zone);
    document["currency"] = report.currency;
    document["point_value_minor"] = report.point_value_minor;
    document["rows"] = std::move(rows);
    document["total"] = money_json(report.total, reward_values(total, report.point_value_minor));
    return document;
}

std::string rewards_report_csv(const RewardsReport& report) {
    CsvWriter csv;
    for (const char* column : kCsvColumns) csv.text(column);
    csv.end_row();
    for (const RewardRow& row : report.rows) row_csv(csv, report, row);
    return csv.csv();
}

}  // namespace patron::core
