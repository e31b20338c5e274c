// Readiness: the database answers and its schema is exactly the one this build expects.
#pragma once

#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/db/migrations.h"

namespace patron::service {

class Readiness {
  public:
    Readiness(store::Database& database, std::vector<store::Migration> migrations);
    core::Result<void> check();

  private:
    store::Database& database_;
    std::vector<store::Migration> migrations_;
};

}  // namespace patron::service
