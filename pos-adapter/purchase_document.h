// Decodes the POS purchase document (docs/integration.md) into a core::Purchase. Every check
// names the offending field by JSON path, so a cashier's integrator sees exactly what to fix;
// nothing is written before the whole document is known to be good.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/purchase.h"

namespace patron::pos {

core::Result<core::Purchase> decode_purchase(const nlohmann::json& document);

// The "lines" array of purchase lines (also a blind return's goods); `lines` may be null.
core::Result<std::vector<core::PurchaseLine>> decode_purchase_lines(const nlohmann::json* lines);

}  // namespace patron::pos
