#include "pos-adapter/decimal_text.h"

#include <nlohmann/json.hpp>

namespace patron::pos {
namespace {

constexpr std::int64_t kDecimalMax = 1'000'000'000'000'000'000;  // 10^18, in the scaled unit.

}  // namespace

std::optional<std::int64_t> parse_decimal(std::string_view text, int scale, bool negative_allowed) {
    bool negative = false;
    if (!text.empty() && text.front() == '-') {
        if (!negative_allowed) return std::nullopt;
        negative = true;
        text.remove_prefix(1);
    }
    const std::size_t point = text.find('.');
    const std::string_view whole = text.substr(0, point);
    const std::string_view fraction = point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
    if (whole.empty() || whole.size() > 19 || fraction.size() > static_cast<std::size_t>(scale)) return std::nullopt;
    if (point != std::string_view::npos && fraction.empty()) return std::nullopt;
    __int128 value = 0;
    const auto digits = [&](std::string_view part) {
        for (const char c : part) {
            if (c < '0' || c > '9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    };
    if (!digits(whole) || !digits(fraction)) return std::nullopt;
    for (std::size_t i = fraction.size(); i < static_cast<std::size_t>(scale); ++i) value *= 10;
    if (value > kDecimalMax) return std::nullopt;
    return static_cast<std::int64_t>(negative ? -value : value);
}

nlohmann::json quantity_json(std::int64_t quantity_milli) {
    if (quantity_milli % 1000 == 0) return quantity_milli / 1000;
    return static_cast<double>(quantity_milli) / 1000.0;
}

}  // namespace patron::pos
