// Merging two member records against a real MariaDB: the survivor takes the cards (which keep
// working), every point lot with its own expiry, the balances through a member-to-member ledger
// transfer, the purchases (a later return still finds its points; the account's first and last
// purchase times take them in) and the history, in one transaction; the absorbed record's
// personal data is shredded; `verify` finds nothing wrong. The campaigns' hold-out records move
// too, the survivor's own record of a campaign winning.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "loyalty/service/members/member_merge_service.h"
#include "loyalty/store/insight/campaign_exposure_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using core::ErrorCode;
using nlohmann::json;

// Sara, enrolled twice, and a support agent to merge her records.
class MemberMerge : public ::testing::Test {
  protected:
    testing::TestWorld world;
    service::MemberMergeService merges{world.db.database(), world.keys, world.clock};
    const service::StaffIdentity support{world.program_id, "Ali (support)", core::StaffRole::kSupport};
    const service::EnrolledMember sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const service::EnrolledMember again = world.enrol("Sara K.", "09350001111", "sara.k@example.com");
};

TEST_F(MemberMerge, TheSurvivorTakesCardsLotsWithTheirExpiryPurchasesAndBalances) {
    const auto commit = [&](const std::string& receipt, long long amount, const std::string& card) {
        const auto done =
            world.purchases.commit(world.terminal, world.purchase(receipt, amount, card),
                                   crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer);
        ASSERT_TRUE(done.has_value()) << done.error().message;
    };
    commit("1", 300000, sara.card_number);  // 30 points, expiring 12 months from now.
    world.clock.set(world.clock.now() + std::chrono::days(40));
    commit("2", 200000, again.card_number);  // 20 points, expiring 40 days later than Sara's.

    const auto merged = merges.merge(support, sara.id, again.id);
    ASSERT_TRUE(merged.has_value()) << merged.error().message;
    EXPECT_EQ(merged->points_available_moved, 20);

    soci::session& sql = world.db.raw();
    long long lots = 0, distinct_expiry = 0, available = 0, absorbed_available = -1;
    sql << "SELECT COUNT(*), COUNT(DISTINCT expires_at) FROM point_lots WHERE member_id = :id", soci::into(lots),
        soci::into(distinct_expiry), soci::use(sara.id);
    EXPECT_EQ(lots, 2) << "nothing summed into one number";
    EXPECT_EQ(distinct_expiry, 2) << "each lot keeps its own expiry";
    sql << "SELECT points_available FROM member_accounts WHERE member_id = :id", soci::into(available),
        soci::use(sara.id);
    sql << "SELECT points_available FROM member_accounts WHERE member_id = :id", soci::into(absorbed_available),
        soci::use(again.id);
    EXPECT_EQ(available, 50);
    EXPECT_EQ(absorbed_available, 0);

    const auto card = world.members.lookup_card(world.program_id, again.card_number);
    ASSERT_TRUE(card.has_value()) << "the absorbed record's card keeps working";
    EXPECT_EQ(card->balance.member_id, sara.id);
    const auto view = world.members.get(world.program_id, again.id);
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->status, core::MemberStatus::kMerged);
    EXPECT_FALSE(view->profile.has_value()) << "the absorbed personal data is shredded";

    // A return of the absorbed record's purchase takes its points back from the survivor.
    const auto back = world.returns.commit(world.terminal, world.return_request("R2", "2", {{1, 1000}}),
                                           crypto::sha256(crypto::as_bytes("R2")), pos::encode_purchase_answer);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(json::parse(back->body)["member"]["id"], sara.id);
    EXPECT_EQ(json::parse(back->body)["points"]["available"], 30);

    const auto found = world.maintenance.verify();
    ASSERT_TRUE(found.has_value());
    EXPECT_TRUE(found->empty()) << found->front();

    EXPECT_EQ(merges.merge(support, sara.id, again.id).error().code, ErrorCode::kNotAvailable) << "merged already";
    EXPECT_EQ(merges.merge(support, sara.id, sara.id).error().field, "from");
    const service::StaffIdentity analyst{world.program_id, "An", core::StaffRole::kAnalyst};
    EXPECT_EQ(merges.merge(analyst, sara.id, again.id).error().code, ErrorCode::kForbidden);
}

