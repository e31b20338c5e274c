// Pieces the insight tables' stores share: member id lists written inline (ids the refresh read
// itself), times read from a row, and the chunked delete of rows an earlier refresh wrote.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "loyalty/core/time.h"
#include "loyalty/store/db/integer_column.h"  // integer_at, which every reader of rows here uses

namespace soci {
class session;
class row;
}  // namespace soci

namespace patron::store {

// "1,2,3": ids are numbers Patron read itself, so they are written into the statement.
std::string id_list(const std::vector<long long>& ids);

// A sealed column stored as hex, as bytes; empty when NULL.
crypto::Bytes bytes_at(const soci::row& row, std::size_t column);

// The column as a time, or nullopt when NULL.
std::optional<core::Timestamp> time_at(const soci::row& row, std::size_t column);

// Deletes up to `limit` of the programme's rows of `table` (one of the refresh's own tables) whose
// refreshed_at is before `before`; how many.
long long delete_refreshed_before(soci::session& sql, const char* table, long long program_id, core::Timestamp before,
                                  std::size_t limit);

}  // namespace patron::store
