#include "loyalty/service/point_postings.h"

#include <algorithm>

#include "loyalty/store/ledger_store.h"
#include "loyalty/store/point_store.h"

namespace patron::service {

Credited credit_lot(soci::session& sql, const Posting& posting, const core::LedgerTransfer& transfer, long long points,
                    bool pending, const core::PointsPolicy& policy) {
    const long long transfer_id =
        store::insert_transfers(sql, posting.program_id, posting.purchase_id, {transfer}, posting.now).front();
    const long long lot_id = store::insert_lot(
        sql, store::NewLot{posting.member_id, posting.purchase_id, transfer_id, transfer.rule_id, transfer.rule_version,
                           points, pending, posting.now, core::lot_dates(posting.now, policy)});
    return Credited{transfer_id, lot_id};
}

long long debit_lots(soci::session& sql, const Posting& posting, const core::LedgerTransfer& transfer,
                     long long points) {
    const auto takes = core::take_from_lots(store::available_lots_for_update(sql, posting.member_id), points);
    const long long transfer_id =
        store::insert_transfers(sql, posting.program_id, posting.purchase_id, {transfer}, posting.now).front();
    store::consume_lots(sql, transfer_id, takes);
    return transfer_id;
}

void repay_negative_balance(soci::session& sql, long long member_id, long long transfer_id, long long balance_before,
                            long long credited) {
    if (balance_before >= 0 || credited <= 0) return;
    const long long repay = std::min(credited, -balance_before);
    store::consume_lots(sql, transfer_id,
                        core::take_from_lots(store::available_lots_for_update(sql, member_id), repay));
}

}  // namespace patron::service
