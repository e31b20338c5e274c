#include "loyalty/service/runtime/readiness.h"

namespace patron::service {

Readiness::Readiness(store::Database& database, std::vector<store::Migration> migrations)
    : database_(database), migrations_(std::move(migrations)) {}

core::Result<void> Readiness::check() {
    return database_.run(
        [&](soci::session& sql) -> core::Result<void> { return store::check_migrations_current(sql, migrations_); });
}

}  // namespace patron::service
