// The answer to the POS for a committed purchase (docs/integration.md, "The answer").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "loyalty/core/purchase_result.h"

namespace patron::pos {

std::string encode_purchase_answer(const core::PurchaseResult& result);

// Effects as the answer lists them; `explain` adds what marketers need to understand them: the
// exact points before rounding (raw_milli, thousandths), whether a limit cut them, the new tier.
nlohmann::json encode_effects(const std::vector<core::Effect>& effects, bool explain);

// Each stamp card a purchase, return or preview touched: its stamps out of its goal after it.
nlohmann::json encode_stamps(const std::vector<core::StampCardSummary>& cards);

}  // namespace patron::pos
