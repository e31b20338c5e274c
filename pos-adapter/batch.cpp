#include "pos-adapter/batch.h"

#include <algorithm>
#include <map>

#include "crypto/digest.h"
#include "loyalty/core/member_profile.h"
#include "pos-adapter/purchase_answer.h"
#include "pos-adapter/purchase_document.h"
#include "pos-adapter/return_document.h"

namespace patron::pos {
namespace {

using core::ErrorCode;
using core::fail;
using nlohmann::json;

// A document's problem, named by its path inside the batch.
core::Error inside(core::Error error, std::size_t index) {
    error.field = "operations[" + std::to_string(index) + "].document" +
                  (error.field == "$" || error.field.empty() ? std::string() : "." + error.field);
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

core::Result<BatchOutcome> run_batch(const service::TerminalIdentity& terminal, const json& document,
                                     service::PurchaseService& purchases, service::ReturnService& returns,
                                     core::Timestamp now, const BatchSettings& settings) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "the batch must be a JSON object", "$");
    const auto operations = document.find("operations");
    if (operations == document.end() || !operations->is_array() || operations->empty() ||
        operations->size() > kBatchMax) {
        return fail(ErrorCode::kValidationFailed, "must be an array of 1 to 1000 operations", "operations");
    }
    BatchOutcome outcome;
    std::map<std::pair<std::string, std::string>, std::vector<long long>> receipts;  // (terminal, day) -> numbers
    for (std::size_t i = 0; i < operations->size(); ++i) {
        const json& operation = (*operations)[i];
        const std::string at = "operations[" + std::to_string(i) + "]";
        BatchItem item{i, fail(ErrorCode::kValidationFailed, "must be {\"type\", \"document\"}", at), {}};
        const auto type = operation.is_object() ? operation.find("type") : operation.end();
        const auto body = operation.is_object() ? operation.find("document") : operation.end();
        if (!operation.is_object() || type == operation.end() || body == operation.end()) {
            outcome.items.push_back(std::move(item));
            continue;
        }
        // The same canonical bytes as the operation sent alone hash to the same request.
        const crypto::Bytes hash = crypto::sha256(crypto::as_bytes(body->dump()));
        if (*type == "purchase") {
            auto purchase = decode_purchase(*body);
            if (!purchase) {
                item.outcome = std::unexpected(inside(purchase.error(), i));
            } else {
                item.flags = time_flags(purchase->pos_time, now, settings);
                if (auto number = receipt_number(purchase->key.receipt)) {
                    receipts[{purchase->key.terminal, core::format_date(purchase->key.business_day)}].push_back(
                        *number);
                }
                item.outcome = purchases.commit(terminal, *purchase, hash, encode_purchase_answer);
            }
        } else if (*type == "return" || *type == "void") {
            auto request = *type == "return" ? decode_return(*body) : decode_void(*body);
            if (!request) {
                item.outcome = std::unexpected(inside(request.error(), i));
            } else {
                item.flags = time_flags(request->pos_time, now, settings);
                item.outcome = returns.commit(terminal, *request, hash, encode_purchase_answer);
            }
        } else {
            item.outcome = fail(ErrorCode::kValidationFailed, "must be purchase, return or void", at + ".type");
        }
        outcome.items.push_back(std::move(item));
    }
    outcome.gaps = gaps_in(receipts);
    return outcome;
}

}  // namespace patron::pos
