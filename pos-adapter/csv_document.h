// End-of-day CSV files (RFC 4180, read with libcsv) mapped onto the native operations: one row
// per line item, rows grouped into receipts by (type, store, terminal, business day, receipt),
// each receipt then decoded, checked and applied exactly like a JSON document, so a file can be
// uploaded again safely. The columns are documented in the README; the first row names them.
// Errors name the row (row 1 is the header) and the column: "rows[7].quantity".
#pragma once

#include <string_view>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/money.h"
#include "pos-adapter/batch_operation.h"

namespace patron::pos {

inline constexpr std::size_t kCsvRowsMax = 20'000;  // Far more than 1 MiB of body holds.

// VALIDATION_FAILED for the file as a whole (not CSV, a missing column, too many rows or
// receipts); otherwise one operation per receipt, in the order of their first rows.
core::Result<std::vector<BatchOperation>> decode_csv(std::string_view text, const core::Currency& store_currency);

}  // namespace patron::pos
