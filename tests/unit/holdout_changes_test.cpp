// What a new rule set changes of the hold-outs its ids were last published with: a changed share
// and a removed hold-out are changes (at the path the marketer edits), an added hold-out and an
// unchanged share are not, and ids are matched as the database compares them.
#include "loyalty/core/holdout_changes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace patron::core {
namespace {

using nlohmann::json;

RuleSet rules(const char* document) {
    auto parsed = parse_rule_set(json::parse(document), 0);
    EXPECT_TRUE(parsed);
    return parsed.value_or(RuleSet{});
}

TEST(HoldoutChanges, AChangedShareAndARemovedHoldoutAreChangesAnAddedOneIsNot) {
    const HoldoutsById published = holdouts_by_id(rules(R"({
        "rules": [{"id": "more", "kind": "bonus", "points": 1, "holdout": {"percent": 10}},
                  {"id": "plain", "kind": "bonus", "points": 1},
                  {"id": "gone", "kind": "bonus", "points": 1, "holdout": {"percent": 20}}],
        "cashback": [{"id": "Back", "percent": 1, "holdout": {"percent": 10}}]})"));
    EXPECT_EQ(published.at("back"), std::optional<std::int64_t>(10)) << "by the id as the database compares it";
    EXPECT_EQ(published.at("plain"), std::nullopt);

    const auto changes = holdout_changes(rules(R"({
        "rules": [{"id": "more", "kind": "bonus", "points": 1, "holdout": {"percent": 20}},
                  {"id": "plain", "kind": "bonus", "points": 1, "holdout": {"percent": 30}},
                  {"id": "gone", "kind": "bonus", "points": 1},
                  {"id": "new", "kind": "bonus", "points": 1, "holdout": {"percent": 5}}],
        "cashback": [{"id": "back", "percent": 2, "holdout": {"percent": 10}}]})"),
                                         published);
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0].id, "more");
    EXPECT_EQ(changes[0].path, "rules[0].holdout.percent");
    EXPECT_EQ(changes[0].published_percent, 10);
    EXPECT_EQ(changes[0].percent, std::optional<std::int64_t>(20));
    EXPECT_EQ(changes[1].id, "gone");
    EXPECT_EQ(changes[1].path, "rules[2].holdout");
    EXPECT_EQ(changes[1].published_percent, 20);
    EXPECT_EQ(changes[1].percent, std::nullopt);
}

}  // namespace
}  // namespace patron::core
