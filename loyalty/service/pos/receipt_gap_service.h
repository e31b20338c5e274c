// Receipts that never arrived. A terminal numbers its receipts in sequence; a number missing
// between two that Patron holds for the same terminal and business day is a sale, return or void
// that was not sent or was refused: points or money a member did not get. Gaps are worked out
// from what Patron holds (operations sent alone or in batches, in any order), so a gap closes by
// itself when its receipt arrives. Receipt numbers that are not plain numbers take no part, and
// numbers a till used for a canceled transaction (a POSLog batch says so) are not gaps.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/receipt_gaps.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

struct ReceiptGap {
    std::string terminal;
    std::string business_day;
    long long from = 0;  // The first receipt number missing.
    long long to = 0;    // The last.
};

inline constexpr std::size_t kGapsListed = 1000;  // Per terminal and day; more are counted as truncated.

// One terminal's business day as Patron holds it.
struct ReceiptDay {
    std::string store;
    std::string terminal;
    std::chrono::year_month_day business_day;
    long long committed = 0;   // Purchases, returns and voids.
    long long skipped = 0;     // Numbers canceled at the till.
    long long unnumbered = 0;  // Committed receipts that are not plain numbers.
    std::optional<long long> first;
    std::optional<long long> last;
    std::vector<core::NumberGap> gaps;  // At most kGapsListed, lowest first.
    bool truncated = false;             // There were more.
};

class ReceiptGapService {
  public:
    ReceiptGapService(store::Database& database, const Clock& clock);

    // For staff (admin, support, analyst): NOT_FOUND (store or terminal) outside their program.
    core::Result<ReceiptDay> day(const StaffIdentity& staff, const std::string& store_code,
                                 const std::string& terminal_code, std::chrono::year_month_day business_day);

    // For a batch's answer: the gaps of these business days at the signing terminal, after the batch.
    core::Result<std::vector<ReceiptGap>> gaps(const TerminalIdentity& terminal,
                                               const std::vector<std::chrono::year_month_day>& days);

    // The till used this number for a transaction that earns nothing. A key of another store or
    // terminal than the signer's is not recorded (it says nothing about this terminal).
    core::Result<void> note_skipped(const TerminalIdentity& terminal, const core::ReceiptKey& key,
                                    const std::string& why);

  private:
    store::Database& database_;
    const Clock& clock_;
};

}  // namespace patron::service
