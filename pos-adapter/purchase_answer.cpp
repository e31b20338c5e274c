#include "pos-adapter/purchase_answer.h"

#include <nlohmann/json.hpp>

namespace patron::pos {

std::string encode_purchase_answer(const core::PurchaseResult& result) {
    using nlohmann::json;
    json member = nullptr;
    if (result.member) {
        member = {
            {"id", result.member->id}, {"masked_name", result.member->masked_name}, {"tier", result.member->tier}};
    }
    json effects = json::array();
    for (const core::Effect& effect : result.effects) {
        effects.push_back({{"kind", core::effect_kind_name(effect.kind)},
                           {"rule_id", effect.rule_id},
                           {"rule_version", effect.rule_version},
                           {"amount", effect.amount},
                           {"receipt_line", effect.receipt_line}});
    }
    const json answer = {
        {"purchase_id", result.purchase_id},
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
          {"currency", result.currency.code}}},
        {"stamps", json::array()},
        {"coupons", {{"redeemed", json::array()}, {"issued", json::array()}}},
        {"effects", effects},
        {"receipt_lines", result.receipt_lines},
    };
    return answer.dump();
}

}  // namespace patron::pos
