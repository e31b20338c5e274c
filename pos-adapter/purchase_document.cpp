#include "pos-adapter/purchase_document.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "loyalty/core/member_profile.h"

namespace patron::pos {
namespace {

using core::ErrorCode;
using core::fail;
using nlohmann::json;

constexpr std::size_t kLinesMax = 1000;
constexpr std::int64_t kAmountMax = 1'000'000'000'000'000;  // 10^18 minor units: far above any basket.
constexpr double kQuantityMax = 1'000'000;

// Reads fields of one JSON object, recording the first problem with its full path.
class FieldReader {
  public:
    FieldReader(const json& object, std::string prefix) : object_(object), prefix_(std::move(prefix)) {}

    std::string path(std::string_view key) const { return prefix_ + std::string(key); }

    core::Result<std::string> text(std::string_view key, std::size_t max_length) const {
        const json* value = find(key);
        if (value == nullptr) return fail(ErrorCode::kValidationFailed, "is required", path(key));
        if (!value->is_string()) return fail(ErrorCode::kValidationFailed, "must be a string", path(key));
        const auto& text = value->get_ref<const std::string&>();
        if (text.empty() || text.size() > max_length) {
            return fail(ErrorCode::kValidationFailed, "must be 1 to " + std::to_string(max_length) + " characters",
                        path(key));
        }
        return text;
    }

    core::Result<std::optional<std::string>> optional_text(std::string_view key, std::size_t max_length) const {
        const json* value = find(key);
        if (value == nullptr || value->is_null()) return std::optional<std::string>{};
        auto present = text(key, max_length);
        if (!present) return std::unexpected(present.error());
        return std::optional(*present);
    }

    core::Result<std::int64_t> integer(std::string_view key, std::int64_t minimum,
                                       std::optional<std::int64_t> fallback) const {
        const json* value = find(key);
        if (value == nullptr) {
            if (fallback) return *fallback;
            return fail(ErrorCode::kValidationFailed, "is required", path(key));
        }
        if (!value->is_number_integer()) {
            return fail(ErrorCode::kValidationFailed, "must be a whole number", path(key));
        }
        if (value->is_number_unsigned() && value->get<std::uint64_t>() > static_cast<std::uint64_t>(kAmountMax)) {
            return fail(ErrorCode::kValidationFailed, "is too large", path(key));
        }
        const auto number = value->get<std::int64_t>();
        if (number < minimum) {
            return fail(ErrorCode::kValidationFailed, "must be at least " + std::to_string(minimum), path(key));
        }
        if (number > kAmountMax) return fail(ErrorCode::kValidationFailed, "is too large", path(key));
        return number;
    }

    const json* find(std::string_view key) const {
        const auto it = object_.find(key);
        return it == object_.end() ? nullptr : &*it;
    }

  private:
    const json& object_;
    std::string prefix_;
};

// Quantities are JSON numbers with at most 3 decimals; kept as exact thousandths.
core::Result<std::int64_t> quantity_milli(const FieldReader& reader) {
    const json* value = reader.find("quantity");
    const std::string field = reader.path("quantity");
    if (value == nullptr) return fail(ErrorCode::kValidationFailed, "is required", field);
    if (value->is_number_integer()) {
        if (value->is_number_unsigned() ? value->get<std::uint64_t>() > kQuantityMax
                                        : value->get<std::int64_t>() > kQuantityMax) {
            return fail(ErrorCode::kValidationFailed, "is too large", field);
        }
        const auto whole = value->get<std::int64_t>();
        if (whole <= 0) return fail(ErrorCode::kValidationFailed, "must be greater than zero", field);
        return whole * 1000;
    }
    if (!value->is_number_float()) return fail(ErrorCode::kValidationFailed, "must be a number", field);
    const double number = value->get<double>();
    if (!std::isfinite(number) || number <= 0) {
        return fail(ErrorCode::kValidationFailed, "must be greater than zero", field);
    }
    if (number > kQuantityMax) return fail(ErrorCode::kValidationFailed, "is too large", field);
    const double thousandths = number * 1000;
    const double rounded = std::round(thousandths);
    if (std::fabs(thousandths - rounded) > 1e-6 || rounded < 1) {
        return fail(ErrorCode::kValidationFailed, "may have at most 3 decimals", field);
    }
    return static_cast<std::int64_t>(rounded);
}

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
    return core::PurchaseLine{
        static_cast<int>(*number), *sku, category->value_or(""), *quantity, *unit_price, *amount, *discount};
}

core::Result<std::vector<std::string>> decode_coupons(const FieldReader& reader) {
    std::vector<std::string> coupons;
    const json* value = reader.find("coupons");
    if (value == nullptr || value->is_null()) return coupons;
    if (!value->is_array()) return fail(ErrorCode::kValidationFailed, "must be an array of codes", "coupons");
    for (std::size_t i = 0; i < value->size(); ++i) {
        const json& code = (*value)[i];
        if (!code.is_string() || code.get_ref<const std::string&>().empty() ||
            code.get_ref<const std::string&>().size() > 64) {
            return fail(ErrorCode::kValidationFailed, "must be a code of 1 to 64 characters",
                        "coupons[" + std::to_string(i) + "]");
        }
        coupons.push_back(code.get<std::string>());
    }
    return coupons;
}

// A till whose clock says 1970 or year 0 has a wrong clock, and such dates are outside what the
// database's DATE and DATETIME columns are meant for: refused as the client mistake they are.
bool plausible_year(std::chrono::year year) {
    return year >= std::chrono::year{2000} && year <= std::chrono::year{2999};
}

bool two_digits(std::string_view text, std::size_t at, int& out) {
    const auto [end, error] = std::from_chars(text.data() + at, text.data() + at + 2, out);
    return error == std::errc() && end == text.data() + at + 2;
}

}  // namespace

