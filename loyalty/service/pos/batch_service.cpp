#include "loyalty/service/pos/batch_service.h"

#include <algorithm>
#include <map>

#include "loyalty/core/time.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

std::vector<std::string> time_flags(const core::PosTime& pos_time, core::Timestamp now, const BatchSettings& settings) {
    std::vector<std::string> flags;
    if (pos_time.utc > now + settings.future_tolerance) flags.emplace_back("pos_time_in_future");
    if (now - pos_time.utc > settings.lateness) flags.emplace_back("late");
    return flags;
}

std::optional<long long> receipt_number(const std::string& receipt) {
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };  // Not ::isdigit: receipts may hold UTF-8.
    if (receipt.empty() || receipt.size() > 15 || !std::all_of(receipt.begin(), receipt.end(), digit)) {
        return std::nullopt;
    }
    return std::stoll(receipt);
}

std::vector<ReceiptGap> gaps_in(const std::map<std::pair<std::string, std::string>, std::vector<long long>>& seen) {
    std::vector<ReceiptGap> gaps;
    for (auto [where, numbers] : seen) {
        std::sort(numbers.begin(), numbers.end());
        numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
        for (std::size_t i = 1; i < numbers.size(); ++i) {
            if (numbers[i] > numbers[i - 1] + 1)
                gaps.push_back({where.first, where.second, numbers[i - 1] + 1, numbers[i] - 1});
        }
    }
    return gaps;
}

}  // namespace

BatchService::BatchService(PurchaseService& purchases, ReturnService& returns, const Clock& clock,
                           BatchSettings settings)
    : purchases_(purchases), returns_(returns), clock_(clock), settings_(settings) {}

BatchOutcome BatchService::run(const TerminalIdentity& terminal, const std::vector<BatchEntry>& entries,
                               const AnswerEncoder& encode) {
    const core::Timestamp now = clock_.now();
    BatchOutcome outcome;
    std::map<std::pair<std::string, std::string>, std::vector<long long>> receipts;  // (terminal, day) -> numbers
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const BatchEntry& entry = entries[i];
        BatchItem item{i, fail(ErrorCode::kInternal, "not run"), {}, entry.skipped, entry.rows};
        if (entry.problem) {
            item.outcome = std::unexpected(*entry.problem);
        } else if (entry.skipped) {
            item.outcome = CommitOutcome{core::AnswerKind::kAnswered, {}, false};  // The edge says why.
        } else if (const auto* purchase = std::get_if<core::Purchase>(&entry.request)) {
            item.flags = time_flags(purchase->pos_time, now, settings_);
            if (auto number = receipt_number(purchase->key.receipt)) {
                receipts[{purchase->key.terminal, core::format_date(purchase->key.business_day)}].push_back(*number);
            }
            item.outcome = purchases_.commit(terminal, *purchase, entry.request_sha256, encode);
        } else if (const auto* request = std::get_if<core::ReturnRequest>(&entry.request)) {
            item.flags = time_flags(request->pos_time, now, settings_);
            item.outcome = returns_.commit(terminal, *request, entry.request_sha256, encode);
        } else {
            item.outcome = fail(ErrorCode::kInternal, "a batch entry holds no operation");
        }
        outcome.items.push_back(std::move(item));
    }
    outcome.gaps = gaps_in(receipts);
    return outcome;
}

}  // namespace patron::service
