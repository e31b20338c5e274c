// Patron's route table as patrond registers it, for tests that check every route against
// something (the OpenAPI document, the roles): the services are built on a database that is
// never reached, since listing routes runs no handler.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/router.h"

namespace patron::testing {

// A route's path as OpenAPI and the guide write it: "/v1/members/:id" -> "/v1/members/{id}".
std::string openapi_path(const std::string& path);

class RouteTable {
  public:
    RouteTable();
    ~RouteTable();
    const std::vector<api::Route>& routes() const;

  private:
    struct Services;
    std::unique_ptr<Services> services_;
};

}  // namespace patron::testing
