// The audit log's search over a hundred thousand entries of two programmes: each filter staff use
// (none, an actor, a staff user, a member, an action, with dates and a cursor or without) reads
// its own index in time order (no table scan, no sort), and the rows it reads are a page's worth,
// not the table's.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>
#include <string>
#include <vector>

#include "loyalty/store/access/audit_store.h"
#include "tests/support/test_database.h"

namespace patron {
namespace {

using core::AuditAction;
using std::chrono::days;

constexpr long long kEntries = 100'000;
// 2026-01-01T00:00:00Z; entries come four a minute from then (two of each programme: ids break ties).
const core::Timestamp kStart{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}};

class AuditLogSearch : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        db = new testing::TestDatabase();
        soci::session& sql = db->raw();
        for (const char* code : {"ONE", "TWO"}) {
            sql << "INSERT INTO programs (code, name, currency, country_calling_code, language, card_prefix, "
                   "created_at) VALUES (:code, 'Club', 'IRR', '98', 'fa', '7001', '2026-01-01')",
                soci::use(std::string(code));
        }
        sql << "SELECT MIN(id) FROM programs", soci::into(program_id);
        // 2 programmes, 20 actors (staff users 1 to 20), 5,000 members, every action (each
        // actor's entries too); an entry in ten is about no member. The sequence engine writes them in one statement.
        // Programme ONE has the even ones: actor Staff 8 (staff user 9) and member 1235 among them.
        sql << "INSERT INTO audit_log (program_id, actor, staff_user_id, action, entity, entity_id, member_id, fields,"
               " created_at)"
               " SELECT :program + seq % 2, CONCAT('Staff ', seq % 20), 1 + seq % 20,"
               " ELT(1 + seq DIV 20 % " +
                   std::to_string(core::kAuditActions.size()) + ", " + action_list() +
                   "), 'member', seq % 5000,"
                   " IF(seq % 10 = 0, NULL, 1 + seq % 5000), 'points_available',"
                   " DATE_ADD('2026-01-01', INTERVAL seq DIV 4 MINUTE)"
                   " FROM seq_1_to_" +
                   std::to_string(kEntries),
            soci::use(program_id);
        sql << "ANALYZE TABLE audit_log";
    }
    static void TearDownTestSuite() {
        delete db;
        db = nullptr;
    }

    static std::string action_list() {
        std::string list;
        for (const AuditAction action : core::kAuditActions) {
            list += (list.empty() ? "'" : ", '") + std::string(core::to_string(action)) + "'";
        }
        return list;
    }

    struct Plan {
        std::string key;
        std::string type;
        std::string extra;
    };
    // MariaDB's plan of the search (its one table), the actor written in where the search binds it.
    static Plan plan_of(const store::AuditSearch& search) {
        std::string statement = store::audit_search_statement(search);
        if (search.actor) {
            const std::size_t at = statement.find(":actor");
            statement.replace(at, 6, "'" + *search.actor + "'");
        }
        soci::rowset<soci::row> rows = (db->raw().prepare << "EXPLAIN " + statement);
        Plan plan;
        for (const soci::row& row : rows) {
            plan.type = row.get<std::string>(3, "");
            plan.key = row.get<std::string>(5, "");
            plan.extra = row.get<std::string>(9, "");
        }
        return plan;
    }
    // How many index and table rows the server read to answer the search, and the answer.
    static long long rows_read(const store::AuditSearch& search, std::vector<store::AuditRecord>& found) {
        soci::session& sql = db->raw();
        sql << "FLUSH STATUS";
        found = store::search_audit_log(sql, search);
        long long read = 0;
        soci::rowset<soci::row> rows = (sql.prepare << "SHOW SESSION STATUS LIKE 'Handler_read%'");
        for (const soci::row& row : rows) read += std::stoll(row.get<std::string>(1));
        return read;
    }

    static testing::TestDatabase* db;
    static long long program_id;
};

testing::TestDatabase* AuditLogSearch::db = nullptr;
long long AuditLogSearch::program_id = 0;

struct SearchCase {
    std::string name;
    store::AuditSearch search;
    std::string index;
};

