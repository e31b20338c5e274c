// Writes what purchases and returns do to a member's cashback wallet, inside their transaction
// and under the member's account lock: every movement a balanced transfer of the cashback
// ledger, the wallet's cached balance moved to match, the caps' counters kept, and for each
// earning which lines earned how much (what a return of those lines takes back).
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "loyalty/core/engine.h"
#include "loyalty/core/ledger.h"
#include "loyalty/core/money.h"
#include "loyalty/core/points.h"
#include "loyalty/core/returns.h"
#include "loyalty/core/wording.h"

namespace soci {
class session;
}

namespace patron::service {

struct CashbackPosted {
    long long earned = 0;
    long long spent = 0;
};

// The wallet paying for the purchase and the cashback it earned, from the evaluated outcome.
CashbackPosted post_cashback(soci::session& sql, long long program_id, long long member_id, long long purchase_id,
                             const core::Purchase& purchase, const core::Outcome& outcome, const core::RuleSet& rules,
                             core::Timestamp now);

struct CashbackTakenBack {
    long long reversed = 0;   // Taken back from the wallet.
    long long refunded = 0;   // Of what the purchase spent, given back to the wallet.
    long long shortfall = 0;  // Not taken back (clamp policy, wallet at zero).
    std::vector<core::Effect> effects;
};

// What a return (or void) of the original purchase takes back of its cashback and gives back of
// the cashback it spent. `wallet` is the balance before; under the clamp policy the wallet stops
// at zero and the rest is recorded as a shortfall.
struct CashbackReturn {
    long long program_id = 0;
    long long member_id = 0;
    long long wallet = 0;
    long long original_id = 0;
    long long original_total = 0;
    long long return_id = 0;
    core::LocalPeriods periods;  // The original purchase's, whose caps it counted against.
    core::NegativeBalancePolicy policy = core::NegativeBalancePolicy::kAllow;
    core::Currency currency;
    core::Language language = core::Language::kEnglish;
};
CashbackTakenBack take_back_cashback(soci::session& sql, const CashbackReturn& context,
                                     const std::vector<core::OriginalLine>& lines, const core::ReturnPlan& plan,
                                     core::Timestamp now);

// Takes back `amount` of cashback a reward with no lines of its own gave (a stamp card's, a
// referral's) out of the member's wallet, `wallet` before: all of it, or under the clamp policy
// down to zero with the rest recorded as her shortfall. `transfer` is the ledger's transfer of
// what is taken (none when nothing is). Writes the wallet; answers what was taken.
long long take_reward_cashback(soci::session& sql, long long program_id, std::optional<long long> purchase_id,
                               long long member_id, long long wallet, long long amount,
                               core::NegativeBalancePolicy policy,
                               const std::function<core::LedgerTransfer(long long taken)>& transfer,
                               core::Timestamp now);

}  // namespace patron::service
