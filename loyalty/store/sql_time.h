// Instants to and from MariaDB's DATETIME(6) text form, always in UTC.
#pragma once

#include <optional>
#include <string>

#include "loyalty/core/time.h"

namespace patron::store {

std::string to_sql_time(core::Timestamp time);
std::optional<core::Timestamp> from_sql_time(const std::string& text);

}  // namespace patron::store
