// The audit log's query (GET /v1/audit-log): every parameter read, defaults, the cursor read back
// from what a page wrote and nothing else, and each bad parameter refused by its name.
#include "loyalty/core/audit_query.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

#include "loyalty/core/member_profile.h"

namespace patron::core {
namespace {

LocalDate on(const char* text) { return *parse_date(text); }

TEST(AuditQueries, AskForNothingButAPageOfFiftyByDefaultAndIgnoreOtherParameters) {
    const auto query = parse_audit_query({{"sort", "oldest"}, {"page", "2"}});
    ASSERT_TRUE(query.has_value());
    EXPECT_FALSE(query->actor || query->member_id || query->action || query->from || query->to || query->after);
    EXPECT_EQ(query->limit, 50);
}

TEST(AuditQueries, ReadEveryParameter) {
    const AuditPosition position{Timestamp{std::chrono::microseconds{1'795'000'000'123'456}}, 42};
    const auto query = parse_audit_query({{"actor", "sara@staff.example"},
                                          {"member", "17"},
                                          {"action", "points.adjust"},
                                          {"from", "2026-11-01"},
                                          {"to", "2026-11-01"},
                                          {"limit", "200"},
                                          {"cursor", encode_audit_cursor(position)}});
    ASSERT_TRUE(query.has_value()) << query.error().message;
    EXPECT_EQ(query->actor, "sara@staff.example");
    EXPECT_EQ(query->member_id, 17);
    EXPECT_EQ(query->action, AuditAction::kPointsAdjust);
    EXPECT_EQ(query->from, on("2026-11-01"));
    EXPECT_EQ(query->to, on("2026-11-01")) << "one day: both ends are included";
    EXPECT_EQ(query->limit, 200);
    ASSERT_TRUE(query->after.has_value());
    EXPECT_EQ(query->after->at, position.at);
    EXPECT_EQ(query->after->id, 42);
}

TEST(AuditQueries, RefuseEachBadParameterByName) {
    const std::pair<std::map<std::string, std::string>, const char*> refused[] = {
        {{{"actor", ""}}, "actor"},
        {{{"actor", std::string(255, 'a')}}, "actor"},
        {{{"member", "0"}}, "member"},
        {{{"member", "-3"}}, "member"},
        {{{"member", "3x"}}, "member"},
        {{{"member", ""}}, "member"},
        {{{"member", "99999999999999999999"}}, "member"},
        {{{"action", "points.give"}}, "action"},
        {{{"action", "POINTS.ADJUST"}}, "action"},
        {{{"action", ""}}, "action"},
        {{{"from", "2026-02-30"}}, "from"},
        {{{"to", "yesterday"}}, "to"},
        {{{"from", "0001-01-01"}}, "from"},
        {{{"to", "1969-12-31"}}, "to"},
        {{{"to", "9999-12-31"}}, "to"},
        {{{"from", "2026-11-02"}, {"to", "2026-11-01"}}, "from"},
        {{{"limit", "0"}}, "limit"},
        {{{"limit", "201"}}, "limit"},
        {{{"limit", "ten"}}, "limit"},
        {{{"limit", "+5"}}, "limit"},
        {{{"cursor", ""}}, "cursor"},
        {{{"cursor", "abc"}}, "cursor"},
        {{{"cursor", "1795000000123456"}}, "cursor"},
        {{{"cursor", "1795000000123456-0"}}, "cursor"},
        {{{"cursor", "1795000000123456--4"}}, "cursor"},
        {{{"cursor", "-1795000000123456-4"}}, "cursor"},
        {{{"cursor", "1795000000123456-4-5"}}, "cursor"},
        {{{"cursor", "99999999999999999-4"}}, "cursor"},
        {{{"cursor", "0-4"}}, "cursor"},
    };
    for (const auto& [parameters, field] : refused) {
        SCOPED_TRACE(parameters.begin()->first + "=" + parameters.begin()->second);
        const auto query = parse_audit_query(parameters);
        ASSERT_FALSE(query.has_value());
        EXPECT_EQ(query.error().code, ErrorCode::kValidationFailed);
        EXPECT_EQ(query.error().field, field);
    }
}

}  // namespace
}  // namespace patron::core
