// A member's history narrowed to one list (?kind=), read page by page: a points list looks at a
// bounded number of the member's movements per page and goes on where it stopped, and the stamp
// list pages across changes made at one instant in the order the whole history shows them.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <string>
#include <vector>

#include "loyalty/store/members/member_history_store.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using core::HistoryList;

class MemberHistoryLists : public ::testing::Test {
  protected:
    // A points transfer of `kind` giving the member `points`, written as the ledger writes one
    // (its counterpart left out: only the member's side is read here).
    long long insert_transfer(long long member_id, const std::string& kind, long long points,
                              const std::string& at = "2026-11-22 10:00:00") {
        world.db.raw() << "INSERT INTO ledger_transfers (program_id, kind, created_at) VALUES (:program, :kind, :at)",
            soci::use(world.program_id), soci::use(kind), soci::use(at);
        long long id = 0;
        world.db.raw() << "SELECT CAST(LAST_INSERT_ID() AS SIGNED)", soci::into(id);
        world.db.raw() << "INSERT INTO ledger_entries (transfer_id, account, member_id, amount)"
                          " VALUES (:transfer, 'member_available', :member, :points)",
            soci::use(id), soci::use(member_id), soci::use(points);
        return id;
    }
    void insert_stamps(long long member_id, const std::string& kind, long long stamps, const std::string& at) {
        world.db.raw() << "INSERT INTO stamp_events (program_id, member_id, card_id, kind, stamps, rule_version,"
                          " created_at) VALUES (:program, :member, 'coffee', :kind, :stamps, 1, :at)",
            soci::use(world.program_id), soci::use(member_id), soci::use(kind), soci::use(stamps), soci::use(at);
    }
    // A reward the card paid at `at`, revoked at `revoked_at` when given.
    void insert_reward(long long member_id, const std::string& at, const std::string& revoked_at = "") {
        const std::string status = revoked_at.empty() ? "issued" : "revoked";
        soci::indicator revoked = revoked_at.empty() ? soci::i_null : soci::i_ok;
        world.db.raw() << "INSERT INTO stamp_rewards (program_id, member_id, card_id, purchase_id, goal,"
                          " rule_version, status, created_at, revoked_at)"
                          " VALUES (:program, :member, 'coffee', 0, 2, 1, :status, :at, :revoked)",
            soci::use(world.program_id), soci::use(member_id), soci::use(status), soci::use(at),
            soci::use(revoked_at, revoked);
    }
    // Every page of one list, `limit` entries a page, as the kinds of its entries in order.
    std::vector<std::string> kinds_page_by_page(long long member_id, HistoryList list, int limit, int* pages) {
        std::vector<std::string> kinds;
        long long before = 0;
        *pages = 0;
        do {
            const auto page = world.members.history_list(world.program_id, member_id, list, before, limit);
            EXPECT_TRUE(page.has_value()) << page.error().message;
            if (!page) break;
            ++*pages;
            for (const auto& item : page->movements) kinds.push_back(item.kind);
            for (const auto& item : page->stamps) kinds.push_back(item.kind);
            before = page->next_before;
        } while (before != 0 && *pages < 100);
        return kinds;
    }

    testing::TestWorld world;
};

