#include "loyalty/core/ledger_days.h"

namespace patron::core {

LedgerDayTotals& LedgerDayTotals::operator+=(const LedgerDayTotals& other) {
    transfers += other.transfers;
    gained += other.gained;
    lost += other.lost;
    available += other.available;
    pending += other.pending;
    return *this;
}

void add_movements(LedgerDays& days, HistoryBook book, std::span<const TransferMovement> movements,
                   const TimeZone& zone) {
    for (const TransferMovement& movement : movements) {
        const std::int64_t total = movement.available + movement.pending;
        days[{book, local_date(zone, movement.at), movement.store_id, movement.kind}] +=
            LedgerDayTotals{1, total > 0 ? total : 0, total < 0 ? -total : 0, movement.available, movement.pending};
    }
}

}  // namespace patron::core
