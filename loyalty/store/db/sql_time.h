// Instants to and from MariaDB's DATETIME(6) text form, always in UTC.
#pragma once

#include <optional>
#include <string>

#include "loyalty/core/time.h"

namespace soci {
class row;
}  // namespace soci

namespace patron::store {

// DATE_FORMAT's pattern (quoted) that from_sql_time() reads back, for DATETIME(6) columns in SELECTs.
inline constexpr const char* kSqlTimeFormat = "'%Y-%m-%d %H:%i:%s.%f'";

std::string to_sql_time(core::Timestamp time);
std::optional<core::Timestamp> from_sql_time(const std::string& text);

// A DATETIME(6) column (or expression) selected in the form from_sql_time() reads: DATE_FORMAT(column, ...).
std::string time_column(const char* column);
// The column of a row as a time, or nullopt when NULL.
std::optional<core::Timestamp> time_at(const soci::row& row, std::size_t column);

}  // namespace patron::store