TEST_F(MemberHistoryLists, APointsListLooksAtABoundedNumberOfMovementsAPageAndGoesOn) {
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const long long expired = insert_transfer(sara.id, "expire", -40, "2026-01-01 00:00:00");
    const int newer = store::kMovementEntriesScannedMax + 5;
    std::string many = "INSERT INTO ledger_transfers (program_id, kind, created_at) VALUES ";
    for (int i = 0; i < newer; ++i) {
        many += (i == 0 ? "(" : ", (") + std::to_string(world.program_id) + ", 'adjust', '2026-11-22 10:00:00')";
    }
    world.db.raw() << many;
    world.db.raw() << "INSERT INTO ledger_entries (transfer_id, account, member_id, amount)"
                      " SELECT id, 'member_available', :member, 1 FROM ledger_transfers WHERE id > :expired",
        soci::use(sara.id), soci::use(expired);

    const auto first = world.members.history_list(world.program_id, sara.id, HistoryList::kExpired, 0, 20);
    ASSERT_TRUE(first.has_value()) << first.error().message;
    EXPECT_TRUE(first->movements.empty()) << "the newest 1,000 movements hold no expiry";
    ASSERT_NE(first->next_before, 0) << "but the list goes on";
    EXPECT_EQ(first->next_before, expired + 1 + 5) << "from the oldest movement looked at";
    const auto second =
        world.members.history_list(world.program_id, sara.id, HistoryList::kExpired, first->next_before, 20);
    ASSERT_TRUE(second.has_value()) << second.error().message;
    ASSERT_EQ(second->movements.size(), 1U);
    EXPECT_EQ(second->movements[0].transfer_id, expired);
    EXPECT_EQ(second->movements[0].available, -40);
    EXPECT_EQ(second->descriptions[0], "انقضای ۴۰ امتیاز");
    EXPECT_EQ(second->next_before, 0) << "nothing older";

    const auto adjusted = world.members.history_list(world.program_id, sara.id, HistoryList::kAdjusted, 0, 100);
    ASSERT_TRUE(adjusted.has_value()) << adjusted.error().message;
    EXPECT_EQ(adjusted->movements.size(), 100U) << "a list that matches fills its page";
    EXPECT_EQ(adjusted->next_before, adjusted->movements.back().transfer_id);
    int pages = 0;
    EXPECT_EQ(kinds_page_by_page(sara.id, HistoryList::kAdjusted, 100, &pages).size(), static_cast<std::size_t>(newer));
    EXPECT_EQ(pages, 11);
}

TEST_F(MemberHistoryLists, TheStampListPagesAcrossChangesOfOneInstantAsTheWholeHistoryOrdersThem) {
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const auto neda = world.enrol("Neda Rahimi", "09121112233", "neda@example.ir");
    insert_stamps(sara.id, "earn", 1, "2026-11-20 09:00:00");
    insert_stamps(sara.id, "earn", 1, "2026-11-22 10:00:00");
    insert_reward(sara.id, "2026-11-22 10:00:00", "2026-11-23 08:00:00");
    insert_stamps(sara.id, "earn", 1, "2026-11-22 10:00:00");
    insert_stamps(sara.id, "return", -2, "2026-11-23 08:00:00");
    insert_reward(sara.id, "2026-11-24 12:00:00");
    insert_stamps(neda.id, "earn", 1, "2026-11-22 10:00:00");

    const auto whole = world.members.history(world.program_id, sara.id, 0, 100);
    ASSERT_TRUE(whole.has_value()) << whole.error().message;
    std::vector<std::string> expected;
    for (const auto& item : whole->stamps) expected.push_back(item.kind);
    EXPECT_EQ(expected, (std::vector<std::string>{"reward", "revoked", "return", "reward", "earn", "earn", "earn"}));
    for (const int limit : {1, 2, 3, 100}) {
        int pages = 0;
        EXPECT_EQ(kinds_page_by_page(sara.id, HistoryList::kStamps, limit, &pages), expected) << limit;
        EXPECT_EQ(pages, (7 + limit - 1) / limit) << limit;
    }

    const auto neda_page = world.members.history_list(world.program_id, neda.id, HistoryList::kStamps, 0, 20);
    ASSERT_TRUE(neda_page.has_value()) << neda_page.error().message;
    ASSERT_EQ(neda_page->stamps.size(), 1U);
    const auto saras_ids_for_neda =
        world.members.history_list(world.program_id, neda.id, HistoryList::kStamps, whole->stamps[0].id, 20);
    ASSERT_TRUE(saras_ids_for_neda.has_value());
    EXPECT_TRUE(saras_ids_for_neda->stamps.empty()) << "another member's entry starts no page";
}

}  // namespace
}  // namespace patron