// A record whose balance a return left below zero (points she had spent, charged back) owes them
// to the other's lots once they are one: the merged lots hold the positive part of the balance.
TEST_F(MemberMerge, ABalanceBelowZeroIsRepaidFromTheOtherRecordsLots) {
    const auto commit = [&](const core::Purchase& purchase) {
        const auto done =
            world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(purchase.key.receipt)),
                                   pos::encode_purchase_answer);
        ASSERT_TRUE(done.has_value()) << done.error().message;
    };
    commit(world.purchase("1", 500000, sara.card_number));   // 50 points for Sara.
    commit(world.purchase("2", 300000, again.card_number));  // 30 for her other record...
    core::Purchase spend = world.purchase("3", 100000, again.card_number);
    spend.redeem_points = 30;  // ... spent at once ...
    commit(spend);
    const auto back = world.returns.commit(world.terminal, world.return_request("R2", "2", {{1, 1000}}),
                                           crypto::sha256(crypto::as_bytes("R2")), pos::encode_purchase_answer);
    ASSERT_TRUE(back.has_value()) << back.error().message;  // ... and charged back: -30 (or so).
    soci::session& sql = world.db.raw();
    long long owed = 0;
    sql << "SELECT points_available FROM member_accounts WHERE member_id = :id", soci::into(owed), soci::use(again.id);
    ASSERT_LT(owed, 0) << "the return left her other record below zero";

    ASSERT_TRUE(merges.merge(support, sara.id, again.id).has_value());
    long long available = 0, lots = 0;
    sql << "SELECT points_available FROM member_accounts WHERE member_id = :id", soci::into(available),
        soci::use(sara.id);
    sql << "SELECT CAST(IFNULL(SUM(remaining), 0) AS SIGNED) FROM point_lots WHERE member_id = :id"
           " AND state = 'available'",
        soci::into(lots), soci::use(sara.id);
    EXPECT_EQ(available, 50 + owed);
    EXPECT_EQ(lots, 50 + owed) << "her lots repaid what the other record owed";
    const auto found = world.maintenance.verify();
    ASSERT_TRUE(found.has_value());
    EXPECT_TRUE(found->empty()) << found->front();
}

TEST_F(MemberMerge, TheSurvivorsPurchaseSpanTakesInTheMovedPurchases) {
    const auto commit = [&](const std::string& receipt, const std::string& card) {
        const auto done =
            world.purchases.commit(world.terminal, world.purchase(receipt, 100000, card),
                                   crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer);
        ASSERT_TRUE(done.has_value()) << done.error().message;
    };
    commit("early", again.card_number);
    world.clock.set(world.clock.now() + std::chrono::days(10));
    commit("middle", sara.card_number);
    world.clock.set(world.clock.now() + std::chrono::days(10));
    commit("late", again.card_number);

    ASSERT_TRUE(merges.merge(support, sara.id, again.id).has_value());

    soci::session& sql = world.db.raw();
    const auto received = [&](const std::string& receipt) {
        std::string at;
        sql << "SELECT DATE_FORMAT(received_at, '%Y-%m-%d %H:%i:%s.%f') FROM purchases WHERE receipt = :receipt",
            soci::into(at), soci::use(receipt);
        return at;
    };
    std::string first, last;
    sql << "SELECT DATE_FORMAT(first_purchase_at, '%Y-%m-%d %H:%i:%s.%f'),"
           " DATE_FORMAT(last_purchase_at, '%Y-%m-%d %H:%i:%s.%f') FROM member_accounts WHERE member_id = :id",
        soci::into(first), soci::into(last), soci::use(sara.id);
    EXPECT_EQ(first, received("early")) << "the absorbed record bought first";
    EXPECT_EQ(last, received("late")) << "and last";
}

TEST_F(MemberMerge, TheSurvivorKeepsTheOthersHoldOutRecordsAndItsOwnWhereBothWereRecorded) {
    soci::session& sql = world.db.raw();
    const core::Timestamp now = world.clock.now();
    store::record_exposures(sql, world.program_id, core::CampaignKind::kRule, again.id,
                            {{"autumn", true}, {"welcome", false}}, std::nullopt, now);
    store::record_exposures(sql, world.program_id, core::CampaignKind::kCoupon, again.id, {{"7", true}}, std::nullopt,
                            now);
    store::record_exposures(sql, world.program_id, core::CampaignKind::kRule, sara.id, {{"welcome", true}},
                            std::nullopt, now);

    ASSERT_TRUE(merges.merge(support, sara.id, again.id).has_value());

    std::map<std::string, int> held_out;
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT CONCAT(campaign_kind, ':', campaign_key), held_out"
                                                   " FROM campaign_exposures WHERE member_id = :id",
                                    soci::use(sara.id));
    for (const soci::row& row : rows) held_out[row.get<std::string>(0)] = row.get<int>(1);
    EXPECT_EQ(held_out, (std::map<std::string, int>{{"coupon:7", 1}, {"rule:autumn", 1}, {"rule:welcome", 1}}))
        << "the other's records, held out as recorded; the survivor's own record of welcome stays";
    long long left = -1;
    sql << "SELECT COUNT(*) FROM campaign_exposures WHERE member_id = :id", soci::into(left), soci::use(again.id);
    EXPECT_EQ(left, 0);
}

}  // namespace
}  // namespace patron
