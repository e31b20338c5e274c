#include "pos-adapter/purchase_answer.h"

#include <nlohmann/json.hpp>

#include "loyalty/core/json_fields.h"

namespace patron::pos {

nlohmann::json encode_effects(const std::vector<core::Effect>& effects, bool explain) {
    nlohmann::json list = nlohmann::json::array();
    for (const core::Effect& effect : effects) {
        nlohmann::json encoded = {{"kind", core::to_string(effect.kind)},
                                  {"rule_id", effect.rule_id},
                                  {"rule_version", effect.rule_version},
                                  {"amount", effect.amount},
                                  {"receipt_line", effect.receipt_line.str()}};
        if (explain) {
            encoded["raw_milli"] = effect.raw_milli;
            encoded["capped"] = effect.capped;
            if (!effect.tier.empty()) encoded["tier"] = effect.tier;
        }
        if (effect.goal > 0) {
            encoded["count"] = effect.count_after;
            encoded["goal"] = effect.goal;
        } else if (effect.kind == core::EffectKind::kDrawEntries ||
                   effect.kind == core::EffectKind::kDrawEntriesRemoved) {
            encoded["count"] = effect.count_after;  // The member's entries in the draw after it.
        }
        if (effect.campaign_id > 0) encoded["campaign_id"] = effect.campaign_id;
        list.push_back(std::move(encoded));
    }
    return list;
}

nlohmann::json encode_stamps(const std::vector<core::StampCardSummary>& cards) {
    nlohmann::json list = nlohmann::json::array();
    for (const core::StampCardSummary& card : cards) {
        list.push_back({{"card_id", card.card_id},
                        {"name", card.name},
                        {"stamps", card.stamps},
                        {"count", card.count},
                        {"goal", card.goal},
                        {"rewards_earned", card.rewards_earned}});
    }
    return list;
}

// What the coupons did: each one redeemed (the discount the POS takes off, or bonus points), the
// total discount, and on a return or void each redemption given back.
nlohmann::json encode_coupons(const core::PurchaseResult& result) {
    nlohmann::json redeemed = nlohmann::json::array();
    std::int64_t discount = 0;
    for (const core::CouponDiscount& coupon : result.coupons_redeemed) {
        redeemed.push_back({{"code", coupon.code},
                            {"campaign_id", coupon.campaign_id},
                            {"campaign_version", coupon.campaign_version},
                            {"discount", coupon.discount},
                            {"bonus_points", coupon.bonus_points},
                            {"receipt_line", coupon.receipt_line.str()}});
        discount += coupon.discount;
    }
    nlohmann::json given_back = nlohmann::json::array();
    for (const core::CouponGivenBack& coupon : result.coupons_given_back) {
        given_back.push_back({{"code", coupon.code},
                              {"campaign_id", coupon.campaign_id},
                              {"discount", coupon.discount},
                              {"bonus_points", coupon.bonus_points}});
    }
    nlohmann::json issued = nlohmann::json::array();
    for (const core::CouponIssued& coupon : result.coupons_issued) {
        issued.push_back({{"code", coupon.code}, {"campaign_id", coupon.campaign_id}, {"stamp_card", coupon.card_id}});
    }
    return {{"redeemed", redeemed}, {"discount", discount}, {"given_back", given_back}, {"issued", issued}};
}

std::string encode_purchase_answer(const core::PurchaseResult& result) {
    using nlohmann::json;
    json member = nullptr;
    if (result.member) {
        member = {
            {"id", result.member->id}, {"masked_name", result.member->masked_name}, {"tier", result.member->tier}};
    }
    const json effects = encode_effects(result.effects, false);
    json answer = {
        {"purchase_id", result.quote ? json(nullptr) : json(result.purchase_id)},
        {"quote", result.quote},
        {"member", member},
        {"points",
         {{"earned", result.points_earned},
          {"redeemed", result.points_redeemed},
          {"redeemed_value", result.redeemed_value},
          {"available", result.points_available},
          {"pending", result.points_pending}}},
        {"cashback",
         {{"earned", result.cashback_earned},
          {"spent", result.cashback_spent},
          {"balance", result.cashback_balance},
          {"available", result.cashback_available},
          {"currency", result.currency.code}}},
        {"stamps", encode_stamps(result.stamps)},
        {"coupons", encode_coupons(result)},
        {"effects", effects},
        {"receipt_lines", result.receipt_lines},
    };
    if (result.hold) {
        answer["hold"] = {{"quote_id", result.hold->quote_id},
                          {"points", result.hold->points},
                          {"expires_at", core::format_utc(result.hold->expires_at, core::TimeFormat::kRfc3339)}};
    }
    if (result.claim) answer["claim"] = {{"qr", core::claim_code(*result.claim)}};
    if (result.feedback) {
        answer["feedback"] = {
            {"token", result.feedback->token},
            {"url", result.feedback->link},
            {"expires_at", core::format_utc(result.feedback->expires_at, core::TimeFormat::kRfc3339)}};
    }
    if (result.quote_check) {
        json differences = json::array();
        for (const auto& difference : result.quote_check->differences) {
            differences.push_back(
                {{"field", difference.field}, {"quoted", difference.quoted}, {"committed", difference.committed}});
        }
        answer["quote_check"] = {{"quote_id", result.quote_check->quote_id},
                                 {"matches", result.quote_check->matches()},
                                 {"differences", differences},
                                 {"reasons", result.quote_check->reasons}};
    }
    return core::json_text(answer);
}

}  // namespace patron::pos
