// A job lease as a service holds it: one patrond among several runs the job at a time (see
// loyalty/store/db/job_leases.h), each call its own autocommitted statement.
#pragma once

#include <string>
#include <utility>

#include "loyalty/core/error.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

class JobLease {
  public:
    JobLease(store::Database& database, std::string name) : database_(database), name_(std::move(name)) {}
    // Takes or renews the lease for `holder` for `seconds`; whether `holder` holds it now.
    core::Result<bool> take(const std::string& holder, int seconds);
    // Gives it up, if `holder` holds it: another instance may take it at once.
    core::Result<void> give_up(const std::string& holder);

  private:
    store::Database& database_;
    std::string name_;
};

}  // namespace patron::service
