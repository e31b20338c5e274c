#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "api/router.h"
#include "tests/support/build_paths.h"
#include "tests/support/route_table.h"

namespace patron::api {
namespace {

using testing::openapi_path;
using testing::RouteTable;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

TEST(OpenApi, DescribesExactlyTheRoutesTheServerRegisters) {
    const RouteTable table;
    const std::vector<Route>& routes = table.routes();

    const YAML::Node document = YAML::LoadFile(patron::testing::source_dir() + "/api/openapi.yaml");
    ASSERT_EQ(document["openapi"].as<std::string>().substr(0, 3), "3.1");
    std::set<std::pair<std::string, std::string>> described;
    for (const auto& path : document["paths"]) {
        for (const auto& operation : path.second)
            described.insert({path.first.as<std::string>(), operation.first.as<std::string>()});
    }
    std::set<std::pair<std::string, std::string>> registered;
    for (const Route& route : routes) registered.insert({openapi_path(route.path), lower(route.method)});
    for (const auto& route : registered) {
        EXPECT_TRUE(described.contains(route)) << route.second << " " << route.first << " is not in api/openapi.yaml";
    }
    for (const auto& operation : described) {
        EXPECT_TRUE(registered.contains(operation))
            << operation.second << " " << operation.first << " is described but not served";
    }
}

}  // namespace
}  // namespace patron::api
