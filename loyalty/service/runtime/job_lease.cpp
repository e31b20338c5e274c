#include "loyalty/service/runtime/job_lease.h"

#include "loyalty/store/db/job_leases.h"

namespace patron::service {

core::Result<bool> JobLease::take(const std::string& holder, int seconds) {
    return database_.run_for<bool>(
        [&](soci::session& sql) -> core::Result<bool> { return store::take_lease(sql, name_, holder, seconds); });
}

core::Result<void> JobLease::give_up(const std::string& holder) {
    return database_.run([&](soci::session& sql) -> core::Result<void> {
        store::release_lease(sql, name_, holder);
        return {};
    });
}

}  // namespace patron::service