std::optional<core::PosTime> parse_rfc3339(std::string_view text) {
    using namespace std::chrono;
    if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':') return std::nullopt;
    const auto date = core::parse_date(text.substr(0, 10));
    int hour = 0, minute = 0, second = 0;
    if (!date || !two_digits(text, 11, hour) || !two_digits(text, 14, minute) || !two_digits(text, 17, second) ||
        hour > 23 || minute > 59 || second > 60) {
        return std::nullopt;
    }
    std::size_t at = 19;
    long long micros = 0;
    if (text[at] == '.') {
        int digits = 0;
        for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++digits) {
            if (digits < 6) micros = micros * 10 + (text[at] - '0');
        }
        if (digits == 0) return std::nullopt;
        for (; digits < 6; ++digits) micros *= 10;
    }
    int offset = 0;
    const std::string_view zone = text.substr(at);
    if (zone == "Z" || zone == "z") {
        offset = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
        int zone_hours = 0, zone_minutes = 0;
        if (!two_digits(zone, 1, zone_hours) || !two_digits(zone, 4, zone_minutes) || zone_hours > 23 ||
            zone_minutes > 59) {
            return std::nullopt;
        }
        offset = (zone[0] == '-' ? -1 : 1) * (zone_hours * 60 + zone_minutes);
    } else {
        return std::nullopt;
    }
    const auto local = sys_days{*date} + hours{hour} + minutes{minute} + seconds{second} + microseconds{micros};
    return core::PosTime{local - minutes{offset}, offset};
}

core::Result<core::Purchase> decode_purchase(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "the purchase must be a JSON object", "$");
    const FieldReader reader(document, "");
    core::Purchase purchase{};

    auto store = reader.text("store", 32);
    if (!store) return std::unexpected(store.error());
    auto terminal = reader.text("terminal", 32);
    if (!terminal) return std::unexpected(terminal.error());
    auto receipt = reader.text("receipt", 64);
    if (!receipt) return std::unexpected(receipt.error());
    auto day_text = reader.text("business_day", 10);
    if (!day_text) return std::unexpected(day_text.error());
    const auto day = core::parse_date(*day_text);
    if (!day) return fail(ErrorCode::kValidationFailed, "must be a date YYYY-MM-DD", "business_day");
    if (!plausible_year(day->year())) {
        return fail(ErrorCode::kValidationFailed, "must lie between the years 2000 and 2999 (check the till's clock)",
                    "business_day");
    }
    purchase.key = core::ReceiptKey{*store, *terminal, *day, *receipt};

    auto pos_time_text = reader.text("pos_time", 40);
    if (!pos_time_text) return std::unexpected(pos_time_text.error());
    const auto pos_time = parse_rfc3339(*pos_time_text);
    if (!pos_time) return fail(ErrorCode::kValidationFailed, "must be an RFC 3339 time with an offset", "pos_time");
    if (!plausible_year(std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(pos_time->utc)}.year())) {
        return fail(ErrorCode::kValidationFailed, "must lie between the years 2000 and 2999 (check the till's clock)",
                    "pos_time");
    }
    purchase.pos_time = *pos_time;

    auto card = reader.optional_text("card", 19);
    if (!card) return std::unexpected(card.error());
    purchase.card = *card;

    auto currency_code = reader.text("currency", 3);
    if (!currency_code) return std::unexpected(currency_code.error());
    const auto currency = core::find_currency(*currency_code);
    if (!currency) return fail(ErrorCode::kUnknownCurrency, "is not a currency Patron knows (ISO 4217)", "currency");
    purchase.currency = *currency;

    const json* lines = reader.find("lines");
    if (lines == nullptr || !lines->is_array() || lines->empty() || lines->size() > kLinesMax) {
        return fail(ErrorCode::kValidationFailed, "must be an array of 1 to 1000 lines", "lines");
    }
    for (std::size_t i = 0; i < lines->size(); ++i) {
        auto line = decode_line((*lines)[i], i);
        if (!line) return std::unexpected(line.error());
        purchase.lines.push_back(std::move(*line));
    }
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

    if (auto consistent = core::check_purchase_consistency(purchase); !consistent) {
        return std::unexpected(consistent.error());
    }
    return purchase;
}

}  // namespace patron::pos
