#include "loyalty/store/db/job_leases.h"

#include <soci/soci.h>

namespace patron::store {

bool take_lease(soci::session& sql, const std::string& name, const std::string& holder, int seconds) {
    sql << "INSERT IGNORE INTO job_leases (name, holder, expires_at)"
           " VALUES (:name, :holder, NOW(6) + INTERVAL :seconds SECOND)",
        soci::use(name), soci::use(holder), soci::use(seconds);
    sql << "UPDATE job_leases SET holder = :holder, expires_at = NOW(6) + INTERVAL :seconds SECOND"
           " WHERE name = :name AND (holder = :same OR expires_at < NOW(6))",
        soci::use(holder), soci::use(seconds), soci::use(name), soci::use(holder);
    std::string current;
    sql << "SELECT holder FROM job_leases WHERE name = :name", soci::use(name), soci::into(current);
    return current == holder;
}

void release_lease(soci::session& sql, const std::string& name, const std::string& holder) {
    sql << "UPDATE job_leases SET expires_at = NOW(6) - INTERVAL 1 SECOND WHERE name = :name AND holder = :holder",
        soci::use(name), soci::use(holder);
}

}  // namespace patron::store
