#include "loyalty/service/pos/batch_service.h"

#include <algorithm>
#include <chrono>

#include "loyalty/core/time.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

struct Limits {
    std::chrono::seconds future_tolerance;
    std::chrono::seconds late_after;
};

std::vector<std::string> time_flags(const core::PosTime& pos_time, core::Timestamp now, const Limits& limits) {
    std::vector<std::string> flags;
    if (pos_time.utc > now + limits.future_tolerance) flags.emplace_back("pos_time_in_future");
    if (now - pos_time.utc > limits.late_after) flags.emplace_back("late");
    return flags;
}

// A return or void whose original purchase Patron does not have (yet).
bool awaits_original(const BatchEntry& entry, const BatchItem& item) {
    const auto* request = std::get_if<core::ReturnRequest>(&entry.request);
    return request != nullptr && !request->blind && !item.outcome &&
           item.outcome.error().code == ErrorCode::kReceiptNotFound;
}

void add_day(std::vector<std::chrono::year_month_day>& days, const core::ReceiptKey& key,
             const TerminalIdentity& terminal) {
    if (key.terminal != terminal.terminal_code) return;  // Refused as another terminal's: nothing held.
    if (std::find(days.begin(), days.end(), key.business_day) == days.end()) days.push_back(key.business_day);
}

}  // namespace

BatchService::BatchService(PurchaseService& purchases, ReturnService& returns, ReceiptGapService& receipts,
                           ProgramSettingsService& programs, const Clock& clock, BatchSettings settings)
    : purchases_(purchases),
      returns_(returns),
      receipts_(receipts),
      programs_(programs),
      clock_(clock),
      settings_(settings) {}

BatchOutcome BatchService::run(const TerminalIdentity& terminal, const std::vector<BatchEntry>& entries,
                               const AnswerEncoder& encode) {
    const core::Timestamp now = clock_.now();
    const auto program = programs_.get(terminal.program_id);  // Without it the items fail on their own.
    const Limits limits{settings_.future_tolerance,
                        program ? program->points.late_after : core::PointsPolicy{}.late_after};
    BatchOutcome outcome;
    std::vector<std::chrono::year_month_day> days;  // Business days of this terminal the batch touched.
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const BatchEntry& entry = entries[i];
        BatchItem item{i, fail(ErrorCode::kInternal, "not run"), {}, entry.skipped, entry.rows};
        if (entry.problem) {
            item.outcome = std::unexpected(*entry.problem);
        } else if (entry.skipped) {
            item.outcome = CommitOutcome{core::AnswerKind::kAnswered, {}, false};  // The edge says why.
            if (entry.skipped_receipt) {
                add_day(days, *entry.skipped_receipt, terminal);
                if (auto noted = receipts_.note_skipped(terminal, *entry.skipped_receipt, *entry.skipped); !noted) {
                    item.outcome = std::unexpected(noted.error());
                }
            }
        } else if (const auto* purchase = std::get_if<core::Purchase>(&entry.request)) {
            item.flags = time_flags(purchase->pos_time, now, limits);
            add_day(days, purchase->key, terminal);
            item.outcome = purchases_.commit(terminal, *purchase, entry.request_sha256, encode);
        } else if (const auto* request = std::get_if<core::ReturnRequest>(&entry.request)) {
            item.flags = time_flags(request->pos_time, now, limits);
            add_day(days, request->key, terminal);
            item.outcome = returns_.commit(terminal, *request, entry.request_sha256, encode);
        } else {
            item.outcome = fail(ErrorCode::kInternal, "a batch entry holds no operation");
        }
        outcome.items.push_back(std::move(item));
    }
    // A return that came before its sale in this batch is applied after it; one whose sale is not
    // here at all waits for the terminal to send it again.
    for (std::size_t i = 0; i < entries.size(); ++i) {
        BatchItem& item = outcome.items[i];
        if (!awaits_original(entries[i], item)) continue;
        item.outcome = returns_.commit(terminal, std::get<core::ReturnRequest>(entries[i].request),
                                       entries[i].request_sha256, encode);
        if (awaits_original(entries[i], item)) item.flags.emplace_back("awaiting_original");
    }
    std::sort(days.begin(), days.end());
    if (auto gaps = receipts_.gaps(terminal, days)) outcome.gaps = std::move(*gaps);
    return outcome;
}

}  // namespace patron::service
