#include "pos-adapter/csv_document.h"

#include <csv.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>

#include "loyalty/core/utf8.h"
#include "pos-adapter/decimal_text.h"

namespace patron::pos {
namespace {

using core::ErrorCode;
using nlohmann::json;

constexpr std::array kRequiredColumns = {"store", "terminal", "business_day", "receipt", "pos_time"};
constexpr std::array kKnownColumns = {"store",
                                      "terminal",
                                      "business_day",
                                      "receipt",
                                      "pos_time",
                                      "currency",
                                      "card",
                                      "type",
                                      "line",
                                      "sku",
                                      "category",
                                      "quantity",
                                      "unit_price",
                                      "amount",
                                      "discount",
                                      "cost",
                                      "original_store",
                                      "original_terminal",
                                      "original_business_day",
                                      "original_receipt",
                                      "original_line"};

struct Table {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> current;
    bool too_many = false;
};

void on_field(void* field, std::size_t length, void* data) {
    auto& table = *static_cast<Table*>(data);
    table.current.emplace_back(static_cast<const char*>(field), field == nullptr ? 0 : length);
}

void on_row(int, void* data) {
    auto& table = *static_cast<Table*>(data);
    if (table.rows.size() >= kCsvRowsMax + 1) {
        table.too_many = true;
    } else {
        table.rows.push_back(std::move(table.current));
    }
    table.current.clear();
}

core::Result<Table> read_table(std::string_view text) {
    Table table;
    csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        return core::fail(ErrorCode::kInternal, "the CSV reader could not start");
    }
    const std::size_t read = csv_parse(&parser, text.data(), text.size(), on_field, on_row, &table);
    const bool finished = read == text.size() && csv_fini(&parser, on_field, on_row, &table) == 0;
    const int error = csv_error(&parser);
    csv_free(&parser);
    if (!finished) {
        return core::fail(ErrorCode::kValidationFailed,
                          std::string("not valid CSV: ") + csv_strerror(error) + " in or after row " +
                              std::to_string(table.rows.size()),
                          "rows[" + std::to_string(table.rows.size() + 1) + "]");
    }
    if (table.too_many) {
        return core::fail(ErrorCode::kValidationFailed,
                          "a file may hold at most " + std::to_string(kCsvRowsMax) + " rows", "rows");
    }
    return table;
}

std::string row_path(std::size_t row) { return "rows[" + std::to_string(row) + "]"; }

// The column of the row's first cell that is not valid UTF-8, if any; every such cell is made
// safe (U+FFFD) so that nothing downstream holds or echoes the bytes as they came.
std::optional<std::string> first_invalid_cell(std::vector<std::string>& cells, const std::vector<std::string>& header) {
    std::optional<std::string> column;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (core::is_valid_utf8(cells[i])) continue;
        cells[i] = core::replace_invalid_utf8(cells[i]);
        if (!column) column = i < header.size() ? header[i] : "column " + std::to_string(i + 1);
    }
    return column;
}

// One receipt being assembled from its rows.
struct Receipt {
    BatchOperation operation;
    json header;  // Its first row's receipt-level fields.
};

class RowReader {
  public:
    RowReader(const std::map<std::string, std::size_t>& columns, const std::vector<std::string>& cells, std::size_t row)
        : columns_(columns), cells_(cells), row_(row) {}

    std::string operator[](const std::string& column) const {
        const auto found = columns_.find(column);
        if (found == columns_.end() || found->second >= cells_.size()) return {};
        return cells_[found->second];
    }
    std::string at(const std::string& column) const { return row_path(row_) + "." + column; }

  private:
    const std::map<std::string, std::size_t>& columns_;
    const std::vector<std::string>& cells_;
    std::size_t row_;
};

void problem(BatchOperation& operation, const std::string& where, const std::string& message) {
    if (!operation.problem) operation.problem = core::Error{ErrorCode::kValidationFailed, message, where};
}