std::vector<SearchCase> cases(long long program_id) {
    const auto search = [program_id](auto&& fill) {
        store::AuditSearch search;
        search.program_id = program_id;
        search.limit = 51;
        fill(search);
        return search;
    };
    const core::Timestamp day_from = kStart + days(5);
    const core::Timestamp day_until = kStart + days(6);
    const core::AuditPosition middle{kStart + days(10), 40'000};
    return {
        {"everything", search([](auto&) {}), "ix_audit_log_time"},
        {"dates", search([&](auto& s) { s.from = day_from, s.until = day_until; }), "ix_audit_log_time"},
        {"next page", search([&](auto& s) { s.after = middle; }), "ix_audit_log_time"},
        {"actor", search([](auto& s) { s.actor = "staff 8"; }), "ix_audit_log_actor"},
        {"actor, dates, next page",
         search([&](auto& s) { s.actor = "Staff 8", s.from = day_from, s.until = day_until, s.after = middle; }),
         "ix_audit_log_actor"},
        {"staff user", search([](auto& s) { s.staff_user_id = 9; }), "ix_audit_log_staff_user"},
        {"staff user, dates", search([&](auto& s) { s.staff_user_id = 9, s.from = day_from, s.until = day_until; }),
         "ix_audit_log_staff_user"},
        {"member", search([](auto& s) { s.member_id = 1235; }), "ix_audit_log_member"},
        {"member, dates", search([&](auto& s) { s.member_id = 1235, s.from = day_from, s.until = day_until; }),
         "ix_audit_log_member"},
        {"member and action", search([](auto& s) { s.member_id = 1235, s.action = AuditAction::kPointsAdjust; }),
         "ix_audit_log_member"},
        {"action", search([](auto& s) { s.action = AuditAction::kCardBlocked; }), "ix_audit_log_action"},
        {"action, dates, next page", search([&](auto& s) {
             s.action = AuditAction::kCardBlocked, s.from = day_from, s.until = day_until, s.after = middle;
         }),
         "ix_audit_log_action"},
        {"actor and action", search([](auto& s) { s.actor = "Staff 8", s.action = AuditAction::kCardBlocked; }),
         "ix_audit_log_actor_action"},
        {"staff user and action", search([](auto& s) { s.staff_user_id = 9, s.action = AuditAction::kCardBlocked; }),
         "ix_audit_log_staff_user_action"},
        {"staff user, action, dates, next page", search([&](auto& s) {
             s.staff_user_id = 9, s.action = AuditAction::kCardBlocked, s.from = day_from, s.until = day_until,
             s.after = middle;
         }),
         "ix_audit_log_staff_user_action"},
    };
}

TEST_F(AuditLogSearch, EveryFilterReadsItsOwnIndexInTimeOrder) {
    for (const SearchCase& each : cases(program_id)) {
        SCOPED_TRACE(each.name);
        const Plan plan = plan_of(each.search);
        EXPECT_EQ(plan.key, each.index);
        EXPECT_TRUE(plan.type == "ref" || plan.type == "range") << plan.type << ": no scan of the whole table";
        EXPECT_EQ(plan.extra.find("filesort"), std::string::npos) << plan.extra;
    }
}

TEST_F(AuditLogSearch, ASearchReadsAPagesWorthOfRowsNotTheTables) {
    for (const SearchCase& each : cases(program_id)) {
        SCOPED_TRACE(each.name);
        std::vector<store::AuditRecord> found;
        const long long read = rows_read(each.search, found);
        // Every filter but the dates is in the index read, so the rows read are the page's and
        // the index's way in: an action within a staff member's entries (a fortieth of theirs)
        // is not looked for among all of them.
        EXPECT_LT(read, 51 * 3) << "of " << kEntries;
        for (std::size_t i = 1; i < found.size(); ++i) {
            const bool newest_first =
                found[i - 1].at > found[i].at || (found[i - 1].at == found[i].at && found[i - 1].id > found[i].id);
            EXPECT_TRUE(newest_first) << found[i].id;
        }
    }
}

TEST_F(AuditLogSearch, PagesFollowEachOtherWithNoEntryTwiceAndNoneLeftOut) {
    store::AuditSearch search;
    search.program_id = program_id;
    search.from = kStart + std::chrono::hours(30);
    search.until = kStart + std::chrono::hours(31);  // 120 entries, two at each instant.
    search.limit = 7;
    std::vector<long long> ids;
    for (;;) {
        const std::vector<store::AuditRecord> page = store::search_audit_log(db->raw(), search);
        for (const store::AuditRecord& entry : page) ids.push_back(entry.id);
        if (page.size() < 7) break;
        search.after = core::AuditPosition{page.back().at, page.back().id};
    }
    EXPECT_EQ(ids.size(), 120u);
    std::vector<long long> distinct = ids;
    std::sort(distinct.begin(), distinct.end());
    EXPECT_EQ(std::unique(distinct.begin(), distinct.end()), distinct.end());
}

}  // namespace
}  // namespace patron
