// The ledgers summed per local day of the programme's time zone, per store and per kind of
// transfer: what reports read instead of millions of entries. A transfer counts on the day its
// instant falls on, at the store of the purchase (or return) it belongs to (store 0: transfers of
// no purchase, such as expiries, releases, adjustments and merges), and its entries on member
// accounts are summed: `gained` or `lost` by the sign of the transfer's total for its member(s),
// `available` and `pending` by account (a cashback wallet counts as available).
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <span>
#include <string>

#include "loyalty/core/member_history.h"
#include "loyalty/core/time_zone.h"

namespace patron::core {

// One transfer of either ledger, its member entries already summed.
struct TransferMovement {
    std::int64_t id = 0;
    std::string kind;
    Timestamp at{};
    std::int64_t store_id = 0;   // 0: no store.
    std::int64_t available = 0;  // What it did to members' available points (or cashback wallets).
    std::int64_t pending = 0;    // ... and to their points on hold.
};

struct LedgerDayKey {
    HistoryBook book = HistoryBook::kPoints;
    LocalDate day{};
    std::int64_t store_id = 0;
    std::string kind;

    std::strong_ordering operator<=>(const LedgerDayKey& other) const {
        if (const auto order = book <=> other.book; order != 0) return order;
        if (const auto order = day <=> other.day; order != 0) return order;
        if (const auto order = store_id <=> other.store_id; order != 0) return order;
        return kind <=> other.kind;
    }
    bool operator==(const LedgerDayKey&) const = default;
};

struct LedgerDayTotals {
    std::int64_t transfers = 0;
    std::int64_t gained = 0;
    std::int64_t lost = 0;  // A positive number.
    std::int64_t available = 0;
    std::int64_t pending = 0;

    LedgerDayTotals& operator+=(const LedgerDayTotals& other);
    bool operator==(const LedgerDayTotals&) const = default;
};

using LedgerDays = std::map<LedgerDayKey, LedgerDayTotals>;

// Adds each movement of `book` to its day, store and kind.
void add_movements(LedgerDays& days, HistoryBook book, std::span<const TransferMovement> movements,
                   const TimeZone& zone);

}  // namespace patron::core
