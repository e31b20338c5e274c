// Offline store-and-forward: a terminal that was offline sends its queued operations in order (as
// the native {"operations": [...]}, a POSLog document or an end-of-day CSV file, decoded at the
// edge). Each is applied on its own, exactly as if sent alone (same idempotency: a batch can be
// re-sent whole safely), rated by the rules in force at its POS time; one bad item does not stop
// the others. POS times in the future, or older than the program's lateness limit, are flagged.
//
// A return or void may arrive before its sale (two tills, or a queue split over uploads): one
// whose original is later in the same batch is applied after it; one whose original Patron still
// does not have is refused (RECEIPT_NOT_FOUND, written nothing) and flagged "awaiting_original",
// for the terminal to send again with a later upload. The answer lists the receipt-number gaps
// of the business days the batch touched, as Patron holds them once the batch is applied.
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
#include "loyalty/service/pos/receipt_gap_service.h"
#include "loyalty/service/pos/return_service.h"
#include "loyalty/service/program/program_settings_service.h"

namespace patron::service {

// One operation of a batch as the edge decoded it: a purchase, a return or void, the problem that
// kept it from decoding, or why its own format makes it a no-op (a canceled basket).
struct BatchEntry {
    std::variant<std::monostate, core::Purchase, core::ReturnRequest> request;
    crypto::Bytes request_sha256;        // Of the native document, as if the operation were sent alone.
    std::optional<core::Error> problem;  // It could not be decoded: this is its result.
    std::optional<std::string> skipped;  // A no-op by its format's rules: why.
    std::optional<core::ReceiptKey> skipped_receipt;  // The receipt number it used, when its source says.
    std::vector<long long> rows;                      // CSV: the file rows it was made of.
};

struct BatchItem {
    std::size_t index = 0;
    core::Result<CommitOutcome> outcome;
    std::vector<std::string> flags;      // "pos_time_in_future", "late", "awaiting_original".
    std::optional<std::string> skipped;  // Not applied: a no-op by its format's rules.
    std::vector<long long> rows;         // CSV: the rows it was made of.
};

struct [[nodiscard]] BatchOutcome {
    std::vector<BatchItem> items;
    std::optional<std::vector<ReceiptGap>> gaps;  // None when they could not be read (the database failed).
};

struct BatchSettings {
    std::chrono::seconds future_tolerance{300};  // Clock skew a till may have.
};

class BatchService {
  public:
    BatchService(PurchaseService& purchases, ReturnService& returns, ReceiptGapService& receipts,
                 ProgramSettingsService& programs, const Clock& clock, BatchSettings settings = {});

    // One item per entry, in order; an item's error is the commit's own (the edge names where it was in
    // the source).
    [[nodiscard]] BatchOutcome run(const TerminalIdentity& terminal, const std::vector<BatchEntry>& entries,
                                   const AnswerEncoder& encode);

  private:
    PurchaseService& purchases_;
    ReturnService& returns_;
    ReceiptGapService& receipts_;
    ProgramSettingsService& programs_;  // The lateness limit.
    const Clock& clock_;
    BatchSettings settings_;
};

}  // namespace patron::service
