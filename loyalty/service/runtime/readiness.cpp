#include "loyalty/service/runtime/readiness.h"

namespace patron::service {

Readiness::Readiness(store::Database& database, std::vector<store::Migration> migrations)
    : database_(database), migrations_(std::move(migrations)) {}

core::Result<void> Readiness::check() {
    return database_.run([&](soci::session& sql) -> core::Result<void> {
        // A Galera node outside the primary component, or catching up, or giving a copy of itself
        // to another, is not ready: a balancer sends it nothing until it is Synced again.
        const store::ClusterState cluster = store::read_cluster_state(sql);
        if (!cluster.serving()) {
            return core::fail(core::ErrorCode::kUnavailable,
                              "this database node is not serving: " + cluster.local_state + " in a " + cluster.status +
                                  " component" + (cluster.ready ? "" : ", not ready"));
        }
        return store::check_migrations_current(sql, migrations_);
    });
}

}  // namespace patron::service
