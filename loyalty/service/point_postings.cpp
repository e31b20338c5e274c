#include "loyalty/service/point_postings.h"

#include "loyalty/store/ledger_store.h"
#include "loyalty/store/point_store.h"

namespace patron::service {

long long credit_lot(soci::session& sql, const Posting& posting, const core::LedgerTransfer& transfer, long long points,
                     bool pending, const core::PointsPolicy& policy) {
    const long long transfer_id =
        store::insert_transfers(sql, posting.program_id, posting.purchase_id, {transfer}, posting.now).front();
    store::insert_lot(
        sql, store::NewLot{posting.member_id, posting.purchase_id, transfer_id, transfer.rule_id, transfer.rule_version,
                           points, pending, posting.now, core::lot_dates(posting.now, policy)});
    return transfer_id;
}

long long debit_lots(soci::session& sql, const Posting& posting, const core::LedgerTransfer& transfer,
                     long long points) {
    const auto takes = core::take_from_lots(store::available_lots_for_update(sql, posting.member_id), points);
    const long long transfer_id =
        store::insert_transfers(sql, posting.program_id, posting.purchase_id, {transfer}, posting.now).front();
    store::consume_lots(sql, transfer_id, takes);
    return transfer_id;
}

}  // namespace patron::service
