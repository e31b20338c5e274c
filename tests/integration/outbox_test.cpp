// The outbox against a real MariaDB (issue 21): an event exists if and only if its change
// committed; a retried or refused till request raises none; a member's events keep the order her
// changes were made in, even when her purchases race; and no event holds her personal data.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "crypto/digest.h"
#include "loyalty/core/member_requests.h"
#include "loyalty/service/members/member_merge_service.h"
#include "loyalty/store/db/write_batch.h"
#include "loyalty/store/events/outbox_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using nlohmann::json;

class Outbox : public ::testing::Test {
  protected:
    // Coffee 2 x 300,000 and cake 1 x 250,000: 85 points at 1 point per 10,000 IRR.
    core::Purchase basket(const std::string& receipt, std::optional<std::string> card) {
        core::Purchase purchase = world.purchase(receipt, 0, std::move(card));
        purchase.lines = {{1, "COF-1", "coffee", 2000, 300000, 600000, 0},
                          {2, "CAKE", "bakery", 1000, 250000, 250000, 0}};
        purchase.total = 850000;
        return purchase;
    }
    core::Result<service::CommitOutcome> commit(const core::Purchase& purchase) {
        return world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(purchase.key.receipt)),
                                      pos::encode_purchase_answer);
    }
    json buy(const core::Purchase& purchase) {
        auto done = commit(purchase);
        EXPECT_TRUE(done.has_value()) << (done ? "" : done.error().message);
        return done ? json::parse(done->body) : json{};
    }
    std::vector<store::OutboxEvent> events(long long after = 0) {
        return store::events_after(world.db.raw(), world.program_id, after, 1000);
    }
    std::vector<store::OutboxEvent> events_of_type(const std::string& type) {
        std::vector<store::OutboxEvent> found;
        for (store::OutboxEvent& event : events()) {
            if (event.type == type) found.push_back(std::move(event));
        }
        return found;
    }
    // No event names Sara other than by her id.
    void expect_no_personal_data() {
        for (const store::OutboxEvent& event : events()) {
            for (const char* personal : {"Sara", "Karimi", "09123456789", "sara@example.ir", "Sahar", "0935",
                                         "1990-04-12", "coffee machine"}) {
                EXPECT_EQ(event.data.find(personal), std::string::npos) << event.type << ": " << event.data;
            }
        }
    }
    testing::TestWorld world;
    service::EnrolledMember sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const service::StaffIdentity support{world.program_id, "Ali (support)", core::StaffRole::kSupport};
};

TEST_F(Outbox, ACommittedPurchaseRaisesOneEventWithWhatTheTillWasTold) {
    const json answer = buy(basket("1", sara.card_number));
    const auto committed = events_of_type("purchase_committed");
    ASSERT_EQ(committed.size(), 1u);
    const store::OutboxEvent& event = committed.front();
    EXPECT_EQ(event.version, 1);
    EXPECT_EQ(event.member_id, sara.id);
    EXPECT_EQ(event.occurred_at, world.clock.now());
    const json data = json::parse(event.data);
    EXPECT_EQ(data["purchase_id"], answer["purchase_id"]);
    EXPECT_EQ(data["store"], "S042");
    EXPECT_EQ(data["terminal"], "T07");
    EXPECT_EQ(data["receipt"], "1");
    EXPECT_EQ(data["currency"], "IRR");
    EXPECT_EQ(data["total"], 850000);
    EXPECT_EQ(data["points_earned"], 85);
    EXPECT_EQ(data["points_earned"], answer["points"]["earned"]);
    EXPECT_EQ(data["points_available"], answer["points"]["available"]);
    EXPECT_FALSE(data.contains("original_purchase_id"));
    expect_no_personal_data();
}

TEST_F(Outbox, AnAnonymousPurchaseRaisesAnEventThatNamesNoMember) {
    buy(basket("1", std::nullopt));
    const auto committed = events_of_type("purchase_committed");
    ASSERT_EQ(committed.size(), 1u);
    EXPECT_FALSE(committed.front().member_id.has_value());
    const json data = json::parse(committed.front().data);
    EXPECT_EQ(data["points_earned"], 0);
    EXPECT_EQ(data["store"], "S042");
    // The receipt's number and total claim the purchase in the portal: not for whoever reads events.
    EXPECT_FALSE(data.contains("receipt"));
    EXPECT_FALSE(data.contains("total"));
}

