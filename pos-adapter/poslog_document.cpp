#include "pos-adapter/poslog_document.h"

#include <optional>
#include <pugixml.hpp>
#include <string>

#include "loyalty/core/utf8.h"
#include "pos-adapter/decimal_text.h"
#include "pos-adapter/document_fields.h"

namespace patron::pos {
namespace {

using core::ErrorCode;
using nlohmann::json;

// An element's name without its namespace prefix.
std::string_view local_name(const pugi::xml_node& node) {
    const std::string_view name = node.name();
    const std::size_t colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(const pugi::xml_node& node, std::string_view name) {
    for (const pugi::xml_node& candidate : node.children()) {
        if (candidate.type() == pugi::node_element && local_name(candidate) == name) return candidate;
    }
    return {};
}

// Depth first, without recursion (pugixml walks by parent links), so deep nesting cannot
// exhaust the stack.
pugi::xml_node descendant(const pugi::xml_node& node, std::string_view name) {
    return node.find_node([name](const pugi::xml_node& candidate) {
        return candidate.type() == pugi::node_element && local_name(candidate) == name;
    });
}

std::string trimmed(std::string_view text) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    return std::string(text);
}

std::string text_of(const pugi::xml_node& node) { return node ? trimmed(node.child_value()) : std::string(); }
std::string text_at(const pugi::xml_node& node, std::string_view name) { return text_of(child(node, name)); }

// An attribute or, as some POSLog versions write it, a child element of that name.
std::string attribute_or_child(const pugi::xml_node& node, std::string_view name) {
    for (const pugi::xml_attribute& attribute : node.attributes()) {
        std::string_view attribute_name = attribute.name();
        if (const std::size_t colon = attribute_name.find(':'); colon != std::string_view::npos) {
            attribute_name.remove_prefix(colon + 1);
        }
        if (attribute_name == name) return trimmed(attribute.value());
    }
    return text_at(node, name);
}

bool is_true(const std::string& flag) { return flag == "true" || flag == "1"; }

void put_if(json& document, const char* field, const std::string& value) {
    if (!value.empty()) document[field] = value;
}

// Whether the node's own name, attributes and text are valid UTF-8.
bool valid_utf8_node(const pugi::xml_node& node) {
    if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) return core::is_valid_utf8(node.value());
    if (node.type() != pugi::node_element) return true;  // Comments and instructions are never read.
    if (!core::is_valid_utf8(node.name())) return false;
    for (const pugi::xml_attribute& attribute : node.attributes()) {
        if (!core::is_valid_utf8(attribute.name()) || !core::is_valid_utf8(attribute.value())) return false;
    }
    return true;
}

// Where `element` is under its Transaction, as errors name it: "LineItem[2].Sale.ItemID" (line
// items counted as the reader counts them); names are made safe to echo.
std::string element_path(pugi::xml_node element, const pugi::xml_node& transaction) {
    std::string path;
    for (; element && element != transaction; element = element.parent()) {
        std::string step = core::replace_invalid_utf8(local_name(element));
        if (local_name(element) == "LineItem") {
            int position = 0;
            for (pugi::xml_node sibling = element; sibling; sibling = sibling.previous_sibling()) {
                if (sibling.type() == pugi::node_element && local_name(sibling) == "LineItem") ++position;
            }
            step += "[" + std::to_string(position) + "]";
        }
        path = path.empty() ? step : step + "." + path;
    }
    return path;
}

// The Transaction's first element whose name, attributes or text are not valid UTF-8: nothing
// of such a transaction is read or echoed. Its path, or nullopt when the whole is valid.
std::optional<std::string> invalid_utf8_at(const pugi::xml_node& transaction) {
    pugi::xml_node bad = valid_utf8_node(transaction)
                             ? transaction.find_node([](const pugi::xml_node& node) { return !valid_utf8_node(node); })
                             : transaction;
    if (!bad) return std::nullopt;
    if (bad.type() != pugi::node_element) bad = bad.parent();
    return element_path(bad, transaction);
}

// Store, terminal, receipt and business day of a Transaction or of a TransactionLink to one.
json receipt_key(const pugi::xml_node& node) {
    json key = json::object();
    std::string store = text_at(child(node, "BusinessUnit"), "UnitID");
    if (store.empty()) store = text_at(node, "RetailStoreID");
    put_if(key, "store", store);
    put_if(key, "terminal", text_at(node, "WorkstationID"));
    put_if(key, "receipt", text_at(node, "SequenceNumber"));
    put_if(key, "business_day", text_at(node, "BusinessDayDate"));
    return key;
}

const std::map<std::string, std::string>& poslog_names() {
    static const std::map<std::string, std::string> names = {
        {"store", "BusinessUnit"},
        {"terminal", "WorkstationID"},
        {"receipt", "SequenceNumber"},
        {"business_day", "BusinessDayDate"},
        {"pos_time", "EndDateTime"},
        {"currency", "CurrencyCode"},
        {"card", "LoyaltyAccount"},
        {"total", "Total"},
        {"line", "SequenceNumber"},
        {"sku", "ItemID"},
        {"category", "MerchandiseHierarchy"},
        {"quantity", "Quantity"},
        {"unit_price", "ActualSalesUnitPrice"},
        {"amount", "ExtendedAmount"},
        {"discount", "RetailPriceModifier"},
        {"cost", "UnitCostPrice"},
        {"original", "TransactionLink"},
        {"lines", "LineItem"},
        {"original.store", "TransactionLink.BusinessUnit"},
        {"original.terminal", "TransactionLink.WorkstationID"},
        {"original.receipt", "TransactionLink.SequenceNumber"},
        {"original.business_day", "TransactionLink.BusinessDayDate"}};
    return names;
}

// Reads one Transaction into `operation`; a problem found on the way is recorded on it.
class TransactionReader {
  public:
    TransactionReader(BatchOperation& operation, const core::Currency& currency)
        : operation_(operation), currency_(currency) {}

