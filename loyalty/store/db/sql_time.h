// Instants to and from MariaDB's DATETIME(6) text form, always in UTC.
#pragma once

#include <optional>
#include <string>

#include "loyalty/core/time.h"

namespace patron::store {

// DATE_FORMAT's pattern (quoted) that from_sql_time() reads back, for DATETIME(6) columns in SELECTs.
inline constexpr const char* kSqlTimeFormat = "'%Y-%m-%d %H:%i:%s.%f'";

std::string to_sql_time(core::Timestamp time);
std::optional<core::Timestamp> from_sql_time(const std::string& text);

}  // namespace patron::store