void put_if(json& document, const char* field, const std::string& value) {
    if (!value.empty()) document[field] = value;
}

// The receipt-level fields of the row's receipt; every row of a receipt must agree on them.
json receipt_fields(const RowReader& row, const std::string& type, const std::string& currency) {
    json document = json::object();
    for (const char* field : {"store", "terminal", "business_day", "receipt", "pos_time"})
        put_if(document, field, row[field]);
    document["currency"] = currency;
    if (type == "sale") put_if(document, "card", row["card"]);
    if (type != "sale") {
        json original = json::object();
        put_if(original, "store", row["original_store"]);
        put_if(original, "terminal", row["original_terminal"]);
        put_if(original, "business_day", row["original_business_day"]);
        put_if(original, "receipt", row["original_receipt"]);
        document["original"] = original;
    }
    return document;
}

std::optional<std::int64_t> read_money(BatchOperation& operation, const RowReader& row, const std::string& column,
                                       const core::Currency& currency) {
    const auto value = parse_decimal(row[column], currency.exponent);
    if (!value) {
        problem(operation, row.at(column),
                "must be an amount in " + std::string(currency.code) + " with at most " +
                    std::to_string(currency.exponent) + " decimals");
    }
    return value;
}

json line_of(BatchOperation& operation, const RowReader& row, const std::string& type, std::size_t position,
             const core::Currency& currency) {
    json line = json::object();
    const auto quantity = parse_decimal(row["quantity"], 3);
    if (!quantity || *quantity == 0) {
        problem(operation, row.at("quantity"), "must be a number greater than zero with at most 3 decimals");
    } else {
        line["quantity"] = quantity_json(*quantity);
    }
    if (type == "return") {
        const std::string original_line = row["original_line"];
        if (!original_line.empty()) {
            const auto number = parse_decimal(original_line, 0);
            if (!number || *number < 1 || *number > 1'000'000) {
                problem(operation, row.at("original_line"), "must be a line number");
            } else {
                line["line"] = *number;
            }
        } else {
            put_if(line, "sku", row["sku"]);
            if (!line.contains("sku")) problem(operation, row.at("sku"), "a returned row needs a SKU or original_line");
        }
        return line;
    }
    const std::string number_text = row["line"];
    const auto number = number_text.empty() ? std::optional<std::int64_t>(position) : parse_decimal(number_text, 0);
    if (!number || *number < 1 || *number > 1'000'000) {
        problem(operation, row.at("line"), "must be a line number");
    } else {
        line["line"] = *number;
    }
    put_if(line, "sku", row["sku"]);
    put_if(line, "category", row["category"]);
    if (auto price = read_money(operation, row, "unit_price", currency)) line["unit_price"] = *price;
    if (auto amount = read_money(operation, row, "amount", currency)) line["amount"] = *amount;
    line["discount"] = std::int64_t{0};
    if (!row["discount"].empty()) {
        if (auto discount = read_money(operation, row, "discount", currency)) line["discount"] = *discount;
    }
    if (!row["cost"].empty()) {
        if (auto cost = read_money(operation, row, "cost", currency)) line["cost"] = *cost;
    }
    return line;
}

}  // namespace

