// One operation of an offline batch, whatever format it arrived in: the native JSON document it
// maps to (so a POSLog or CSV receipt is decoded, checked and applied exactly like the JSON one),
// or the problem that kept it from mapping, or why the source format itself makes it a no-op.
// It remembers where it came from, so an error names the offending XML element or CSV cell
// rather than a JSON path the sender never wrote.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/purchase.h"

namespace patron::pos {

inline constexpr std::size_t kBatchMax = 1000;

struct BatchOperation {
    std::string type;                    // "purchase", "return" or "void".
    nlohmann::json document;             // The native JSON document (docs/integration.md); when skipped,
                                         // what the source says of its receipt key.
    std::optional<core::Error> problem;  // It could not be mapped: this is its result.
    std::optional<std::string> skipped;  // A no-op by its format's own rules (a canceled basket): why.
    std::string origin;                  // Where it came from: "operations[2].document", "Transaction[3]", "rows[4]".
    std::vector<std::string> line_origins;           // Per native line, where it came from, when not origin.lines[i].
    std::map<std::string, std::string> field_names;  // Native field name -> the source's name for it.
    std::vector<long long> rows;                     // CSV: the file rows it was made of.
};

// The receipt number a skipped operation used, when its source names its whole receipt key.
std::optional<core::ReceiptKey> skipped_receipt(const BatchOperation& operation);

// Where a native field path (e.g. "lines[1].quantity") of the operation's document is in its source.
std::string locate(const BatchOperation& operation, const std::string& field);

// The error with its field and problems named where they are in the operation's source.
core::Error located(core::Error error, const BatchOperation& operation);

// The sum of amount - discount over the document's lines, for formats that carry no total;
// 0 and a problem on the operation when it does not fit.
std::int64_t lines_total(BatchOperation& operation);

// The native batch {"operations": [{"type", "document"}, ...]}; VALIDATION_FAILED when the batch
// itself is malformed (an item that is not {"type", "document"} is that item's problem).
core::Result<std::vector<BatchOperation>> decode_json_batch(const nlohmann::json& batch);

}  // namespace patron::pos
