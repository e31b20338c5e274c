#include "loyalty/core/ledger.h"

#include <utility>

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
    }
    return "unknown";
}

bool LedgerTransfer::balanced() const {
    __int128 sum = 0;
    for (const LedgerEntry& entry : entries) sum += entry.amount;
    return sum == 0 && !entries.empty();
}

LedgerTransfer earn_transfer(std::int64_t member_id, std::int64_t points, std::string rule_id, int rule_version) {
    return LedgerTransfer{"earn",
                          std::move(rule_id),
                          rule_version,
                          {
                              LedgerEntry{LedgerAccount::kProgramIssued, std::nullopt, -points},
                              LedgerEntry{LedgerAccount::kMemberAvailable, member_id, points},
                          }};
}

}  // namespace patron::core