TEST_F(Outbox, ARetriedPurchaseIsAnsweredAsBeforeAndRaisesNoSecondEvent) {
    const core::Purchase purchase = basket("1", sara.card_number);
    const std::string first = commit(purchase).value().body;
    EXPECT_EQ(commit(purchase).value().body, first);
    EXPECT_EQ(events_of_type("purchase_committed").size(), 1u);
}

TEST_F(Outbox, ARefusedPurchaseRaisesNothing) {
    core::Purchase purchase = basket("1", sara.card_number);
    purchase.redeem_points = 50;  // Sara has none.
    const auto refused = commit(purchase);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kPointsInsufficient);
    EXPECT_TRUE(events_of_type("purchase_committed").empty());
    EXPECT_EQ(world.db.count("purchases"), 0);
}

// The event is a row of the change's own transaction: rolled back with it, at once or deferred
// to its COMMIT.
TEST_F(Outbox, AnEventOfATransactionRolledBackIsNotThere) {
    const core::Event event =
        core::member_event(core::EventType::kMemberUpdated, world.program_id, sara.id, world.clock.now());
    const long long before = world.db.count("outbox_events");
    for (const bool deferred : {false, true}) {
        const auto done = world.db.database().transact([&](soci::session& sql) -> core::Result<void> {
            if (deferred) store::defer_writes(sql);
            store::add_event(sql, event);
            return core::fail(core::ErrorCode::kValidationFailed, "changed our mind");
        });
        EXPECT_FALSE(done.has_value());
        EXPECT_EQ(world.db.count("outbox_events"), before) << (deferred ? "deferred" : "at once");
    }
    ASSERT_TRUE(world.db.database()
                    .transact([&](soci::session& sql) -> core::Result<void> {
                        store::defer_writes(sql);
                        store::add_event(sql, event);
                        return {};
                    })
                    .has_value());
    EXPECT_EQ(world.db.count("outbox_events"), before + 1);
}

TEST_F(Outbox, ReturnsAndVoidsRaiseTheirEventsNamingTheOriginal) {
    const json kept = buy(basket("1", sara.card_number));
    const json voided = buy(basket("2", sara.card_number));
    ASSERT_TRUE(world.returns
                    .commit(world.terminal, world.return_request("R1", "1", {{2, 1000}}),
                            crypto::sha256(crypto::as_bytes(std::string("R1"))), pos::encode_purchase_answer)
                    .has_value());
    core::ReturnRequest void_request = world.return_request("V2", "2", {});
    void_request.is_void = true;
    void_request.key.business_day = void_request.original.business_day;
    const auto void_done = world.returns.commit(
        world.terminal, void_request, crypto::sha256(crypto::as_bytes(std::string("V2"))), pos::encode_purchase_answer);
    ASSERT_TRUE(void_done.has_value()) << void_done.error().message;

    const auto returned = events_of_type("purchase_returned");
    ASSERT_EQ(returned.size(), 1u);
    const json taken = json::parse(returned.front().data);
    EXPECT_EQ(taken["original_purchase_id"], kept["purchase_id"]);
    EXPECT_EQ(taken["total"], -250000) << "the cake given back";
    EXPECT_EQ(taken["points_earned"], -25);
    EXPECT_EQ(returned.front().member_id, sara.id);

    const auto voids = events_of_type("purchase_voided");
    ASSERT_EQ(voids.size(), 1u);
    const json undone = json::parse(voids.front().data);
    EXPECT_EQ(undone["original_purchase_id"], voided["purchase_id"]);
    EXPECT_EQ(undone["total"], -850000);
    EXPECT_EQ(undone["points_earned"], -85);
}

