// Readiness: the database answers, is a Synced node of the primary component when it is a Galera
// node, and its schema is exactly the one this build expects.
#pragma once

#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/db/migrations.h"

namespace patron::service {

// A request's scope on a Galera cluster: its first unit of work reads all the cluster committed
// before it (store::CausalReads).
using CausalReads = store::CausalReads;

class Readiness {
  public:
    Readiness(store::Database& database, std::vector<store::Migration> migrations);
    core::Result<void> check();

  private:
    store::Database& database_;
    std::vector<store::Migration> migrations_;
};

}  // namespace patron::service
