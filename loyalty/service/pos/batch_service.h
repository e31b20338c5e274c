// Offline store-and-forward: a terminal that was offline sends its queued operations in order (as
// the native {"operations": [...]}, a POSLog document or an end-of-day CSV file, decoded at the
// edge). Each is applied on its own, exactly as if sent alone (same idempotency: a batch can be
// re-sent whole safely), rated by the rules in force at its POS time; one bad item does not stop
// the others. POS times in the future or later than the lateness allowed are flagged, and gaps in
// the terminal's numeric receipt sequence within the batch are reported.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "crypto/bytes.h"
#include "loyalty/core/error.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/returns.h"
#include "loyalty/core/time.h"
#include "loyalty/service/pos/purchase_service.h"
#include "loyalty/service/pos/return_service.h"

namespace patron::service {

// One operation of a batch as the edge decoded it: a purchase, a return or void, the problem that
// kept it from decoding, or why its own format makes it a no-op (a canceled basket).
struct BatchEntry {
    std::variant<std::monostate, core::Purchase, core::ReturnRequest> request;
    crypto::Bytes request_sha256;        // Of the native document, as if the operation were sent alone.
    std::optional<core::Error> problem;  // It could not be decoded: this is its result.
    std::optional<std::string> skipped;  // A no-op by its format's rules: why.
    std::vector<long long> rows;         // CSV: the file rows it was made of.
};

struct BatchItem {
    std::size_t index = 0;
    core::Result<CommitOutcome> outcome;
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

struct [[nodiscard]] BatchOutcome {
    std::vector<BatchItem> items;
    std::vector<ReceiptGap> gaps;
};

struct BatchSettings {
    std::chrono::seconds future_tolerance{300};     // Clock skew a till may have.
    std::chrono::seconds lateness{30 * 24 * 3600};  // Older operations are flagged "late".
};

class BatchService {
  public:
    BatchService(PurchaseService& purchases, ReturnService& returns, const Clock& clock, BatchSettings settings = {});

    // One item per entry, in order; an item's error is the commit's own (the edge names where it was in
    // the source).
    [[nodiscard]] BatchOutcome run(const TerminalIdentity& terminal, const std::vector<BatchEntry>& entries,
                                   const AnswerEncoder& encode);

  private:
    PurchaseService& purchases_;
    ReturnService& returns_;
    const Clock& clock_;
    BatchSettings settings_;
};

}  // namespace patron::service
