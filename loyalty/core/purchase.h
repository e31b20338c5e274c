// A purchase as the POS reports it, decoded into domain types: who sold what to which card.
// Amounts are minor units of the purchase's currency; quantities are thousandths so that
// weighed goods (1.234 kg) stay exact integers.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/money.h"
#include "loyalty/core/time.h"

namespace patron::core {

// The natural key of a POS document: unique per store, terminal, business day and receipt number.
struct ReceiptKey {
    std::string store;
    std::string terminal;
    std::chrono::year_month_day business_day;
    std::string receipt;
};

// A point in time as the POS wrote it: the instant in UTC and the offset it was written with.
struct PosTime {
    Timestamp utc;
    int offset_minutes;
};

// The POS's wall-clock time, as schedules read it.
struct LocalTime {
    std::size_t weekday;  // 0 is Monday.
    int minute;           // Since local midnight.
    unsigned month;
};

// The POS's wall-clock time: its UTC instant shifted by the offset it wrote.
LocalTime local_time(const PosTime& time);

struct PurchaseLine {
    int line;
    std::string sku;
    std::string category;
    std::int64_t quantity_milli;  // 2 items -> 2000, 1.234 kg -> 1234.
    std::int64_t unit_price;
    std::int64_t amount;    // Line total before discount.
    std::int64_t discount;  // Line discount, 0 <= discount <= amount.
    // What the line cost the retailer, when the till sends it (for margins; never shown to members).
    std::optional<std::int64_t> cost = std::nullopt;

    std::int64_t net_amount() const { return amount - discount; }
};

struct Purchase {
    ReceiptKey key;
    PosTime pos_time;
    std::optional<std::string> card;
    Currency currency;
    std::vector<PurchaseLine> lines;
    std::int64_t total;
    std::int64_t redeem_points;
    std::int64_t spend_cashback;
    std::vector<std::string> coupons;
    bool hold = false;                         // A quote that holds the points it would spend.
    std::optional<std::string> quote_id = {};  // A commit of an earlier quote (and its hold).
};

// A quantity in thousandths as people write it: 2000 -> "2", 1500 -> "1.5", 1234 -> "1.234".
std::string format_quantity(std::int64_t quantity_milli);

// Checks what must hold between the fields of a decoded purchase: line numbers unique, each
// line's amount consistent with quantity x unit price (to one minor unit, for weighed goods),
// and the total equal to the sum of the lines' net amounts.
Result<void> check_purchase_consistency(const Purchase& purchase);

}  // namespace patron::core
