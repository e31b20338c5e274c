#include "pos-adapter/purchase_document.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "loyalty/core/coupons.h"
#include "loyalty/core/json_fields.h"
#include "loyalty/core/member_profile.h"
#include "pos-adapter/document_fields.h"

namespace patron::pos {
namespace {

using core::ErrorCode;
using core::fail;
using nlohmann::json;

constexpr std::size_t kCouponCodeMax = 40;

core::Result<core::PurchaseLine> decode_line(const json& line, std::size_t index) {
    const std::string prefix = "lines[" + std::to_string(index) + "].";
    if (!line.is_object())
        return fail(ErrorCode::kValidationFailed, "must be an object", prefix.substr(0, prefix.size() - 1));
    const FieldReader reader(line, prefix);
    auto number = reader.integer("line", 1, std::nullopt);
    if (!number) return std::unexpected(number.error());
    if (*number > std::numeric_limits<int>::max())
        return fail(ErrorCode::kValidationFailed, "is too large", reader.path("line"));
    auto sku = reader.text("sku", 64);
    if (!sku) return std::unexpected(sku.error());
    auto category = reader.optional_text("category", 64);
    if (!category) return std::unexpected(category.error());
    auto quantity = quantity_milli(reader);
    if (!quantity) return std::unexpected(quantity.error());
    auto unit_price = reader.integer("unit_price", 0, std::nullopt);
    if (!unit_price) return std::unexpected(unit_price.error());
    auto amount = reader.integer("amount", 0, std::nullopt);
    if (!amount) return std::unexpected(amount.error());
    auto discount = reader.integer("discount", 0, 0);
    if (!discount) return std::unexpected(discount.error());
    std::optional<std::int64_t> cost;
    if (const json* sent = reader.find("cost"); sent != nullptr && !sent->is_null()) {
        auto value = reader.integer("cost", 0, std::nullopt);
        if (!value) return std::unexpected(value.error());
        cost = *value;
    }
    return core::PurchaseLine{
        static_cast<int>(*number), *sku, category->value_or(""), *quantity, *unit_price, *amount, *discount, cost};
}

core::Result<std::vector<std::string>> decode_coupons(const FieldReader& reader) {
    std::vector<std::string> coupons;
    const json* value = reader.find("coupons");
    if (value == nullptr || value->is_null()) return coupons;
    if (!value->is_array() || value->size() > core::kCouponsPerPurchaseMax) {
        return fail(ErrorCode::kValidationFailed, "must be an array of at most 10 codes", "coupons");
    }
    for (std::size_t i = 0; i < value->size(); ++i) {
        const json& code = (*value)[i];
        // Codes are kept in an ASCII column: any other text can name no code and is refused here.
        if (!code.is_string() || !core::is_ascii_identifier(code.get_ref<const std::string&>(), kCouponCodeMax, "-")) {
            return fail(ErrorCode::kValidationFailed, "must be a code of 1 to 40 letters, digits or '-'",
                        "coupons[" + std::to_string(i) + "]");
        }
        coupons.push_back(code.get<std::string>());
    }
    return coupons;
}

}  // namespace

core::Result<std::vector<core::PurchaseLine>> decode_purchase_lines(const json* lines) {
    if (lines == nullptr || !lines->is_array() || lines->empty() || lines->size() > kLinesMax) {
        return fail(ErrorCode::kValidationFailed, "must be an array of 1 to 1000 lines", "lines");
    }
    std::vector<core::PurchaseLine> decoded;
    for (std::size_t i = 0; i < lines->size(); ++i) {
        auto line = decode_line((*lines)[i], i);
        if (!line) return std::unexpected(line.error());
        decoded.push_back(std::move(*line));
    }
    return decoded;
}

core::Result<core::Purchase> decode_purchase(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "the purchase must be a JSON object", "$");
    const FieldReader reader(document, "");
    core::Purchase purchase{};

    auto header = decode_receipt_header(reader);
    if (!header) return std::unexpected(header.error());
    purchase.key = std::move(header->key);
    purchase.pos_time = header->pos_time;
    purchase.currency = header->currency;

    auto card = reader.optional_text("card", 19);
    if (!card) return std::unexpected(card.error());
    purchase.card = *card;

    auto lines = decode_purchase_lines(reader.find("lines"));
    if (!lines) return std::unexpected(lines.error());
    purchase.lines = std::move(*lines);
    auto total = reader.integer("total", 0, std::nullopt);
    if (!total) return std::unexpected(total.error());
    purchase.total = *total;
    auto coupons = decode_coupons(reader);
    if (!coupons) return std::unexpected(coupons.error());
    purchase.coupons = std::move(*coupons);
    auto redeem = reader.integer("redeem_points", 0, 0);
    if (!redeem) return std::unexpected(redeem.error());
    purchase.redeem_points = *redeem;
    auto cashback = reader.integer("spend_cashback", 0, 0);
    if (!cashback) return std::unexpected(cashback.error());
    purchase.spend_cashback = *cashback;

    auto quote_id = reader.optional_text("quote_id", 40);
    if (!quote_id) return std::unexpected(quote_id.error());
    if (*quote_id && !core::is_ascii_identifier(**quote_id, 40)) {
        return fail(ErrorCode::kValidationFailed, "must be the quote_id a quote answered (letters, digits, '_')",
                    "quote_id");
    }
    purchase.quote_id = *quote_id;
    if (const json* hold = reader.find("hold"); hold != nullptr && !hold->is_null()) {
        if (!hold->is_boolean())
            return fail(ErrorCode::kValidationFailed, "must be true or false", "hold",
                        core::reason(core::ReasonKind::kWrongType));
        purchase.hold = hold->get<bool>();
    }

    if (auto consistent = core::check_purchase_consistency(purchase); !consistent) {
        return std::unexpected(consistent.error());
    }
    return purchase;
}

}  // namespace patron::pos
