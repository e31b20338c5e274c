// A customer list to enrol (patronctl import members FILE.csv), read a row at a time: the header
// row names the columns, in any order; each later row becomes the document POST /v1/members takes
// and is read by decode_member_application, so that an imported member passes the API's checks,
// then the member service's. No file, database or key in sight: the CSV is the caller's to read.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/member_requests.h"

namespace patron::core {

// The columns a list may have: full_name, and phone or email (or both), it must. An empty cell
// is a field not given. marketing_sms and marketing_email read yes or no (true, false, 1, 0).
inline constexpr std::array<std::string_view, 12> kImportColumns = {
    "full_name", "phone",       "email",     "birth_date",    "language",      "gender",
    "city",      "postal_code", "time_zone", "terms_version", "marketing_sms", "marketing_email"};

// Bytes a cell may hold; a longer one refuses its row (the CSV reader keeps no more of it than this
// and a byte).
inline constexpr std::size_t kImportCellMax = 1024;

// The header row's cells, named as columns (trimmed, any case, a UTF-8 byte order mark before the
// first ignored).
struct ImportHeader {
    std::vector<std::string> columns;
};

// Refused (field: the column) for a column not in kImportColumns, named twice, or a header without
// full_name or without both phone and email. A cell that is no column's name is quoted only when it
// looks like one (lower-case letters and '_'): a list without its header row must not have its
// first customer printed.
Result<ImportHeader> read_import_header(std::vector<std::string> cells);

// A row as the application it asks for; refused with the column at fault as the field ("$" for the
// row as a whole: more or fewer cells than the header names). A cell that is not UTF-8 is refused
// (a spreadsheet's "CSV" in Windows-1256 would store Persian names garbled for good).
Result<MemberApplication> read_import_row(const ImportHeader& header, const std::vector<std::string>& cells);

// A name as an import compares it with an enrolled member's: spaces collapsed, ASCII letters in
// lower case, Arabic yeh and kaf as the Persian ones (a keyboard's choice, not another name).
std::string comparable_name(std::string_view name);

}  // namespace patron::core