    void fail(const std::string& where, const std::string& message) {
        if (!operation_.problem) operation_.problem = core::Error{ErrorCode::kValidationFailed, message, where};
    }

    // An amount in the currency's major unit, as minor units; 0 (and a problem) when malformed.
    std::int64_t money(const pugi::xml_node& node, const std::string& where, bool negative_allowed = false) {
        const auto value = parse_decimal(text_of(node), currency_.exponent, negative_allowed);
        if (!value) {
            fail(where, "must be an amount in " + std::string(currency_.code) + " with at most " +
                            std::to_string(currency_.exponent) + " decimals");
            return 0;
        }
        return *value;
    }

    // A quantity (decimals for weighed goods) in thousandths, as a positive number.
    std::int64_t quantity(const pugi::xml_node& item, const std::string& where) {
        const pugi::xml_node node = child(item, "Quantity");
        const std::string text = node ? text_of(node) : "1";
        const auto value = parse_decimal(text, 3, true);
        if (!value || *value == 0) {
            fail(where + ".Quantity", "must be a non-zero number with at most 3 decimals");
            return 1000;
        }
        return *value < 0 ? -*value : *value;
    }

    json sale_line(const pugi::xml_node& line_item, const pugi::xml_node& sale, int position,
                   const std::string& where) {
        json line = {{"line", line_number(line_item, position)}};
        put_if(line, "sku", text_at(sale, "ItemID"));
        put_if(line, "category", text_at(sale, "MerchandiseHierarchy"));
        const std::int64_t quantity_milli = quantity(sale, where);
        line["quantity"] = quantity_json(quantity_milli);
        if (pugi::xml_node unit_cost = child(sale, "UnitCostPrice")) {
            line["cost"] = line_cost(money(unit_cost, where + ".UnitCostPrice"), quantity_milli, where);
        }
        pugi::xml_node price = child(sale, "ActualSalesUnitPrice");
        if (!price) price = child(sale, "RegularSalesUnitPrice");
        if (!price) price = child(sale, "UnitListPrice");
        if (price) line["unit_price"] = money(price, where + "." + std::string(local_name(price)));
        if (pugi::xml_node amount = child(sale, "ExtendedAmount")) {
            line["amount"] = money(amount, where + ".ExtendedAmount");
        }
        std::int64_t discount = 0;
        for (const pugi::xml_node& modifier : sale.children()) {
            if (local_name(modifier) != "RetailPriceModifier") continue;
            if (is_true(attribute_or_child(modifier, "VoidFlag"))) continue;
            const std::int64_t off = money(child(modifier, "Amount"), where + ".RetailPriceModifier.Amount", true);
            discount += off < 0 ? -off : off;
        }
        if (discount == 0) {
            if (pugi::xml_node total_off = child(sale, "ExtendedDiscountAmount")) {
                discount = money(total_off, where + ".ExtendedDiscountAmount");
            }
        }
        line["discount"] = discount;
        return line;
    }

    // The line's cost from the cost of one unit: unit cost x quantity, to the nearest minor unit.
    std::int64_t line_cost(std::int64_t unit_cost, std::int64_t quantity_milli, const std::string& where) {
        const __int128 cost = (static_cast<__int128>(unit_cost) * quantity_milli + 500) / 1000;
        if (cost > kAmountMax) {
            fail(where + ".UnitCostPrice", "is too large for the line's quantity");
            return 0;
        }
        return static_cast<std::int64_t>(cost);
    }

