#include "loyalty/service/posting/point_postings.h"

#include <algorithm>

#include "loyalty/store/ledger/ledger_store.h"
#include "loyalty/store/ledger/point_store.h"

namespace patron::service {

std::vector<store::NewCredit> new_credits(long long member_id, core::Timestamp now, std::optional<long long> held_by,
                                          std::span<const Credit> credits, const core::PointsPolicy& policy,
                                          const core::TimeZone& zone) {
    std::vector<store::NewCredit> rows;
    for (const Credit& credit : credits) {
        rows.push_back(store::NewCredit{
            credit.transfer,
            store::NewLot{member_id, credit.transfer.rule_id, credit.transfer.rule_version, credit.points,
                          credit.pending, now, core::lot_dates(now, policy, zone), held_by}});
    }
    return rows;
}

std::vector<Credited> credited_as(std::span<const store::CreditIds> written) {
    std::vector<Credited> credited;
    for (const store::CreditIds& ids : written) credited.push_back(Credited{ids.transfer_id, ids.lot_id});
    return credited;
}

std::vector<Credited> credit_lots(soci::session& sql, const Posting& posting, std::span<const Credit> credits,
                                  const core::PointsPolicy& policy, const core::TimeZone& zone) {
    return credited_as(store::insert_credits(
        sql, posting.program_id, posting.purchase_id,
        new_credits(posting.member_id, posting.now, posting.held_by, credits, policy, zone), posting.now));
}

Credited credit_lot(soci::session& sql, const Posting& posting, const core::LedgerTransfer& transfer, long long points,
                    bool pending, const core::PointsPolicy& policy, const core::TimeZone& zone) {
    const Credit credit{transfer, points, pending};
    return credit_lots(sql, posting, std::span(&credit, 1), policy, zone).front();
}

long long debit_lots(soci::session& sql, const Posting& posting, const core::LedgerTransfer& transfer,
                     long long points) {
    const auto takes = core::take_from_lots(store::available_lots_for_update(sql, posting.member_id, points), points);
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
                        core::take_from_lots(store::available_lots_for_update(sql, member_id, repay), repay));
}

LotReversed reverse_lot(soci::session& sql, const Posting& posting, const store::PurchaseLot& lot, long long points,
                        long long available, core::NegativeBalancePolicy policy, const char* kind,
                        const std::string& note) {
    const long long spent = lot.pending ? 0 : lot.earned - lot.remaining - lot.expired - lot.reversed - lot.charged;
    const core::LotReversal reversal =
        core::plan_lot_reversal(points, core::LotState{lot.remaining, spent, lot.pending, available}, policy);
    LotReversed reversed;
    reversed.from_pending = lot.pending ? reversal.from_lot : 0;
    reversed.from_available = (lot.pending ? 0 : reversal.from_lot) + reversal.charged;
    reversed.charged = reversal.charged;
    reversed.shortfall = reversal.shortfall;
    if (reversed.from_pending + reversed.from_available > 0) {
        auto transfer = core::reverse_transfer(posting.member_id, reversed.from_pending, reversed.from_available,
                                               lot.rule_id, lot.rule_version);
        if (kind != nullptr) transfer.kind = kind;
        transfer.note = note;
        reversed.transfer_id =
            store::insert_transfers(sql, posting.program_id, posting.purchase_id, {transfer}, posting.now).front();
        if (reversal.from_lot > 0) store::consume_lots(sql, reversed.transfer_id, {{lot.id, reversal.from_lot}});
    }
    store::record_lot_reversal(sql, lot.id, reversal.from_lot, reversal.charged + reversal.shortfall);
    return reversed;
}

void charge_spent_points(soci::session& sql, long long member_id, long long transfer_id, long long points) {
    const auto lots = store::available_lots_for_update(sql, member_id, points);
    long long held = 0;
    for (const core::LotBalance& lot : lots) held += lot.remaining;
    if (held > 0) store::consume_lots(sql, transfer_id, core::take_from_lots(lots, std::min(points, held)));
}

}  // namespace patron::service