TEST_F(Outbox, ABlindReturnRaisesAReturnEventNamingNoOriginal) {
    buy(basket("1", sara.card_number));
    core::PointsPolicy policy = testing::TestWorld::policy();
    policy.blind_returns = true;
    ASSERT_TRUE(world.admin.set_points_policy(world.program_id, policy).has_value());
    core::ReturnRequest request = world.return_request("R1", "", {});
    request.blind = true;
    request.card = sara.card_number;
    request.goods = {{1, "COF-1", "coffee", 1000, 300000, 300000, 0}};
    request.total = 300000;
    const auto done = world.returns.commit(world.terminal, request, crypto::sha256(crypto::as_bytes(std::string("R1"))),
                                           pos::encode_purchase_answer);
    ASSERT_TRUE(done.has_value()) << done.error().message;
    const auto returned = events_of_type("purchase_returned");
    ASSERT_EQ(returned.size(), 1u);
    EXPECT_EQ(returned.front().member_id, sara.id);
    const json data = json::parse(returned.front().data);
    EXPECT_TRUE(data["original_purchase_id"].is_null());
    EXPECT_EQ(data["total"], -300000);
    EXPECT_EQ(data["points_earned"], -30);
}

TEST_F(Outbox, AMergeTellsWhichRecordWentIntoWhich) {
    const service::EnrolledMember again = world.enrol("Sara K.", "09350001111", "sara.k@example.com");
    service::MemberMergeService merges{world.db.database(), world.keys, world.clock};
    ASSERT_TRUE(merges.merge(support, sara.id, again.id).has_value());
    const auto merged = events_of_type("member_merged");
    ASSERT_EQ(merged.size(), 1u);
    EXPECT_EQ(merged.front().member_id, again.id);
    EXPECT_EQ(json::parse(merged.front().data), (json{{"member_id", again.id}, {"into_member_id", sara.id}}));
}

TEST_F(Outbox, AMembersEnrolmentChangesAdjustmentsAndErasureRaiseEventsWithoutHerData) {
    const service::EnrolledMember sahar = world.enrol("Sahar Ahmadi", "09351112233", "sahar@example.ir");
    const auto changes = core::decode_member_update(json{{"full_name", "Sahar A. Ahmadi"}, {"language", "en"}});
    ASSERT_TRUE(changes.has_value());
    ASSERT_TRUE(world.members.update(support, sahar.id, changes).has_value());
    ASSERT_TRUE(world.adjustments.adjust(support, sahar.id, {40, "Sahar's coffee machine was down"}).has_value());
    ASSERT_TRUE(
        world.services.privacy.erase({world.program_id, "admin", core::StaffRole::kAdmin}, sahar.id).has_value());

    std::vector<std::string> types;
    for (const store::OutboxEvent& event : events()) {
        if (event.member_id == sahar.id) types.push_back(event.type);
    }
    EXPECT_EQ(types,
              (std::vector<std::string>{"member_enrolled", "member_updated", "points_adjusted", "member_erased"}));
    const json updated = json::parse(events_of_type("member_updated").front().data);
    EXPECT_EQ(updated["fields"], (json{"full_name", "language"})) << "the names of the fields, never their values";
    const json adjusted = json::parse(events_of_type("points_adjusted").front().data);
    EXPECT_EQ(adjusted["points"], 40);
    EXPECT_EQ(adjusted["points_available"], 40);
    EXPECT_FALSE(adjusted.contains("reason")) << "staff's words may name her";
    expect_no_personal_data();
}

// Eight tills sell to Sara at once: her account's lock orders the commits, and her events, read in
// the outbox's order, show her balance rising purchase after purchase.
TEST_F(Outbox, AMembersEventsKeepTheOrderOfHerChangesWhenHerPurchasesRace) {
    constexpr int kTills = 8;
    constexpr int kEach = 6;
    std::vector<std::thread> tills;
    for (int till = 0; till < kTills; ++till) {
        tills.emplace_back([this, till] {
            for (int i = 0; i < kEach; ++i) {
                const auto done = commit(basket(std::to_string(till) + "-" + std::to_string(i), sara.card_number));
                EXPECT_TRUE(done.has_value()) << (done ? "" : done.error().message);
            }
        });
    }
    for (std::thread& till : tills) till.join();
    const auto committed = events_of_type("purchase_committed");
    ASSERT_EQ(committed.size(), static_cast<std::size_t>(kTills * kEach));
    long long available = 0;
    for (const store::OutboxEvent& event : committed) {
        const long long after = json::parse(event.data)["points_available"].get<long long>();
        EXPECT_EQ(after, available + 85) << "event " << event.id;
        available = after;
    }
}

}  // namespace
}  // namespace patron