    json return_line(const pugi::xml_node& item, const std::string& where) {
        json line = json::object();
        const std::string original_line = text_at(descendant(item, "TransactionLink"), "LineItemSequenceNumber");
        if (!original_line.empty()) {
            const auto number = parse_decimal(original_line, 0);
            if (!number || *number < 1 || *number > 1'000'000) {
                fail(where + ".TransactionLink.LineItemSequenceNumber", "must be a line number");
            } else {
                line["line"] = *number;
            }
        } else {
            put_if(line, "sku", text_at(item, "ItemID"));
            if (!line.contains("sku")) fail(where, "a returned item needs an ItemID or its original line number");
        }
        line["quantity"] = quantity_json(quantity(item, where));
        return line;
    }

    static int line_number(const pugi::xml_node& line_item, int position) {
        const auto number = parse_decimal(text_at(line_item, "SequenceNumber"), 0);
        return number && *number >= 1 && *number <= 1'000'000 ? static_cast<int>(*number) : position;
    }

  private:
    BatchOperation& operation_;
    const core::Currency& currency_;
};

// The original receipt a return or void links to, with the transaction's own store and terminal
// where the link leaves them out.
std::optional<json> linked_original(const pugi::xml_node& retail, const json& own_key) {
    pugi::xml_node link = child(retail, "TransactionLink");
    if (!link) {
        for (const pugi::xml_node& line_item : retail.children()) {
            if (local_name(line_item) != "LineItem") continue;
            if (pugi::xml_node returned = child(line_item, "Return")) {
                if ((link = child(returned, "TransactionLink"))) break;
            }
        }
    }
    if (!link) return std::nullopt;
    json original = receipt_key(link);
    for (const char* field : {"store", "terminal"}) {
        if (!original.contains(field) && own_key.contains(field)) original[field] = own_key[field];
    }
    if (!original.contains("receipt")) return std::nullopt;
    return original;
}

BatchOperation read_transaction(const pugi::xml_node& transaction, std::size_t index,
                                const core::Currency& store_currency) {
    BatchOperation operation;
    operation.origin = "Transaction[" + std::to_string(index + 1) + "]";
    operation.field_names = poslog_names();
    if (const auto invalid = invalid_utf8_at(transaction)) {
        operation.problem = core::Error{ErrorCode::kValidationFailed, "is not valid UTF-8 text",
                                        invalid->empty() ? operation.origin : operation.origin + "." + *invalid};
        return operation;
    }
    // A skipped transaction keeps its receipt key: the till used that number, for nothing.
    const pugi::xml_node retail = child(transaction, "RetailTransaction");
    if (!retail) {
        operation.skipped = "not a retail transaction";
        operation.document = receipt_key(transaction);
        return operation;
    }
    const std::string status = attribute_or_child(retail, "TransactionStatus");
    if (status == "Canceled" || status == "Cancelled" || status == "Suspended" || status == "Voided") {
        operation.skipped = "transaction " + status;
        operation.document = receipt_key(transaction);
        return operation;
    }
    if (!status.empty() && status != "Finished" && status != "Totaled" && status != "PostVoided") {
        operation.problem =
            core::Error{ErrorCode::kValidationFailed, "TransactionStatus must be Finished, Canceled or PostVoided",
                        operation.origin + ".RetailTransaction.TransactionStatus"};
        return operation;
    }

    std::string currency_code = text_at(transaction, "CurrencyCode");
    if (currency_code.empty()) currency_code = text_at(retail, "CurrencyCode");
    if (currency_code.empty()) currency_code = std::string(store_currency.code);
    const auto currency = core::find_currency(currency_code);
    if (!currency) {
        operation.problem = core::Error{ErrorCode::kUnknownCurrency, "unknown currency " + currency_code,
                                        operation.origin + ".CurrencyCode"};
        return operation;
    }
    json document = receipt_key(transaction);
    std::string pos_time = text_at(transaction, "EndDateTime");
    if (pos_time.empty()) pos_time = text_at(transaction, "BeginDateTime");
    put_if(document, "pos_time", pos_time);
    document["currency"] = currency_code;

    if (status == "PostVoided") {
        operation.type = "void";
        const auto original = linked_original(retail, document);
        if (!original) {
            operation.problem = core::Error{ErrorCode::kValidationFailed,
                                            "a PostVoided transaction needs a TransactionLink to the voided one",
                                            operation.origin + ".RetailTransaction.TransactionLink"};
            return operation;
        }
        document["original"] = *original;
        operation.document = std::move(document);
        return operation;
    }

    TransactionReader reader(operation, *currency);
    json lines = json::array();
    bool sales = false, returns = false;
    std::int64_t tendered = 0;
    bool any_tender = false;
    int position = 0;
    for (const pugi::xml_node& line_item : retail.children()) {
        if (line_item.type() != pugi::node_element || local_name(line_item) != "LineItem") continue;
        ++position;
        const std::string where = operation.origin + ".LineItem[" + std::to_string(position) + "]";
        if (is_true(attribute_or_child(line_item, "VoidFlag"))) continue;  // Scanned, then taken off the basket.
        if (pugi::xml_node sale = child(line_item, "Sale")) {
            sales = true;
            lines.push_back(reader.sale_line(line_item, sale, position, where + ".Sale"));
            operation.line_origins.push_back(where + ".Sale");
        } else if (pugi::xml_node returned = child(line_item, "Return")) {
            returns = true;
            lines.push_back(reader.return_line(returned, where + ".Return"));
            operation.line_origins.push_back(where + ".Return");
        } else if (pugi::xml_node tender = child(line_item, "Tender")) {
            any_tender = true;
            tendered += reader.money(child(tender, "Amount"), where + ".Tender.Amount");
            if (pugi::xml_node change = child(tender, "TenderChange")) {
                tendered -= reader.money(child(change, "Amount"), where + ".Tender.TenderChange.Amount");
            }
        }
    }
    if (sales && returns) {
        reader.fail(operation.origin + ".RetailTransaction",
                    "mixes Sale and Return lines: send them as two transactions");
    }
    if (pugi::xml_node card = descendant(child(retail, "LoyaltyAccount"), "PrimaryAccountNumber")) {
        put_if(document, "card", text_of(card));
    } else if (pugi::xml_node number = descendant(child(retail, "LoyaltyAccount"), "LoyaltyCardNumber")) {
        put_if(document, "card", text_of(number));
    }
    document["lines"] = lines;

    if (returns) {
        operation.type = "return";
        const auto original = linked_original(retail, document);
        if (!original) {
            reader.fail(operation.origin + ".RetailTransaction.TransactionLink",
                        "a return needs a TransactionLink to the original receipt");
        } else {
            document["original"] = *original;
        }
        document.erase("card");
        operation.document = std::move(document);
        return operation;
    }

    operation.type = "purchase";
    std::int64_t total = 0;
    bool has_total = false;
    for (const pugi::xml_node& node : retail.children()) {
        if (local_name(node) != "Total") continue;
        const std::string type = attribute_or_child(node, "TotalType");
        if (type.empty() || type == "TransactionGrandAmount") {
            total = reader.money(node, operation.origin + ".Total");
            has_total = true;
            break;
        }
    }
    operation.document = document;
    if (!has_total) total = lines_total(operation);
    document["total"] = total;
    if (any_tender && tendered < total) {
        reader.fail(operation.origin + ".LineItem.Tender", "the tenders do not cover the transaction's total");
    }
    operation.document = std::move(document);
    return operation;
}

}  // namespace

