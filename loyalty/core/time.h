// Patron's one notion of an instant: UTC with microsecond precision, the precision of the
// database's DATETIME(6). The core never reads a clock; instants come in as arguments.
#pragma once

#include <chrono>
#include <string>

namespace patron::core {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

enum class TimeFormat {
    kSql,        // "2026-11-22 14:33:40.123456" (MariaDB DATETIME(6), UTC)
    kRfc3339,    // "2026-11-22T14:33:40.123456Z"
    kRfc3339Ms,  // "2026-11-22T14:33:40.123Z"
};

std::string format_utc(Timestamp time, TimeFormat format);

// The HTTP date of RFC 9110 ("Mon, 30 Nov 2026 07:40:00 GMT"), rounded up to the second so that
// a client told to wait until then never comes back early (Retry-After).
std::string format_http_date(Timestamp time);

// Whether `zone` reads as an IANA time zone name ("Asia/Tehran", "UTC"). Only the form is
// checked: the zone database itself may be missing from a minimal machine.
bool is_time_zone_name(const std::string& zone);

}  // namespace patron::core
