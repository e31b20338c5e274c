#include "loyalty/core/rewards_report.h"

#include <array>
#include <nlohmann/json.hpp>
#include <set>

#include "loyalty/core/feedback_report.h"
#include "loyalty/core/reward_rule_ids.h"

namespace patron::core {
namespace {

struct RewardKindName {
    RewardKind kind;
    std::string_view name;
};

constexpr std::array<RewardKindName, 5> kRewardKinds = {{
    {RewardKind::kEarnRule, "earn_rule"},
    {RewardKind::kCouponCampaign, "coupon_campaign"},
    {RewardKind::kStampCard, "stamp_card"},
    {RewardKind::kCashbackRule, "cashback_rule"},
    {RewardKind::kBlindReturn, "blind_return"},
}};

// The lists of a rule document and the kind of source each entry is.
constexpr std::array<std::pair<const char*, RewardKind>, 3> kRuleLists = {{
    {"rules", RewardKind::kEarnRule},
    {"cashback", RewardKind::kCashbackRule},
    {"stamp_cards", RewardKind::kStampCard},
}};

std::optional<std::int64_t> share_x10(std::int64_t part, std::int64_t whole) {
    if (whole <= 0) return std::nullopt;
    return rounded_ratio(part, 1000, whole);
}

}  // namespace

std::string_view to_string(RewardKind kind) {
    for (const RewardKindName& entry : kRewardKinds) {
        if (entry.kind == kind) return entry.name;
    }
    return "";
}

RewardSource points_reward_source(const std::string& rule_id) {
    if (auto campaign = coupon_of_rule_id(rule_id)) return {RewardKind::kCouponCampaign, std::move(*campaign)};
    if (auto card = stamp_card_of_rule_id(rule_id)) return {RewardKind::kStampCard, std::move(*card)};
    if (rule_id == kBlindReturnRuleId) return {RewardKind::kBlindReturn, rule_id};
    return {RewardKind::kEarnRule, rule_id};
}

RewardFlows& RewardFlows::operator+=(const RewardFlows& other) {
    points_given += other.points_given;
    points_taken_back += other.points_taken_back;
    discount_given += other.discount_given;
    discount_given_back += other.discount_given_back;
    cashback_given += other.cashback_given;
    cashback_taken_back += other.cashback_taken_back;
    redemptions += other.redemptions;
    redemptions_given_back += other.redemptions_given_back;
    stamps_given += other.stamps_given;
    stamps_taken_back += other.stamps_taken_back;
    cards_completed += other.cards_completed;
    cards_revoked += other.cards_revoked;
    return *this;
}

RewardValues reward_values(const RewardRow& row, std::int64_t point_value_minor) {
    const RewardFlows& flows = row.flows;
    RewardValues values;
    values.points_net = flows.points_given - flows.points_taken_back;
    values.points_value_minor = values.points_net * point_value_minor;
    values.discount_net = flows.discount_given - flows.discount_given_back;
    values.cashback_net = flows.cashback_given - flows.cashback_taken_back;
    values.reward_value_minor = values.points_value_minor + values.discount_net + values.cashback_net;
    if (row.coupons)
        values.redemption_rate_x10 = share_x10(row.coupons->single_use_redeemed, row.coupons->single_use_issued);
    if (row.cards) values.completion_rate_x10 = share_x10(row.cards->members_completed, row.cards->members_started);
    return values;
}

RewardsReport build_rewards_report(const RewardsReportInputs& inputs) {
    RewardsReport report{inputs.query, inputs.time_zone, inputs.currency, inputs.point_value_minor, {}, {}};
    report.query.by = PeriodSize::kTotal;
    std::set<RewardSource> sources(inputs.listed.begin(), inputs.listed.end());
    for (const auto& [key, flows] : inputs.flows) sources.insert(key.first);
    for (const auto& [source, reach] : inputs.reach) sources.insert(source);
    for (const auto& [campaign, issue] : inputs.coupons) sources.insert({RewardKind::kCouponCampaign, campaign});
    for (const auto& [card, take_up] : inputs.cards) sources.insert({RewardKind::kStampCard, card});
    const auto store_code = [&](std::int64_t id) {
        const auto found = inputs.store_codes.find(id);
        return found == inputs.store_codes.end() ? std::string() : found->second;
    };
    for (const RewardSource& source : sources) {
        RewardRow whole{source, source.id, "", {}, {}, std::nullopt, std::nullopt};
        if (const auto name = inputs.names.find(source); name != inputs.names.end() && !name->second.empty()) {
            whole.name = name->second;
        }
        // Store rows by code: the map from store id follows the ids, not the codes.
        std::map<std::string, RewardRow> stores;
        for (auto at = inputs.flows.lower_bound({source, 0}); at != inputs.flows.end() && at->first.first == source;
             ++at) {
            whole.flows += at->second;
            const std::string code = store_code(at->first.second);
            if (!inputs.query.per_store() || code.empty() || inputs.query.store.value_or(code) != code) continue;
            RewardRow& row =
                stores.try_emplace(code, RewardRow{source, whole.name, code, {}, {}, {}, {}}).first->second;
            row.flows += at->second;
            if (const auto reach = inputs.store_reach.find(at->first); reach != inputs.store_reach.end()) {
                row.reach = reach->second;
            }
        }
        if (const auto reach = inputs.reach.find(source); reach != inputs.reach.end()) whole.reach = reach->second;
        if (source.kind == RewardKind::kCouponCampaign) {
            const auto issue = inputs.coupons.find(source.id);
            whole.coupons = issue == inputs.coupons.end() ? CouponIssue{} : issue->second;
        }
        if (source.kind == RewardKind::kStampCard) {
            const auto take_up = inputs.cards.find(source.id);
            whole.cards = take_up == inputs.cards.end() ? CardTakeUp{} : take_up->second;
        }
        report.total += whole.flows;
        report.rows.push_back(std::move(whole));
        for (auto& [code, row] : stores) report.rows.push_back(std::move(row));
    }
    return report;
}

std::map<RewardSource, std::string> rule_document_names(const nlohmann::json& document) {
    std::map<RewardSource, std::string> names;
    if (!document.is_object()) return names;
    for (const auto& [list, kind] : kRuleLists) {
        const auto entries = document.find(list);
        if (entries == document.end() || !entries->is_array()) continue;
        for (const nlohmann::json& entry : *entries) {
            if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string()) continue;
            const auto name = entry.find("name");
            names[{kind, entry["id"].get<std::string>()}] =
                name != entry.end() && name->is_string() ? name->get<std::string>() : std::string();
        }
    }
    return names;
}

}  // namespace patron::core