core::Result<std::vector<BatchOperation>> decode_poslog(std::string_view xml, const core::Currency& store_currency) {
    pugi::xml_document document;
    // parse_doctype keeps a DOCTYPE as a node so that it can be refused; pugixml never loads a
    // DTD or expands a declared entity either way.
    const pugi::xml_parse_result parsed =
        document.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_doctype, pugi::encoding_utf8);
    if (!parsed) {
        return core::fail(ErrorCode::kMalformedXml, std::string("the body is not well-formed XML: ") +
                                                        parsed.description() + " at byte " +
                                                        std::to_string(parsed.offset));
    }
    for (const pugi::xml_node& node : document.children()) {
        if (node.type() == pugi::node_doctype) {
            return core::fail(ErrorCode::kXmlDtdForbidden, "POSLog documents may not carry a DOCTYPE (DTDs, entities)");
        }
    }
    const pugi::xml_node root = document.document_element();
    std::vector<pugi::xml_node> transactions;
    if (local_name(root) == "Transaction") {
        transactions.push_back(root);
    } else if (local_name(root) == "POSLog") {
        for (const pugi::xml_node& node : root.children()) {
            if (node.type() == pugi::node_element && local_name(node) == "Transaction") transactions.push_back(node);
        }
    } else {
        return core::fail(ErrorCode::kValidationFailed, "the root element must be POSLog or Transaction", "POSLog");
    }
    if (transactions.empty() || transactions.size() > kBatchMax) {
        return core::fail(ErrorCode::kValidationFailed, "must hold 1 to 1000 Transaction elements", "POSLog");
    }
    std::vector<BatchOperation> operations;
    for (std::size_t i = 0; i < transactions.size(); ++i) {
        operations.push_back(read_transaction(transactions[i], i, store_currency));
    }
    return operations;
}

}  // namespace patron::pos
