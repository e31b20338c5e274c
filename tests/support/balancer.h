// HAProxy in HTTP mode in front of patrond instances, as scripts/cluster runs it (docs/cluster.md):
// each request goes to an instance whose /readyz answered 200 on its last two checks. For the
// cluster's tests and its benchmark; haproxy must be installed (scripts/cluster installs it).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace patron::testing {

class Balancer {
  public:
    // instances: their base URLs (http://127.0.0.1:PORT); its configuration and log go to dir.
    // Checks each instance every check_ms; throws unless it serves /readyz within ten seconds.
    Balancer(const std::vector<std::string>& instances, const std::string& dir, int check_ms = 300);
    ~Balancer();
    Balancer(const Balancer&) = delete;
    Balancer& operator=(const Balancer&) = delete;

    std::string url(const std::string& path) const;

  private:
    int port_;
    pid_t pid_ = -1;
};

}  // namespace patron::testing
