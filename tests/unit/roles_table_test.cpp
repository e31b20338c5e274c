// docs/integration.md lists, route by route, which staff roles may call it. The list is the route
// table's own: this test renders the table from the routes patrond registers and fails when the
// document says anything else (the failure prints the table to paste).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "api/router.h"
#include "tests/support/build_paths.h"
#include "tests/support/route_table.h"

namespace patron::api {
namespace {

using testing::openapi_path;
using testing::RouteTable;

constexpr std::string_view kBegin = "<!-- staff routes: generated from the route table; tests/unit/roles_table_test.cpp -->\n";
constexpr std::string_view kEnd = "<!-- end of staff routes -->\n";

std::string rendered_table(const std::vector<Route>& routes) {
    std::ostringstream table;
    table << "| route |";
    for (core::StaffRole role : core::kStaffRoles) table << " " << core::to_string(role) << " |";
    table << "\n|---|";
    for (std::size_t i = 0; i < core::kStaffRoles.size(); ++i) table << "---|";
    table << "\n";
    for (const Route& route : routes) {
        if (route.caller != Caller::kStaff) continue;
        table << "| `" << route.method << " " << openapi_path(route.path) << "` |";
        for (core::StaffRole role : core::kStaffRoles) table << (route.roles.contains(role) ? " yes |" : " |");
        table << "\n";
    }
    return table.str();
}

TEST(RolesTable, TheIntegratorsGuideListsEveryStaffRouteWithTheRolesTheRouteTableAdmits) {
    std::ifstream file(patron::testing::source_dir() + "/docs/integration.md", std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    const std::string document = text.str();
    const std::size_t begin = document.find(kBegin);
    const std::size_t end = document.find(kEnd);
    ASSERT_NE(begin, std::string::npos) << "docs/integration.md lost its staff routes table";
    ASSERT_NE(end, std::string::npos);
    const std::string documented = document.substr(begin + kBegin.size(), end - begin - kBegin.size());
    const RouteTable table;
    const std::string expected = rendered_table(table.routes());
    EXPECT_EQ(documented, expected) << "paste this between the markers:\n" << expected;
    EXPECT_GT(std::count(expected.begin(), expected.end(), '\n'), 40) << "every staff route is listed";
}

}  // namespace
}  // namespace patron::api
