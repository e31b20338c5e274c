// What every POS document shares: reading JSON fields with their paths (the first problem
// wins, named by its full JSON path), quantities as exact thousandths, RFC 3339 times, and the
// receipt header (store, terminal, receipt, business day, POS time, currency).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "loyalty/core/error.h"
#include "loyalty/core/money.h"
#include "loyalty/core/purchase.h"

namespace patron::pos {

inline constexpr std::size_t kLinesMax = 1000;  // Lines of one document.
inline constexpr std::int64_t kAmountMax = 1'000'000'000'000'000;  // 10^18 minor units: far above any basket.

// Reads fields of one JSON object, recording the first problem with its full path.
class FieldReader {
  public:
    FieldReader(const nlohmann::json& object, std::string prefix) : object_(object), prefix_(std::move(prefix)) {}

    std::string path(std::string_view key) const { return prefix_ + std::string(key); }

    core::Result<std::string> text(std::string_view key, std::size_t max_length) const {
        const nlohmann::json* value = find(key);
        if (value == nullptr) return core::fail(core::ErrorCode::kValidationFailed, "is required", path(key));
        if (!value->is_string()) return core::fail(core::ErrorCode::kValidationFailed, "must be a string", path(key));
        const auto& text = value->get_ref<const std::string&>();
        if (text.empty() || text.size() > max_length) {
            return core::fail(core::ErrorCode::kValidationFailed,
                              "must be 1 to " + std::to_string(max_length) + " characters", path(key));
        }
        return text;
    }

    core::Result<std::optional<std::string>> optional_text(std::string_view key, std::size_t max_length) const {
        const nlohmann::json* value = find(key);
        if (value == nullptr || value->is_null()) return std::optional<std::string>{};
        auto present = text(key, max_length);
        if (!present) return std::unexpected(present.error());
        return std::optional(*present);
    }

    core::Result<std::int64_t> integer(std::string_view key, std::int64_t minimum,
                                       std::optional<std::int64_t> fallback) const {
        const nlohmann::json* value = find(key);
        if (value == nullptr) {
            if (fallback) return *fallback;
            return core::fail(core::ErrorCode::kValidationFailed, "is required", path(key));
        }
        if (!value->is_number_integer()) {
            return core::fail(core::ErrorCode::kValidationFailed, "must be a whole number", path(key));
        }
        if (value->is_number_unsigned() && value->get<std::uint64_t>() > static_cast<std::uint64_t>(kAmountMax)) {
            return core::fail(core::ErrorCode::kValidationFailed, "is too large", path(key));
        }
        const auto number = value->get<std::int64_t>();
        if (number < minimum) {
            return core::fail(core::ErrorCode::kValidationFailed, "must be at least " + std::to_string(minimum),
                              path(key));
        }
        if (number > kAmountMax) return core::fail(core::ErrorCode::kValidationFailed, "is too large", path(key));
        return number;
    }

    const nlohmann::json* find(std::string_view key) const {
        const auto it = object_.find(key);
        return it == object_.end() ? nullptr : &*it;
    }

  private:
    const nlohmann::json& object_;
    std::string prefix_;
};

// Quantities are JSON numbers with at most 3 decimals; kept as exact thousandths.
core::Result<std::int64_t> quantity_milli(const FieldReader& reader);

// "2026-11-22T18:03:40+03:30" (RFC 3339 with an offset or Z, optional fraction) as an instant.
std::optional<core::PosTime> parse_rfc3339(std::string_view text);

// A receipt key at `reader`: store, terminal, receipt, business_day.
core::Result<core::ReceiptKey> decode_receipt_key(const FieldReader& reader);

// A claim of a purchase made without the card: its receipt key at the top level and, as the
// receipt prints it, its total in minor units (required when `total_required`).
struct ReceiptClaim {
    core::ReceiptKey receipt;
    std::optional<std::int64_t> total;
};
core::Result<ReceiptClaim> decode_receipt_claim(const nlohmann::json& document, bool total_required);

struct ReceiptHeader {
    core::ReceiptKey key;
    core::PosTime pos_time;
    core::Currency currency;
};
// The receipt key, pos_time and currency of a POS document.
core::Result<ReceiptHeader> decode_receipt_header(const FieldReader& reader);

}  // namespace patron::pos
