// Offline store-and-forward: a terminal that was offline sends its queued operations in order,
// as the native {"operations": [...]}, a POSLog document or an end-of-day CSV file, each already
// mapped to BatchOperations. Each is decoded and applied on its own, exactly as if sent alone (same idempotency: a
// batch can be re-sent whole safely), rated by the rules in force at its POS time; one bad item does not stop the
// others. POS times in the future or later than the lateness allowed are flagged, and gaps in the terminal's numeric
// receipt sequence within the batch are reported.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/time.h"
#include "loyalty/service/purchase_service.h"
#include "loyalty/service/return_service.h"
#include "pos-adapter/batch_operation.h"

namespace patron::pos {

struct BatchItem {
    std::size_t index = 0;
    core::Result<service::CommitOutcome> outcome;
    std::vector<std::string> flags;      // "pos_time_in_future", "late".
    std::optional<std::string> skipped;  // Not applied: a no-op by its format's rules.
    std::vector<long long> rows;         // CSV: the rows it was made of.
};

struct ReceiptGap {
    std::string terminal;
    std::string business_day;
    long long from = 0;  // The first receipt number missing.
    long long to = 0;    // The last.
};

struct BatchOutcome {
    std::vector<BatchItem> items;
    std::vector<ReceiptGap> gaps;
};

struct BatchSettings {
    std::chrono::seconds future_tolerance{300};     // Clock skew a till may have.
    std::chrono::seconds lateness{30 * 24 * 3600};  // Older operations are flagged "late".
};

// One item per operation, in order; errors name the operation's own source (locate()).
BatchOutcome run_batch(const service::TerminalIdentity& terminal, const std::vector<BatchOperation>& operations,
                       service::PurchaseService& purchases, service::ReturnService& returns, core::Timestamp now,
                       const BatchSettings& settings = {});

}  // namespace patron::pos
