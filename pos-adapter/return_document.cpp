#include "pos-adapter/return_document.h"

#include <limits>

#include "pos-adapter/document_fields.h"
#include "pos-adapter/purchase_document.h"

namespace patron::pos {
namespace {

using core::ErrorCode;
using core::fail;
using nlohmann::json;

// A return without its original receipt: the member's card and the goods, priced as sold.
core::Result<core::ReturnRequest> decode_blind(const FieldReader& reader, ReceiptHeader header) {
    core::ReturnRequest request;
    request.key = std::move(header.key);
    request.pos_time = header.pos_time;
    request.currency = header.currency;
    request.blind = true;
    auto card = reader.text("card", 19);
    if (!card) {
        return fail(ErrorCode::kValidationFailed,
                    "must name the original receipt: store, terminal, business_day, receipt (a return without it "
                    "needs the member's card and a program that takes such returns)",
                    "original");
    }
    request.card = *card;
    auto goods = decode_purchase_lines(reader.find("lines"));
    if (!goods) return std::unexpected(goods.error());
    request.goods = std::move(*goods);
    core::Purchase as_sold{};
    as_sold.lines = request.goods;
    for (const core::PurchaseLine& line : request.goods) {
        const auto sum = core::checked_add(as_sold.total, line.amount - line.discount);  // Each is at most 10^18.
        if (!sum) return fail(ErrorCode::kValidationFailed, "the lines add up to too much", "lines");
        as_sold.total = *sum;
    }
    if (auto consistent = core::check_purchase_consistency(as_sold); !consistent) {
        return std::unexpected(consistent.error());
    }
    request.total = as_sold.total;
    return request;
}

core::Result<core::ReturnRequest> decode_common(const json& document, const char* what) {
    if (!document.is_object()) {
        return fail(ErrorCode::kValidationFailed, std::string("the ") + what + " must be a JSON object", "$");
    }
    const FieldReader reader(document, "");
    auto header = decode_receipt_header(reader);
    if (!header) return std::unexpected(header.error());
    const json* original = reader.find("original");
    if (original == nullptr && std::string_view(what) == "return") return decode_blind(reader, std::move(*header));
    if (original == nullptr || !original->is_object()) {
        return fail(ErrorCode::kValidationFailed,
                    "must name the original receipt: store, terminal, business_day, receipt", "original");
    }
    auto original_key = decode_receipt_key(FieldReader(*original, "original."));
    if (!original_key) return std::unexpected(original_key.error());
    core::ReturnRequest request;
    request.key = std::move(header->key);
    request.pos_time = header->pos_time;
    request.currency = header->currency;
    request.original = std::move(*original_key);
    if (request.original.store == request.key.store && request.original.terminal == request.key.terminal &&
        request.original.business_day == request.key.business_day && request.original.receipt == request.key.receipt) {
        return fail(ErrorCode::kValidationFailed, "needs a receipt number of its own, not the original's", "receipt");
    }
    return request;
}

core::Result<core::ReturnedLine> decode_returned_line(const json& line, std::size_t index) {
    const std::string path = "lines[" + std::to_string(index) + "]";
    if (!line.is_object())
        return fail(ErrorCode::kValidationFailed, "must be an object", path,
                    core::reason(core::ReasonKind::kWrongType));
    const FieldReader reader(line, path + ".");
    auto quantity = quantity_milli(reader);
    if (reader.find("sku") != nullptr) {
        if (reader.find("line") != nullptr) {
            return fail(ErrorCode::kValidationFailed, "names the line by number or by SKU, not both", path + ".sku");
        }
        auto sku = reader.text("sku", 64);
        if (!sku) return std::unexpected(sku.error());
        if (!quantity) return std::unexpected(quantity.error());
        return core::ReturnedLine{0, *quantity, *sku};
    }
    auto number = reader.integer("line", 1, std::nullopt);
    if (!number) return std::unexpected(number.error());
    if (*number > std::numeric_limits<int>::max()) {
        return fail(ErrorCode::kValidationFailed, "is too large", reader.path("line"));
    }
    if (!quantity) return std::unexpected(quantity.error());
    return core::ReturnedLine{static_cast<int>(*number), *quantity, {}};
}

}  // namespace

core::Result<core::ReturnRequest> decode_return(const json& document) {
    auto request = decode_common(document, "return");
    if (!request || request->blind) return request;
    const auto lines = document.find("lines");
    if (lines == document.end() || !lines->is_array() || lines->empty() || lines->size() > kLinesMax) {
        return fail(ErrorCode::kValidationFailed,
                    "must list 1 to 1000 returned lines ({\"line\" or \"sku\", \"quantity\"})", "lines");
    }
    for (std::size_t i = 0; i < lines->size(); ++i) {
        auto line = decode_returned_line((*lines)[i], i);
        if (!line) return std::unexpected(line.error());
        request->lines.push_back(*line);
    }
    return request;
}

core::Result<core::ReturnRequest> decode_void(const json& document) {
    auto request = decode_common(document, "void");
    if (!request) return request;
    if (document.contains("lines")) {
        return fail(ErrorCode::kValidationFailed, "a void takes back the whole purchase and lists no lines", "lines");
    }
    request->is_void = true;
    return request;
}

}  // namespace patron::pos
