// The environment of a patrond a benchmark drives, sized as an operator would size it for this
// machine: connections and workers enough for group commit.
#pragma once

#include <map>
#include <string>

#include "tests/support/patrond_process.h"

namespace patron::bench {

inline std::map<std::string, std::string> serving_environment(const testing::DemoSetup& setup) {
    auto environment = setup.environment();
    environment["PATRON_THREADS"] = "2";
    environment["PATRON_DB_POOL"] = "32";
    environment["PATRON_WORKERS"] = "32";
    return environment;
}

}  // namespace patron::bench
