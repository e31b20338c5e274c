#include "loyalty/core/member_import.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "loyalty/core/utf8.h"

namespace patron::core {
namespace {

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
    return text;
}

std::optional<bool> yes_or_no(const std::string& text) {
    const std::string word = lower(text);
    if (word == "yes" || word == "true" || word == "1" || word == "y") return true;
    if (word == "no" || word == "false" || word == "0" || word == "n") return false;
    return std::nullopt;
}

bool known(const std::string& column) {
    return std::find(kImportColumns.begin(), kImportColumns.end(), column) != kImportColumns.end();
}

}  // namespace

Result<ImportHeader> read_import_header(std::vector<std::string> cells) {
    constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
    if (!cells.empty() && cells.front().starts_with(kByteOrderMark)) cells.front().erase(0, kByteOrderMark.size());
    ImportHeader header;
    for (const std::string& cell : cells) {
        std::string column = lower(trimmed(cell.substr(0, kImportCellMax)));
        if (!known(column)) {
            std::string names;
            for (const std::string_view name : kImportColumns) names += (names.empty() ? "" : ", ") + std::string(name);
            const bool named = !column.empty() && column.size() <= 40 &&
                               column.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos;
            const std::string position = "column " + std::to_string(header.columns.size() + 1);
            return fail(
                ErrorCode::kValidationFailed,
                (named ? "the header names a column \"" + column + "\"" : position + " of the header names a column") +
                    " that an import does not take (is the first row the header?); it takes " + names,
                named ? column : "$");
        }
        if (std::find(header.columns.begin(), header.columns.end(), column) != header.columns.end()) {
            return fail(ErrorCode::kValidationFailed, "the header names the column " + column + " twice", column);
        }
        header.columns.push_back(std::move(column));
    }
    const auto has = [&](std::string_view name) {
        return std::find(header.columns.begin(), header.columns.end(), name) != header.columns.end();
    };
    if (!has("full_name")) {
        return fail(ErrorCode::kValidationFailed, "the header names no full_name column", "full_name");
    }
    if (!has("phone") && !has("email")) {
        return fail(ErrorCode::kValidationFailed,
                    "the header names neither a phone nor an email column: a member needs one, and a run again "
                    "knows a member already enrolled by it",
                    "phone");
    }
    return header;
}

Result<MemberApplication> read_import_row(const ImportHeader& header, const std::vector<std::string>& cells) {
    if (cells.size() != header.columns.size()) {
        return fail(ErrorCode::kValidationFailed,
                    "the row has " + std::to_string(cells.size()) + " cells where the header names " +
                        std::to_string(header.columns.size()) + " columns",
                    "$");
    }
    nlohmann::json document = nlohmann::json::object();
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const std::string& column = header.columns[i];
        if (cells[i].size() > kImportCellMax) {
            return fail(ErrorCode::kValidationFailed,
                        column + " is longer than " + std::to_string(kImportCellMax) + " bytes", column);
        }
        if (!is_valid_utf8(cells[i])) {
            return fail(ErrorCode::kValidationFailed, column + " is not UTF-8 text: save the list as \"CSV UTF-8\"",
                        column);
        }
        const std::string value = trimmed(cells[i]);
        if (value.empty()) continue;
        if (column == "marketing_sms" || column == "marketing_email") {
            const auto agreed = yes_or_no(value);
            if (!agreed) return fail(ErrorCode::kValidationFailed, column + " must be yes or no", column);
            document["consents"][column] = *agreed;
        } else if (column == "terms_version") {
            document["consents"][column] = value;
        } else {
            document[column] = value;
        }
    }
    auto application = decode_member_application(document);
    if (!application) {
        Error error = application.error();
        // The consents are columns of their own here, where the API nests them.
        if (error.field.starts_with("consents.")) error.field.erase(0, std::string_view("consents.").size());
        return std::unexpected(error);
    }
    return application;
}

std::string comparable_name(std::string_view name) {
    constexpr std::string_view kArabicYeh = "\u064A", kPersianYeh = "\u06CC";
    constexpr std::string_view kArabicKaf = "\u0643", kPersianKaf = "\u06A9";
    std::string out;
    bool space = false;  // Spaces met since the last character kept.
    for (std::size_t i = 0; i < name.size();) {
        const std::string_view rest = name.substr(i);
        std::string piece;
        if (rest.starts_with(kArabicYeh) || rest.starts_with(kArabicKaf)) {
            piece = rest.starts_with(kArabicYeh) ? kPersianYeh : kPersianKaf;
            i += kArabicYeh.size();
        } else {
            const char c = name[i++];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                space = true;
                continue;
            }
            piece = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += piece;
    }
    return out;
}

}  // namespace patron::core
