#include "loyalty/store/pos/receipt_store.h"

#include <soci/soci.h>

#include "loyalty/core/member_profile.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::store {
namespace {

std::vector<std::string> receipts(soci::session& sql, const std::string& table, long long store_id,
                                  const std::string& terminal, const std::string& day, int limit) {
    std::vector<std::string> found;
    std::string receipt;
    soci::statement select =
        (sql.prepare << "SELECT receipt FROM " << table
                     << " WHERE store_id = :store AND terminal = :terminal AND business_day = :day"
                        " ORDER BY LENGTH(receipt), receipt LIMIT :limit",
         soci::use(store_id), soci::use(terminal), soci::use(day), soci::use(limit), soci::into(receipt));
    select.execute();
    while (select.fetch()) found.push_back(receipt);
    return found;
}

}  // namespace

DayReceipts find_day_receipts(soci::session& sql, long long store_id, const std::string& terminal,
                              std::chrono::year_month_day business_day, int limit) {
    const std::string day = core::format_date(business_day);
    return {receipts(sql, "purchases", store_id, terminal, day, limit),
            receipts(sql, "skipped_receipts", store_id, terminal, day, limit)};
}

void insert_skipped_receipt(soci::session& sql, long long store_id, const core::ReceiptKey& key,
                            const std::string& reason, core::Timestamp now) {
    const std::string day = core::format_date(key.business_day);
    const std::string received_at = to_sql_time(now);
    sql << "INSERT IGNORE INTO skipped_receipts (store_id, terminal, business_day, receipt, reason, received_at)"
           " VALUES (:store, :terminal, :day, :receipt, :reason, :received_at)",
        soci::use(store_id), soci::use(key.terminal), soci::use(day), soci::use(key.receipt), soci::use(reason),
        soci::use(received_at);
}

}  // namespace patron::store