core::Result<std::vector<BatchOperation>> decode_csv(std::string_view text, const core::Currency& store_currency) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // A byte order mark, as spreadsheets write.
    auto table = read_table(text);
    if (!table) return std::unexpected(table.error());
    if (table->rows.empty()) return core::fail(ErrorCode::kValidationFailed, "the file is empty", "rows");
    for (const std::string& name : table->rows[0]) {
        if (!core::is_valid_utf8(name)) {
            return core::fail(ErrorCode::kValidationFailed, "the column names must be UTF-8 text", row_path(1));
        }
    }
    std::map<std::string, std::size_t> columns;
    for (std::size_t i = 0; i < table->rows[0].size(); ++i) {
        const std::string& name = table->rows[0][i];
        if (std::find(kKnownColumns.begin(), kKnownColumns.end(), name) == kKnownColumns.end()) {
            return core::fail(ErrorCode::kValidationFailed, "unknown column " + name, row_path(1) + "." + name);
        }
        if (!columns.emplace(name, i).second) {
            return core::fail(ErrorCode::kValidationFailed, "column named twice", row_path(1) + "." + name);
        }
    }
    for (const char* name : kRequiredColumns) {
        if (!columns.contains(name)) {
            return core::fail(ErrorCode::kValidationFailed, std::string("the header must name column ") + name,
                              row_path(1) + "." + name);
        }
    }

    if (table->rows.size() < 2) {
        return core::fail(ErrorCode::kValidationFailed, "needs at least one line row after the header", "rows");
    }
    std::vector<Receipt> receipts;
    std::map<std::string, std::size_t> receipt_index;  // Grouping key -> index in receipts.
    for (std::size_t r = 1; r < table->rows.size(); ++r) {
        const std::size_t row_number = r + 1;
        const auto invalid_column = first_invalid_cell(table->rows[r], table->rows[0]);
        const RowReader row(columns, table->rows[r], row_number);
        std::string type = row["type"];
        if (type.empty()) type = "sale";
        std::string currency_code = row["currency"];
        if (currency_code.empty()) currency_code = std::string(store_currency.code);
        const std::string key =
            type + '\n' + row["store"] + '\n' + row["terminal"] + '\n' + row["business_day"] + '\n' + row["receipt"];
        auto [found, added] = receipt_index.emplace(key, receipts.size());
        if (added) {
            if (receipts.size() == kBatchMax) {
                return core::fail(ErrorCode::kValidationFailed, "a file may hold at most 1000 receipts",
                                  row_path(row_number));
            }
            Receipt receipt;
            receipt.operation.origin = row_path(row_number);
            receipt.operation.type = type == "sale" ? "purchase" : type;
            receipt.operation.field_names = {{"original.store", "original_store"},
                                             {"original.terminal", "original_terminal"},
                                             {"original.business_day", "original_business_day"},
                                             {"original.receipt", "original_receipt"},
                                             {"original", "original_receipt"}};
            if (type == "return") receipt.operation.field_names["line"] = "original_line";
            receipt.header = receipt_fields(row, type, currency_code);
            receipt.operation.document = receipt.header;
            receipts.push_back(std::move(receipt));
        }
        Receipt& receipt = receipts[found->second];
        BatchOperation& operation = receipt.operation;
        if (invalid_column) problem(operation, row.at(*invalid_column), "is not valid UTF-8 text");
        if (added && type != "sale" && type != "return" && type != "void") {
            problem(operation, row.at("type"), "must be sale, return or void");
        }
        operation.rows.push_back(static_cast<long long>(row_number));
        if (!added && receipt_fields(row, type, currency_code) != receipt.header) {
            problem(operation, row_path(row_number),
                    "disagrees with the receipt's first row on pos_time, card, currency or original receipt");
        }
        const auto currency = core::find_currency(currency_code);
        if (!currency) {
            problem(operation, row.at("currency"), "unknown currency " + currency_code);
            continue;
        }
        if (type == "void") continue;  // A void takes back the whole original; its row names no line.
        json& lines = operation.document["lines"];
        if (lines.is_null()) lines = json::array();
        if (lines.size() == 1000) {
            problem(operation, row_path(row_number), "a receipt may have at most 1000 lines");
            continue;
        }
        lines.push_back(line_of(operation, row, type, lines.size() + 1, *currency));
        operation.line_origins.push_back(row_path(row_number));
    }

    std::vector<BatchOperation> operations;
    for (Receipt& receipt : receipts) {
        json& document = receipt.operation.document;
        if (receipt.operation.type == "purchase" && document.contains("lines")) {
            document["total"] = lines_total(receipt.operation);
        }
        operations.push_back(std::move(receipt.operation));
    }
    return operations;
}

}  // namespace patron::pos
