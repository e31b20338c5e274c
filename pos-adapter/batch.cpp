#include "pos-adapter/batch.h"

#include <algorithm>
#include <map>

#include "crypto/digest.h"
#include "loyalty/core/json_fields.h"
#include "loyalty/core/member_profile.h"
#include "pos-adapter/purchase_answer.h"
#include "pos-adapter/purchase_document.h"
#include "pos-adapter/return_document.h"

namespace patron::pos {
namespace {

using core::ErrorCode;
using core::fail;
using nlohmann::json;

// A document's problem, named by where it is in what the terminal sent.
core::Error inside(core::Error error, const BatchOperation& operation) {
    error.field = locate(operation, error.field);
    for (auto& [field, message] : error.problems) field = locate(operation, field);
    return error;
}

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

BatchOutcome run_batch(const service::TerminalIdentity& terminal, const std::vector<BatchOperation>& operations,
                       service::PurchaseService& purchases, service::ReturnService& returns, core::Timestamp now,
                       const BatchSettings& settings) {
    BatchOutcome outcome;
    std::map<std::pair<std::string, std::string>, std::vector<long long>> receipts;  // (terminal, day) -> numbers
    for (std::size_t i = 0; i < operations.size(); ++i) {
        const BatchOperation& operation = operations[i];
        BatchItem item{i, fail(ErrorCode::kInternal, "not run"), {}, operation.skipped, operation.rows};
        if (operation.problem) {
            item.outcome = std::unexpected(*operation.problem);
        } else if (operation.skipped) {
            item.outcome =
                service::CommitOutcome{200, core::json_text(nlohmann::json{{"skipped", *operation.skipped}}), false};
        } else if (operation.type == "purchase") {
            // The same canonical bytes as the operation sent alone hash to the same request.
            const crypto::Bytes hash = crypto::sha256(crypto::as_bytes(core::json_text(operation.document)));
            auto purchase = decode_purchase(operation.document);
            if (!purchase) {
                item.outcome = std::unexpected(inside(purchase.error(), operation));
            } else {
                item.flags = time_flags(purchase->pos_time, now, settings);
                if (auto number = receipt_number(purchase->key.receipt)) {
                    receipts[{purchase->key.terminal, core::format_date(purchase->key.business_day)}].push_back(
                        *number);
                }
                item.outcome = purchases.commit(terminal, *purchase, hash, encode_purchase_answer);
                if (!item.outcome) item.outcome = std::unexpected(inside(item.outcome.error(), operation));
            }
        } else {
            const crypto::Bytes hash = crypto::sha256(crypto::as_bytes(core::json_text(operation.document)));
            auto request =
                operation.type == "return" ? decode_return(operation.document) : decode_void(operation.document);
            if (!request) {
                item.outcome = std::unexpected(inside(request.error(), operation));
            } else {
                item.flags = time_flags(request->pos_time, now, settings);
                item.outcome = returns.commit(terminal, *request, hash, encode_purchase_answer);
                if (!item.outcome) item.outcome = std::unexpected(inside(item.outcome.error(), operation));
            }
        }
        outcome.items.push_back(std::move(item));
    }
    outcome.gaps = gaps_in(receipts);
    return outcome;
}

}  // namespace patron::pos
