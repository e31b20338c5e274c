// Watching for fraud in the transaction of the operation that might be one (core/fraud.h): a
// signal the programme's policy asks for is written once per subject and window, raised as
// fraud_signal_raised, and acted on at once, under the member's account lock the caller holds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "loyalty/core/fraud.h"
#include "loyalty/core/time.h"
#include "loyalty/service/posting/pos_operations.h"
#include "loyalty/store/pos/claim_attempt_store.h"

namespace soci {
class session;
}

namespace patron::service {

// Writes the signal unless one of its kind was raised for its subject key already; a new one
// raises its event and, by its action, holds the member's new points (hold, block) and blocks her
// active cards (block). The new signal's id.
std::optional<long long> raise_signal(soci::session& sql, long long program_id, std::optional<long long> member_id,
                                      std::optional<long long> purchase_id, const core::SignalDraft& draft,
                                      core::Timestamp now);

// A purchase made with a member's card, written but its points not yet posted.
struct CardPurchase {
    long long program_id = 0;
    long long store_id = 0;
    std::string store;  // Its code.
    long long purchase_id = 0;
    std::string card;
    core::Timestamp pos_time{};
    std::int64_t points_redeemed = 0;
    std::int64_t cashback_spent = 0;
};
// Watches the purchase for card_velocity and redemption_after_enrolment as the policy says, and
// raises what it shows. The signal the purchase's points are held by: her account's hold from
// before, or the hold a signal it raised put on her; none when her points go into ordinary lots.
std::optional<long long> watch_card_purchase(soci::session& sql, const core::FraudPolicy& policy, const Holder& holder,
                                             const CardPurchase& purchase, core::Timestamp now);

// Watches a return or void that took back points from her purchase for return_cycling and
// spent_points_returned (the caller fills all of `taken` but returns_in_window), and raises what
// it shows.
void watch_return(soci::session& sql, const core::FraudPolicy& policy, long long program_id, core::MemberReturn taken,
                  core::Timestamp now);

// Watches a staff adjustment before it is posted (the caller fills all of `adjustment` but
// by_staff_today), and raises what it shows. The signal her adjusted points are held by: her
// account's hold from before, or the hold a signal it raised put on her; none when they are hers.
std::optional<long long> watch_adjustment(soci::session& sql, const core::FraudPolicy& policy, long long program_id,
                                          std::optional<long long> account_hold, core::StaffAdjustment adjustment,
                                          core::Timestamp now);

// A claim of a receipt for her, already recorded (store::insert_purchase_claim when it credits
// the purchase, else store::insert_failed_claim, the purchase id then 0), watched for
// claim_harvesting as the policy says. The signal her claimed points are held by: her account's
// hold from before, or the hold a signal it raised put on her.
struct WatchedClaim {
    long long program_id = 0;
    store::PurchaseClaim claim;
    bool credited = false;
    std::string store;  // The credited receipt's store, by its code.
};
std::optional<long long> watch_claim(soci::session& sql, const core::FraudPolicy& policy,
                                     std::optional<long long> account_hold, const WatchedClaim& watched,
                                     core::Timestamp now);

}  // namespace patron::service
