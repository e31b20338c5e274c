#include "loyalty/core/purchase.h"

#include <set>

namespace patron::core {
namespace {

std::string line_field(std::size_t index, const char* name) { return "lines[" + std::to_string(index) + "]." + name; }

// quantity_milli * unit_price / 1000, rounded half up, in 128 bits so that it cannot overflow.
__int128 expected_amount(const PurchaseLine& line) {
    const __int128 product = static_cast<__int128>(line.quantity_milli) * line.unit_price;
    return (product + 500) / 1000;
}

}  // namespace

Result<void> check_purchase_consistency(const Purchase& purchase) {
    std::set<int> seen_lines;
    __int128 sum = 0;
    for (std::size_t i = 0; i < purchase.lines.size(); ++i) {
        const PurchaseLine& line = purchase.lines[i];
        if (!seen_lines.insert(line.line).second) {
            return fail(ErrorCode::kValidationFailed, "line number appears twice in the purchase",
                        line_field(i, "line"));
        }
        const __int128 difference = expected_amount(line) - line.amount;
        if (difference > 1 || difference < -1) {
            return fail(ErrorCode::kValidationFailed, "amount is not quantity times unit_price",
                        line_field(i, "amount"));
        }
        if (line.discount > line.amount) {
            return fail(ErrorCode::kValidationFailed, "discount is larger than the line amount",
                        line_field(i, "discount"));
        }
        sum += line.net_amount();
    }
    if (sum != purchase.total) {
        return fail(ErrorCode::kTotalMismatch, "total is not the sum of amount minus discount over the lines", "total");
    }
    return {};
}

LocalTime local_time(const PosTime& time) {
    using namespace std::chrono;
    const auto local = time.utc + minutes(time.offset_minutes);
    const auto day = floor<days>(local);
    const weekday week_day{day};
    const auto minute = duration_cast<minutes>(local - day).count();
    return LocalTime{(week_day.c_encoding() + 6) % 7, static_cast<int>(minute),
                     static_cast<unsigned>(year_month_day{day}.month())};
}

std::string format_quantity(std::int64_t quantity_milli) {
    std::string text = std::to_string(quantity_milli / 1000);
    std::int64_t fraction = quantity_milli % 1000;
    if (fraction == 0) return text;
    if (fraction < 0) fraction = -fraction;
    std::string digits = std::to_string(1000 + fraction).substr(1);
    while (digits.back() == '0') digits.pop_back();
    return text + "." + digits;
}

}  // namespace patron::core
