// patronctl import members FILE.csv [--program CODE] [--dry-run]: a retailer's existing customer
// list enrolled through the API's checks (core/member_import.h, service/members/
// member_import_service.h), a row at a time, each refused row named with its column and reason.
#pragma once

#include <string>

#include "crypto/key_ring.h"
#include "loyalty/store/db/database.h"

namespace patron::apps {

// Reads `file` whole once to count its rows (and refuse a file that is not CSV before enrolling
// anyone), then enrols its rows into `program_id`, drawing progress; prints each refused row and a
// summary. 0 when no row was refused, 1 otherwise (or when the file cannot be read).
int import_members(store::Database& database, const crypto::KeyRing& keys, long long program_id,
                   const std::string& file, bool dry_run);

}  // namespace patron::apps
