// How the lists a read returns as JSON columns are decoded (loyalty/store/db/json_rows.h).
#include "loyalty/store/db/json_rows.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

namespace patron {
namespace {

using nlohmann::json;

TEST(JsonRows, NoRowsReadAsAnEmptyListAndTextThatIsNoListFailsLoudly) {
    EXPECT_TRUE(store::json_rows(std::nullopt).empty());
    EXPECT_TRUE(store::json_keyed_rows(std::nullopt).empty());
    EXPECT_EQ(store::json_rows(std::string(R"([[1, "a"], [2, "b"]])")).size(), 2U);
    EXPECT_THROW(store::json_rows(std::string(R"([[1, "a"], [2, "b)")), std::runtime_error) << "cut short";
    EXPECT_THROW(store::json_keyed_rows(std::string("[1]")), std::runtime_error);
    const json row = json::parse(R"([12, "34", true, false, "text", {"green": 1}, null])");
    EXPECT_EQ(store::json_integer(row, 0), 12);
    EXPECT_EQ(store::json_integer(row, 1), 34);
    EXPECT_EQ(store::json_integer(row, 2), 1);
    EXPECT_EQ(store::json_integer(row, 3), 0);
    EXPECT_EQ(store::json_text(row, 4), "text");
    EXPECT_EQ(json::parse(store::json_text(row, 5)), json({{"green", 1}})) << "a JSON column's document";
    EXPECT_EQ(store::json_text(row, 6), "");
    EXPECT_THROW(store::json_integer(row, 4), std::invalid_argument);
}

}  // namespace
}  // namespace patron
