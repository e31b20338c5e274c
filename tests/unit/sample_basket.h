// The basket the unit tests rate: a Tehran coffee shop's receipt, and POS times in local hours.
#pragma once

#include <chrono>

#include "loyalty/core/member_profile.h"
#include "loyalty/core/purchase.h"

namespace patron::core {

// A POS time written as local DATE HH:MM at the given offset (Tehran is +03:30).
inline PosTime local(const char* date, int hour, int minute, int offset_minutes = 210) {
    using namespace std::chrono;
    const Timestamp wall = sys_days{*parse_date(date)} + hours(hour) + minutes(minute);
    return PosTime{wall - minutes(offset_minutes), offset_minutes};
}

// Sunday 2026-11-22 18:03 in Tehran: coffee 900,000, a gift card 500,000, cake 300,000 less 50,000.
inline Purchase basket() {
    Purchase purchase{};
    purchase.key = {"S042", "T07", *parse_date("2026-11-22"), "1532"};
    purchase.pos_time = local("2026-11-22", 18, 3);
    purchase.currency = *find_currency("IRR");
    purchase.lines = {
        {1, "COF-1", "coffee", 2000, 450000, 900000, 0},
        {2, "GIFT-50", "gift_card", 1000, 500000, 500000, 0},
        {3, "CAKE", "bakery", 1000, 300000, 300000, 50000},
    };
    purchase.total = 1650000;
    return purchase;
}

}  // namespace patron::core
