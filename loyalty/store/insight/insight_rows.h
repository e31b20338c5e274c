// Pieces the insight tables' stores share: times and sealed columns read from a row, and the
// chunked delete of rows an earlier refresh wrote.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "crypto/bytes.h"
#include "loyalty/core/time.h"
#include "loyalty/store/db/integer_column.h"  // integer_at, which every reader of rows here uses

namespace soci {
class session;
class row;
}  // namespace soci

namespace patron::store {

// A sealed column stored as hex, as bytes; empty when NULL.
crypto::Bytes bytes_at(const soci::row& row, std::size_t column);

// Deletes up to `limit` of the programme's rows of `table` (one of the refresh's own tables) whose
// refreshed_at is before `before`; how many.
long long delete_refreshed_before(soci::session& sql, const char* table, long long program_id, core::Timestamp before,
                                  std::size_t limit);

}  // namespace patron::store
