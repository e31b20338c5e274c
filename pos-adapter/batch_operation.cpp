#include "pos-adapter/batch_operation.h"

#include <limits>

#include "pos-adapter/document_fields.h"

namespace patron::pos {

using core::ErrorCode;
using core::fail;
using nlohmann::json;

core::Error located(core::Error error, const BatchOperation& operation) {
    error.field = locate(operation, error.field);
    for (core::Problem& problem : error.problems) problem.field = locate(operation, problem.field);
    return error;
}

std::optional<core::ReceiptKey> skipped_receipt(const BatchOperation& operation) {
    if (!operation.skipped || !operation.document.is_object()) return std::nullopt;
    auto key = decode_receipt_key(FieldReader(operation.document, ""));
    if (!key) return std::nullopt;
    return *key;
}

std::string locate(const BatchOperation& operation, const std::string& field) {
    if (field.empty() || field == "$") return operation.origin;
    std::string where = operation.origin;
    std::string rest = field;
    if (rest.starts_with("lines[") && !operation.line_origins.empty()) {
        const std::size_t close = rest.find(']');
        const std::size_t index = std::stoul(rest.substr(6, close - 6));
        if (index < operation.line_origins.size()) {
            where = operation.line_origins[index];
            rest = close + 1 < rest.size() ? rest.substr(close + 2) : std::string();
        }
    }
    if (rest.empty()) return where;
    if (const auto whole = operation.field_names.find(rest); whole != operation.field_names.end()) {
        return where + "." + whole->second;
    }
    const std::size_t dot = rest.rfind('.');
    const std::string last = dot == std::string::npos ? rest : rest.substr(dot + 1);
    const auto renamed = operation.field_names.find(last);
    if (renamed != operation.field_names.end()) {
        rest = (dot == std::string::npos ? std::string() : rest.substr(0, dot + 1)) + renamed->second;
    }
    return where + "." + rest;
}

std::int64_t lines_total(BatchOperation& operation) {
    __int128 total = 0;
    for (const json& line : operation.document.value("lines", json::array())) {
        const json amount = line.value("amount", json(0)), discount = line.value("discount", json(0));
        if (amount.is_number_integer() && discount.is_number_integer()) {
            total += amount.get<std::int64_t>() - static_cast<__int128>(discount.get<std::int64_t>());
        }
    }
    if (total < 0 || total > std::numeric_limits<std::int64_t>::max()) {
        if (!operation.problem) {
            operation.problem =
                core::Error{ErrorCode::kValidationFailed, "the lines do not add up to a valid total", operation.origin};
        }
        return 0;
    }
    return static_cast<std::int64_t>(total);
}

core::Result<std::vector<BatchOperation>> decode_json_batch(const json& batch) {
    if (!batch.is_object()) return fail(ErrorCode::kValidationFailed, "the batch must be a JSON object", "$");
    const auto operations = batch.find("operations");
    if (operations == batch.end() || !operations->is_array() || operations->empty() || operations->size() > kBatchMax) {
        return fail(ErrorCode::kValidationFailed, "must be an array of 1 to 1000 operations", "operations");
    }
    std::vector<BatchOperation> decoded;
    for (std::size_t i = 0; i < operations->size(); ++i) {
        const json& item = (*operations)[i];
        const std::string at = "operations[" + std::to_string(i) + "]";
        BatchOperation operation;
        operation.origin = at + ".document";
        const auto type = item.is_object() ? item.find("type") : item.end();
        const auto document = item.is_object() ? item.find("document") : item.end();
        if (!item.is_object() || type == item.end() || document == item.end()) {
            operation.problem = core::Error{ErrorCode::kValidationFailed, "must be {\"type\", \"document\"}", at};
        } else if (!type->is_string() || (*type != "purchase" && *type != "return" && *type != "void")) {
            operation.problem =
                core::Error{ErrorCode::kValidationFailed, "must be purchase, return or void", at + ".type"};
        } else {
            operation.type = type->get<std::string>();
            operation.document = *document;
        }
        decoded.push_back(std::move(operation));
    }
    return decoded;
}

}  // namespace patron::pos
