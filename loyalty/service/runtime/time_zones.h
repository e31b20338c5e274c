// The programmes' time zones, read from the system's zone database (tzdata, through Howard
// Hinnant's date library, since g++ 12's standard library has no time zone database). Each zone is
// located once per process and kept, its rules loaded before it is handed to the core, so the core
// reads no files when it asks a zone for a local date.
#pragma once

#include <memory>
#include <string>

#include "loyalty/core/time_zone.h"

namespace soci {
class session;
}

namespace patron::service {

// Whether the zone database knows `name` ("UTC" always).
bool is_known_time_zone(const std::string& name);

// The zone of this name; UTC for a name the database does not know (settings refuse such names,
// so only a zone that left tzdata after it was chosen ends up there).
std::shared_ptr<const core::TimeZone> locate_time_zone(const std::string& name);

// The program's time zone (settings `time_zone`).
std::shared_ptr<const core::TimeZone> program_time_zone(soci::session& sql, long long program_id);

}  // namespace patron::service
