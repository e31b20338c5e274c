// Posting points to a member's account: a credit becomes a lot of its own, a debit is taken
// from the lots that expire first, each as one balanced ledger transfer. Callers run inside a
// transaction that holds the member's account lock, and move the cached balances themselves.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "loyalty/core/ledger.h"
#include "loyalty/core/points.h"
#include "loyalty/core/time.h"
#include "loyalty/core/time_zone.h"
#include "loyalty/store/ledger/point_store.h"
#include "loyalty/store/pos/return_store.h"

namespace soci {
class session;
}

namespace patron::service {

struct Posting {
    long long program_id = 0;
    long long member_id = 0;
    std::optional<long long> purchase_id;
    core::Timestamp now;
    std::optional<long long> held_by =
        {};  // The fraud signal holding the member's new points: credits go into held lots.
};

struct Credited {
    long long transfer_id = 0;
    long long lot_id = 0;
};

// A credit of `points` to a lot of its own, pending or not, by its transfer.
struct Credit {
    core::LedgerTransfer transfer;
    long long points = 0;
    bool pending = false;
};

// Writes each credit's transfer and lot (dated by the policy in the program's zone; held by the
// posting's fraud signal, if any, which the caller made pending), in one round trip where the unit
// allows it; their ids in order.
std::vector<Credited> credit_lots(soci::session& sql, const Posting& posting, std::span<const Credit> credits,
                                  const core::PointsPolicy& policy, const core::TimeZone& zone);

// The rows credit_lots writes, for a caller that writes them with its purchase
// (store::insert_purchase_with_credits), and what that gave back. The lots are the member's, dated
// from `now` and held by the fraud signal `held_by`, if any.
std::vector<store::NewCredit> new_credits(long long member_id, core::Timestamp now, std::optional<long long> held_by,
                                          std::span<const Credit> credits, const core::PointsPolicy& policy,
                                          const core::TimeZone& zone);
std::vector<Credited> credited_as(std::span<const store::CreditIds> written);

// credit_lots for one credit.
Credited credit_lot(soci::session& sql, const Posting& posting, const core::LedgerTransfer& transfer, long long points,
                    bool pending, const core::PointsPolicy& policy, const core::TimeZone& zone);

// Writes the transfer and takes `points` from the member's lots, those expiring first; the transfer id.
long long debit_lots(soci::session& sql, const Posting& posting, const core::LedgerTransfer& transfer,
                     long long points);

// After `credited` points reached the member's available balance, which stood at `balance_before`:
// while that balance was negative (a return charged spent points), the credit first repays it, so
// the lots hold exactly the positive part of the balance. Records the repayment under the transfer.
void repay_negative_balance(soci::session& sql, long long member_id, long long transfer_id, long long balance_before,
                            long long credited);

// What reversing points of one earning lot wrote: taken from the lot (pending or available) and
// spent points charged to the available balance, or recorded as shortfall under the clamp policy.
struct LotReversed {
    long long from_pending = 0;
    long long from_available = 0;  // Includes `charged`.
    long long charged = 0;
    long long shortfall = 0;
    long long transfer_id = 0;  // 0: nothing moved.
};

// Reverses `points` of the lot as a return does (the member's available balance stands at
// `available`); the caller charges the spent part from the member's other lots afterwards
// (charge_spent_points) and moves the cached balances. The transfer is a "reverse", or of `kind`
// with `note` when given (a referral's reward taken back is a "referral" transfer, as its credit was).
LotReversed reverse_lot(soci::session& sql, const Posting& posting, const store::PurchaseLot& lot, long long points,
                        long long available, core::NegativeBalancePolicy policy, const char* kind = nullptr,
                        const std::string& note = {});

// Spent points a return charges come out of the member's available lots (those expiring first),
// once every lot it reverses has been reversed: a lot still read as before would count what a
// charge took from it as spent a second time. What the lots cannot cover leaves the balance
// negative, with no lot behind it.
void charge_spent_points(soci::session& sql, long long member_id, long long transfer_id, long long points);

}  // namespace patron::service
