// Decimal numbers written as text, as POSLog and CSV files carry them, read exactly into
// integers: money in a currency's major unit ("12.50" USD -> 1250 minor units, "450000" IRR ->
// 450000) and quantities ("1.250" kg -> 1250 thousandths). No floating point on the way.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string_view>

namespace patron::pos {

// The value of `text` (digits, optionally "." and at most `scale` decimals, optionally a leading
// "-" when `negative_allowed`) times 10^scale; nullopt when it is not such a number or too large.
std::optional<std::int64_t> parse_decimal(std::string_view text, int scale, bool negative_allowed = false);

// A quantity in thousandths as the JSON number the native document carries (2000 -> 2, 1250 -> 1.25).
nlohmann::json quantity_json(std::int64_t quantity_milli);

}  // namespace patron::pos
