// The points ledger's arithmetic: every movement of points is a transfer, a balanced set of
// entries between accounts (their amounts sum to zero), so no point appears or vanishes
// unaccounted. Balances are the sum of entries per account and can always be recomputed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace patron::core {

enum class LedgerAccount {
    kMemberAvailable,  // Points the member can spend.
    kMemberPending,    // Points earned but still on hold.
    kProgramIssued,    // The program's side of every earning (a liability to members).
    kProgramRedeemed,  // The program's side of every redemption.
    kProgramExpired,
    kProgramAdjusted,
    // The cashback ledger's accounts (money, minor units of the program's currency).
    kMemberCashback,         // The member's wallet.
    kProgramCashbackIssued,  // The program's side of every cashback earned.
    kProgramCashbackSpent,   // The program's side of cashback spent at the till.
};

std::string_view account_name(LedgerAccount account);

struct LedgerEntry {
    LedgerAccount account;
    std::optional<std::int64_t> member_id;  // Set for member accounts.
    std::int64_t amount;                    // Positive: credit to the account; negative: debit.
};

struct LedgerTransfer {
    std::string kind;  // "earn", "redeem", "expire", "adjust", "reverse", "bonus", ...
    std::string rule_id;
    int rule_version = 0;
    std::vector<LedgerEntry> entries;
    std::string note = {};  // Why, for movements people make (a support adjustment's reason).

    bool balanced() const;
};

// Points earned by a member under a rule: program issued -> member available, or -> member
// pending while the program holds new points.
LedgerTransfer earn_transfer(std::int64_t member_id, std::int64_t points, std::string rule_id, int rule_version,
                             bool pending);

// Held points whose hold ended: member pending -> member available.
LedgerTransfer release_transfer(std::int64_t member_id, std::int64_t points);

// Points spent at the till: member available -> program redeemed.
LedgerTransfer redeem_transfer(std::int64_t member_id, std::int64_t points, int rule_version);

// A support adjustment: program adjusted -> member available when positive (-> member pending
// when a fraud signal holds her new points), back out of available when negative.
LedgerTransfer adjust_transfer(std::int64_t member_id, std::int64_t points, std::string reason, bool pending = false);

// Bonus points a marketer's trigger gave (rule_id "trigger:ID"): program issued -> member available
// (-> member pending while a fraud signal holds her new points).
LedgerTransfer bonus_transfer(std::int64_t member_id, std::int64_t points, long long trigger_id, bool pending = false);

// A referral's reward (rule_id "referral:ID"), kind "referral": points > 0 program issued -> member
// available (-> member pending while a fraud signal holds her new points); points < 0, kind
// "referral_back": taken back because the friend's qualifying purchase was returned, out of her
// available points (which may go below zero, as a return's reversal may). Its note says whose reward it is: "friend" or
// "referrer" (the history words it so).
LedgerTransfer referral_transfer(std::int64_t member_id, std::int64_t points, long long referral_id, bool referrer,
                                 bool pending = false);
// The same in the cashback ledger: amount > 0 cashback issued -> wallet, < 0 back.
LedgerTransfer referral_cashback_transfer(std::int64_t member_id, std::int64_t amount, long long referral_id,
                                          bool referrer);

// Held points a fraud review found were obtained by fraud (rule_id "fraud:ID", the signal):
// member pending -> program issued, as if never earned.
LedgerTransfer forfeit_transfer(std::int64_t member_id, std::int64_t points, long long signal_id);

// Two member records found to be one person: everything `from` holds (available and pending,
// either may be negative) moves to `into`, member to member, nothing summed away.
LedgerTransfer merge_transfer(std::int64_t from, std::int64_t into, std::int64_t available, std::int64_t pending);

// Points whose lots reached their expiry: member available -> program expired.
LedgerTransfer expire_transfer(std::int64_t member_id, std::int64_t points);

// A return taking back what an earning gave: member pending and/or available -> program issued.
// The available part may exceed the member's balance (spent points charged back).
LedgerTransfer reverse_transfer(std::int64_t member_id, std::int64_t from_pending, std::int64_t from_available,
                                std::string rule_id, int rule_version);
// A return giving back points the purchase had redeemed: program redeemed -> member available.
LedgerTransfer refund_transfer(std::int64_t member_id, std::int64_t points, int rule_version);

// The cashback ledger: earned (issued -> wallet), spent at the till (wallet -> spent), a return
// taking back what its lines earned (wallet -> issued) and giving back what the purchase spent
// (spent -> wallet), and a merge moving one wallet into another.
LedgerTransfer cashback_earn_transfer(std::int64_t member_id, std::int64_t amount, std::string rule_id,
                                      int rule_version);
LedgerTransfer cashback_spend_transfer(std::int64_t member_id, std::int64_t amount, int rule_version);
LedgerTransfer cashback_reverse_transfer(std::int64_t member_id, std::int64_t amount, std::string rule_id,
                                         int rule_version);
LedgerTransfer cashback_refund_transfer(std::int64_t member_id, std::int64_t amount, int rule_version);
LedgerTransfer cashback_merge_transfer(std::int64_t from, std::int64_t into, std::int64_t amount);

}  // namespace patron::core
