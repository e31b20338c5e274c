#include "loyalty/core/ledger.h"

#include <utility>

#include "loyalty/core/referrals.h"

namespace patron::core {

std::string_view account_name(LedgerAccount account) {
    switch (account) {
        case LedgerAccount::kMemberAvailable:
            return "member_available";
        case LedgerAccount::kMemberPending:
            return "member_pending";
        case LedgerAccount::kProgramIssued:
            return "program_issued";
        case LedgerAccount::kProgramRedeemed:
            return "program_redeemed";
        case LedgerAccount::kProgramExpired:
            return "program_expired";
        case LedgerAccount::kProgramAdjusted:
            return "program_adjusted";
        case LedgerAccount::kMemberCashback:
            return "member_cashback";
        case LedgerAccount::kProgramCashbackIssued:
            return "program_cashback_issued";
        case LedgerAccount::kProgramCashbackSpent:
            return "program_cashback_spent";
    }
    return "unknown";
}

bool LedgerTransfer::balanced() const {
    __int128 sum = 0;
    for (const LedgerEntry& entry : entries) sum += entry.amount;
    return sum == 0 && !entries.empty();
}

namespace {

// `points` moved from one account to another, one of them the member's.
LedgerTransfer movement(std::string kind, std::string rule_id, int rule_version, LedgerAccount from, LedgerAccount to,
                        std::int64_t member_id, std::int64_t points) {
    const auto owner = [member_id](LedgerAccount account) {
        const bool member_account = account == LedgerAccount::kMemberAvailable ||
                                    account == LedgerAccount::kMemberPending ||
                                    account == LedgerAccount::kMemberCashback;
        return member_account ? std::optional(member_id) : std::nullopt;
    };
    return LedgerTransfer{std::move(kind),
                          std::move(rule_id),
                          rule_version,
                          {LedgerEntry{from, owner(from), -points}, LedgerEntry{to, owner(to), points}}};
}

}  // namespace

LedgerTransfer earn_transfer(std::int64_t member_id, std::int64_t points, std::string rule_id, int rule_version,
                             bool pending) {
    return movement("earn", std::move(rule_id), rule_version, LedgerAccount::kProgramIssued,
                    pending ? LedgerAccount::kMemberPending : LedgerAccount::kMemberAvailable, member_id, points);
}

LedgerTransfer release_transfer(std::int64_t member_id, std::int64_t points) {
    return movement("release", "", 0, LedgerAccount::kMemberPending, LedgerAccount::kMemberAvailable, member_id,
                    points);
}

LedgerTransfer redeem_transfer(std::int64_t member_id, std::int64_t points, int rule_version) {
    return movement("redeem", "points_payment", rule_version, LedgerAccount::kMemberAvailable,
                    LedgerAccount::kProgramRedeemed, member_id, points);
}

LedgerTransfer bonus_transfer(std::int64_t member_id, std::int64_t points, long long trigger_id, bool pending) {
    return movement("bonus", "trigger:" + std::to_string(trigger_id), 0, LedgerAccount::kProgramIssued,
                    pending ? LedgerAccount::kMemberPending : LedgerAccount::kMemberAvailable, member_id, points);
}

LedgerTransfer referral_transfer(std::int64_t member_id, std::int64_t points, long long referral_id, bool referrer,
                                 bool pending) {
    LedgerTransfer transfer =
        points < 0
            ? movement("referral", referral_rule_id(referral_id), 0, LedgerAccount::kMemberAvailable,
                       LedgerAccount::kProgramIssued, member_id, -points)
            : movement("referral", referral_rule_id(referral_id), 0, LedgerAccount::kProgramIssued,
                       pending ? LedgerAccount::kMemberPending : LedgerAccount::kMemberAvailable, member_id, points);
    transfer.note = referrer ? "referrer" : "friend";
    return transfer;
}

LedgerTransfer referral_cashback_transfer(std::int64_t member_id, std::int64_t amount, long long referral_id,
                                          bool referrer) {
    LedgerTransfer transfer =
        amount < 0 ? movement("referral_back", referral_rule_id(referral_id), 0, LedgerAccount::kMemberCashback,
                              LedgerAccount::kProgramCashbackIssued, member_id, -amount)
                   : movement("referral", referral_rule_id(referral_id), 0, LedgerAccount::kProgramCashbackIssued,
                              LedgerAccount::kMemberCashback, member_id, amount);
    transfer.note = referrer ? "referrer" : "friend";
    return transfer;
}

LedgerTransfer forfeit_transfer(std::int64_t member_id, std::int64_t points, long long signal_id) {
    return movement("forfeit", "fraud:" + std::to_string(signal_id), 0, LedgerAccount::kMemberPending,
                    LedgerAccount::kProgramIssued, member_id, points);
}

LedgerTransfer adjust_transfer(std::int64_t member_id, std::int64_t points, std::string reason, bool pending) {
    LedgerTransfer transfer =
        points >= 0
            ? movement("adjust", "", 0, LedgerAccount::kProgramAdjusted,
                       pending ? LedgerAccount::kMemberPending : LedgerAccount::kMemberAvailable, member_id, points)
            : movement("adjust", "", 0, LedgerAccount::kMemberAvailable, LedgerAccount::kProgramAdjusted, member_id,
                       -points);
    transfer.note = std::move(reason);
    return transfer;
}

LedgerTransfer merge_transfer(std::int64_t from, std::int64_t into, std::int64_t available, std::int64_t pending) {
    LedgerTransfer transfer{"merge", "", 0, {}};
    if (available != 0) {
        transfer.entries.push_back({LedgerAccount::kMemberAvailable, from, -available});
        transfer.entries.push_back({LedgerAccount::kMemberAvailable, into, available});
    }
    if (pending != 0) {
        transfer.entries.push_back({LedgerAccount::kMemberPending, from, -pending});
        transfer.entries.push_back({LedgerAccount::kMemberPending, into, pending});
    }
    return transfer;
}

LedgerTransfer expire_transfer(std::int64_t member_id, std::int64_t points) {
    return movement("expire", "", 0, LedgerAccount::kMemberAvailable, LedgerAccount::kProgramExpired, member_id,
                    points);
}

LedgerTransfer reverse_transfer(std::int64_t member_id, std::int64_t from_pending, std::int64_t from_available,
                                std::string rule_id, int rule_version) {
    LedgerTransfer transfer{"reverse", std::move(rule_id), rule_version, {}};
    if (from_pending != 0) transfer.entries.push_back({LedgerAccount::kMemberPending, member_id, -from_pending});
    if (from_available != 0) transfer.entries.push_back({LedgerAccount::kMemberAvailable, member_id, -from_available});
    transfer.entries.push_back({LedgerAccount::kProgramIssued, std::nullopt, from_pending + from_available});
    return transfer;
}

LedgerTransfer refund_transfer(std::int64_t member_id, std::int64_t points, int rule_version) {
    return movement("refund", "points_payment", rule_version, LedgerAccount::kProgramRedeemed,
                    LedgerAccount::kMemberAvailable, member_id, points);
}

LedgerTransfer cashback_earn_transfer(std::int64_t member_id, std::int64_t amount, std::string rule_id,
                                      int rule_version) {
    return movement("earn", std::move(rule_id), rule_version, LedgerAccount::kProgramCashbackIssued,
                    LedgerAccount::kMemberCashback, member_id, amount);
}

LedgerTransfer cashback_spend_transfer(std::int64_t member_id, std::int64_t amount, int rule_version) {
    return movement("spend", "cashback_payment", rule_version, LedgerAccount::kMemberCashback,
                    LedgerAccount::kProgramCashbackSpent, member_id, amount);
}

LedgerTransfer cashback_reverse_transfer(std::int64_t member_id, std::int64_t amount, std::string rule_id,
                                         int rule_version) {
    return movement("reverse", std::move(rule_id), rule_version, LedgerAccount::kMemberCashback,
                    LedgerAccount::kProgramCashbackIssued, member_id, amount);
}

LedgerTransfer cashback_refund_transfer(std::int64_t member_id, std::int64_t amount, int rule_version) {
    return movement("refund", "cashback_payment", rule_version, LedgerAccount::kProgramCashbackSpent,
                    LedgerAccount::kMemberCashback, member_id, amount);
}

LedgerTransfer cashback_merge_transfer(std::int64_t from, std::int64_t into, std::int64_t amount) {
    return LedgerTransfer{"merge",
                          "",
                          0,
                          {LedgerEntry{LedgerAccount::kMemberCashback, from, -amount},
                           LedgerEntry{LedgerAccount::kMemberCashback, into, amount}}};
}

}  // namespace patron::core
