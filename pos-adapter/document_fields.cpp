#include "pos-adapter/document_fields.h"

#include <charconv>
#include <cmath>

#include "loyalty/core/json_fields.h"
#include "loyalty/core/member_profile.h"

namespace patron::pos {
namespace {

using core::ErrorCode;
using core::fail;
using nlohmann::json;

constexpr double kQuantityMax = 1'000'000;

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

core::Result<std::int64_t> quantity_milli(const FieldReader& reader) {
    const json* value = reader.find("quantity");
    const std::string field = reader.path("quantity");
    if (value == nullptr)
        return fail(ErrorCode::kValidationFailed, "is required", field, core::reason(core::ReasonKind::kRequired));
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

core::Result<ReceiptClaim> decode_receipt_claim(const nlohmann::json& document, bool total_required) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "must name the receipt", "$");
    const FieldReader reader(document, "");
    auto receipt = decode_receipt_key(reader);
    if (!receipt) return std::unexpected(receipt.error());
    ReceiptClaim claim{*receipt, std::nullopt};
    if (total_required || reader.find("total") != nullptr) {
        auto total = reader.integer("total", 0, std::nullopt);
        if (!total) return std::unexpected(total.error());
        claim.total = *total;
    }
    return claim;
}

core::Result<core::ReceiptKey> decode_receipt_key(const FieldReader& reader) {
    auto store = reader.text("store", 32);
    if (!store) return std::unexpected(store.error());
    // Store and terminal codes are registered as 1 to 32 of A-Z a-z 0-9 _ -: other text names none.
    if (!core::is_ascii_identifier(*store, 32)) {
        return fail(ErrorCode::kValidationFailed, "must be a store code (A-Z a-z 0-9 _ -)", reader.path("store"),
                    core::reason(core::ReasonKind::kCodeText, 1, 32));
    }
    auto terminal = reader.text("terminal", 32);
    if (!terminal) return std::unexpected(terminal.error());
    if (!core::is_ascii_identifier(*terminal, 32)) {
        return fail(ErrorCode::kValidationFailed, "must be a terminal code (A-Z a-z 0-9 _ -)", reader.path("terminal"),
                    core::reason(core::ReasonKind::kCodeText, 1, 32));
    }
    auto receipt = reader.text("receipt", 64);
    if (!receipt) return std::unexpected(receipt.error());
    auto day_text = reader.text("business_day", 10);
    if (!day_text) return std::unexpected(day_text.error());
    const auto day = core::parse_date(*day_text);
    if (!day) {
        return fail(ErrorCode::kValidationFailed, "must be a date YYYY-MM-DD", reader.path("business_day"),
                    core::reason(core::ReasonKind::kDate));
    }
    if (!plausible_year(day->year())) {
        return fail(ErrorCode::kValidationFailed, "must lie between the years 2000 and 2999 (check the till's clock)",
                    reader.path("business_day"));
    }
    return core::ReceiptKey{*store, *terminal, *day, *receipt};
}

core::Result<ReceiptHeader> decode_receipt_header(const FieldReader& reader) {
    auto key = decode_receipt_key(reader);
    if (!key) return std::unexpected(key.error());
    auto pos_time_text = reader.text("pos_time", 40);
    if (!pos_time_text) return std::unexpected(pos_time_text.error());
    const auto pos_time = parse_rfc3339(*pos_time_text);
    if (!pos_time) {
        return fail(ErrorCode::kValidationFailed, "must be an RFC 3339 time with an offset", "pos_time",
                    core::reason(core::ReasonKind::kInstant));
    }
    if (!plausible_year(std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(pos_time->utc)}.year())) {
        return fail(ErrorCode::kValidationFailed, "must lie between the years 2000 and 2999 (check the till's clock)",
                    "pos_time");
    }

    auto currency_code = reader.text("currency", 3);
    if (!currency_code) return std::unexpected(currency_code.error());
    const auto currency = core::find_currency(*currency_code);
    if (!currency) return fail(ErrorCode::kUnknownCurrency, "is not a currency Patron knows (ISO 4217)", "currency");
    return ReceiptHeader{std::move(*key), *pos_time, *currency};
}

}  // namespace patron::pos
