// Job leases (table job_leases): one patrond among several runs a job at a time (the webhook
// dispatcher, the member-message sender), by the database's clock, renewed while it runs.
#pragma once

#include <string>

namespace soci {
class session;
}

namespace patron::store {

// Takes or renews the lease `name` for `holder` for `seconds` when it is free, expired or the
// holder's already, by the database's clock; whether `holder` holds it now. Autocommit.
bool take_lease(soci::session& sql, const std::string& name, const std::string& holder, int seconds);
// Gives the lease up, if `holder` holds it.
void release_lease(soci::session& sql, const std::string& name, const std::string& holder);

}  // namespace patron::store
