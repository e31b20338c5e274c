// The ledger's promises under thousands of random operations against the real database:
// purchases (some paying with points, some presenting coupons: a public percentage with a
// per-member limit, a public bonus with a redemption limit (a second lot per purchase), fresh
// and already used single-use codes with a minimum, stamp card rewards won earlier; some paying
// with the cashback wallet; some refused), partial returns and voids (giving coupons back, taking
// cashback and stamps back, revoking rewards), expiry runs with the clock jumping ahead, holds
// released, and support adjustments, in random order across members, under two cashback rules
// (capped per day, per purchase and by a budget), two stamp cards and a collection (points, coupon and cashback
// rewards, carry and forgive deficits) and points rules that members' years of membership (0 to 5) scope and multiply;
// friends enrolled with members' referral codes, whose first qualifying purchases give both their rewards (points to
// the friend, cashback to the referrer within a monthly limit) and whose returns take them back, and now and then a
// friend merged into her referrer (the referral refused, its rewards taken back); a prize draw whose entries come from
// purchases (per purchase, per amount, per unit of a SKU, within the caps) and from packaging codes members enter
// (fresh, used twice, after the close), taken back by returns before the draw, moved by merges, and run once some
// time after its close, after which returns change nothing in it.
// After every sequence `verify` (what `patronctl verify` runs) finds nothing: both ledgers balance and match the cached
// balances, stamp cards match their events and rewards, coupon counters agree with the redemptions and stay within
// every limit; no return took back more than its purchase earned or gave back more than it redeemed, no line was
// returned beyond its quantity, and under the clamp policy no points balance or wallet is ever negative; no
// purchase's entries exceed its cap or survive its void before the draw, and a member who absorbed nobody holds no
// more than the member cap (verify checks that a run draw's tickets are its entrants' entries, whatever came after).
//
// The seed is printed; PATRON_PROPERTY_SEED replays one, PATRON_PROPERTY_OPERATIONS runs longer.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "crypto/digest.h"
#include "loyalty/core/coupon_requests.h"
#include "loyalty/core/draws.h"
#include "loyalty/core/referrals.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/service/program/coupon_campaign_service.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using nlohmann::json;

// An instant as the draw terms take it: RFC 3339 to the second.
std::string whole_seconds(core::Timestamp at) {
    return core::format_utc(at, core::TimeFormat::kRfc3339).substr(0, 19) + "Z";
}

std::uint64_t seed() {
    if (const char* given = std::getenv("PATRON_PROPERTY_SEED")) return std::strtoull(given, nullptr, 10);
    return std::random_device{}();
}

// How often the books are checked: every 250 operations, or as PATRON_PROPERTY_CHECK_EVERY says
// (1 finds the operation that broke them).
int check_every() {
    if (const char* given = std::getenv("PATRON_PROPERTY_CHECK_EVERY")) return std::max(1, std::atoi(given));
    return 250;
}

int operations() {
    if (const char* given = std::getenv("PATRON_PROPERTY_OPERATIONS")) return std::atoi(given);
    return 1500;
}

struct Bought {
    std::string receipt;
    std::chrono::year_month_day day;
    int lines;
};

class LedgerProperty : public ::testing::TestWithParam<core::NegativeBalancePolicy> {
  protected:
    void SetUp() override {
        core::PointsPolicy policy = testing::TestWorld::policy();
        policy.negative_balance = GetParam();
        policy.hold = std::chrono::days(2);
        policy.expiry_months = 2;
        ASSERT_TRUE(world.admin.set_points_policy(world.program_id, policy).has_value());
        // Enrolled 0 to 5 times 300 days ago: the clock's jumps carry some past an anniversary,
        // which changes what the tenure rules give them.
        const core::Timestamp now = world.clock.now();
        for (int i = 0; i < 6; ++i) {
            world.clock.set(now - std::chrono::days(300 * i));
            members.push_back(world.enrol("Member " + std::to_string(i), "0912000000" + std::to_string(i),
                                          "m" + std::to_string(i) + "@example.ir"));
        }
        world.clock.set(now);
        bought.resize(members.size());
        const service::StaffIdentity marketer{world.program_id, "property", core::StaffRole::kMarketer};
        const auto add = [&](const nlohmann::json& document, const nlohmann::json& codes) -> long long {
            const auto made = coupons.create(marketer, core::decode_coupon_campaign_document(document).value());
            EXPECT_TRUE(made.has_value()) << made.error().message;
            if (!made) return 0;
            EXPECT_TRUE(
                coupons.add_codes(marketer, made->id, core::decode_coupon_codes_request(codes).value()).has_value());
            EXPECT_TRUE(coupons.publish(marketer, made->id).has_value());
            return made->id;
        };
        add({{"name", "ten"}, {"type", "percent_off_basket"}, {"percent", 10}, {"limits", {{"per_member", 3}}}},
            {{"code", "TENOFF"}});
        add({{"name", "bonus"}, {"type", "bonus_points"}, {"amount", 25}, {"limits", {{"redemptions", 60}}}},
            {{"code", "BONUS"}});
        const long long single = add({{"name", "20k"},
                                      {"type", "amount_off_basket"},
                                      {"amount", 20000},
                                      {"conditions", {{"min_basket", 50000}}}},
                                     {{"count", 300}});
        // Held in a local: a range-for over .value() of a temporary reads a destroyed vector.
        const auto codes = coupons.codes(marketer, single);
        ASSERT_TRUE(codes.has_value());
        for (const auto& code : *codes) single_use.push_back(code.code);
        const long long reward =
            add({{"name", "stamp reward"}, {"type", "amount_off_basket"}, {"amount", 10000}}, {{"count", 1}});
        const json rules = {{"rules", json::array({{{"id", "base"},
                                                    {"name", "Club points"},
                                                    {"points", 1},
                                                    {"per_amount", 10000},
                                                    {"multipliers", {{"tenure", {{"1", 1.25}, {"3", 2}}}}}},
                                                   {{"id", "years"},
                                                    {"name", "Years"},
                                                    {"kind", "bonus"},
                                                    {"points", 7},
                                                    {"scope", {{"tenure", {{"min_years", 1}, {"max_years", 3}}}}}}})},
                            {"cashback", json::array({{{"id", "cb3"},
                                                       {"name", "Cashback"},
                                                       {"percent", 3},
                                                       {"caps", {{"per_day", 20000}}},
                                                       {"budget", 2000000}},
                                                      {{"id", "food-back"},
                                                       {"name", "Food back"},
                                                       {"percent", 1.5},
                                                       {"conditions", {{"categories", {"food"}}}},
                                                       {"caps", {{"per_purchase", 3000}}}}})},
                            {"stamp_cards", json::array({{{"id", "food"},
                                                          {"name", "Food card"},
                                                          {"goal", 5},
                                                          {"conditions", {{"categories", {"food"}}}},
                                                          {"reward", {{"points", 100}}}},
                                                         {{"id", "visits"},
                                                          {"name", "Visits"},
                                                          {"goal", 3},
                                                          {"basis", "visit"},
                                                          {"conditions", {{"min_basket", 100000}}},
                                                          {"reward", {{"coupon_campaign", reward}}},
                                                          {"deficit", "forgive"}},
                                                         {{"id", "set"},
                                                          {"name", "Set of three"},
                                                          {"basis", "collection"},
                                                          {"items",
                                                           {{{"id", "one"}, {"skus", {"SKU1"}}},
                                                            {{"id", "two"}, {"skus", {"SKU2"}}},
                                                            {{"id", "three"}, {"skus", {"SKU3"}}}}},
                                                          {"reward", {{"cashback", 5000}}}}})}};
        ASSERT_TRUE(
            world.admin.publish_rules(world.program_id, core::RuleDocument(rules), world.clock.now()).has_value());
        const auto terms = core::decode_referral_terms({{"state", "active"},
                                                        {"friend_reward", {{"points", 40}}},
                                                        {"referrer_reward", {{"cashback", 3000}}},
                                                        {"within_days", 366},
                                                        {"min_spend", 50000},
                                                        {"per_referrer_per_month", 3}});
        ASSERT_TRUE(terms.has_value());
        ASSERT_TRUE(world.services.referrals.set_terms(marketer, *terms).has_value());

        const auto draw_terms =
            core::decode_draw_terms({{"name", "Property draw"},
                                     {"prizes", {{{"name", "Bicycle"}, {"count", 1}}, {{"name", "Mug"}, {"count", 3}}}},
                                     {"opens_at", whole_seconds(world.clock.now() - std::chrono::hours(1))},
                                     {"closes_at", whole_seconds(world.clock.now() + std::chrono::days(300))},
                                     {"entries",
                                      {{"per_purchase", 1},
                                       {"per_amount", {{"amount", 100000}, {"entries", 1}}},
                                       {"skus", {{"SKU2", 2}}},
                                       {"min_spend", 20000},
                                       {"per_code", 2}}},
                                     {"caps", {{"per_member", kDrawCap}, {"per_purchase", kDrawPurchaseCap}}},
                                     {"reserves", 2},
                                     {"public_value", "The property test's own"}});
        ASSERT_TRUE(draw_terms.has_value()) << draw_terms.error().message;
        const auto made = world.services.draws.create(marketer, *draw_terms);
        ASSERT_TRUE(made.has_value()) << made.error().message;
        draw_id = made->draw.id;
        ASSERT_TRUE(world.services.draws.publish(marketer, draw_id).has_value());
        ASSERT_TRUE(world.services.draws.make_codes(marketer, draw_id, 150).has_value());
        const auto printed = world.services.draws.export_codes(marketer, draw_id, 0);
        ASSERT_TRUE(printed.has_value());
        for (const auto& code : *printed) draw_codes.push_back(core::shown_draw_code(code.code));
    }

    static constexpr long long kDrawCap = 40;
    static constexpr long long kDrawPurchaseCap = 6;

    // A packaging code entered in the portal: a fresh one, or one entered before.
    void enter_code(std::mt19937_64& random, std::size_t who) {
        if (merged.contains(who)) return;
        const bool fresh = random() % 4 != 0 || next_code == 0;
        const std::string& code =
            fresh ? draw_codes[next_code++ % draw_codes.size()] : draw_codes[random() % next_code % draw_codes.size()];
        const auto done = world.services.draws.enter_code({world.program_id, members[who].id}, code);
        if (done) {
            ++codes_entered;
            return;
        }
        const core::ErrorCode error = done.error().code;
        EXPECT_TRUE(error == core::ErrorCode::kDrawCodeUsed || error == core::ErrorCode::kDrawCapReached ||
                    error == core::ErrorCode::kDrawClosed)
            << done.error().message;
    }

    // Some time after the close, the draw is run, once.
    void run_draw_when_closed(std::mt19937_64& random) {
        if (drawn || random() % 3 != 0) return;
        const service::StaffIdentity marketer{world.program_id, "property", core::StaffRole::kMarketer};
        const auto run = world.services.draws.run(marketer, draw_id, "round " + std::to_string(random() % 1000));
        if (run) {
            drawn = true;
            EXPECT_FALSE(run->places.empty());
            return;
        }
        EXPECT_EQ(run.error().code, core::ErrorCode::kDrawNotClosed) << run.error().message;
    }

    // A friend enrolled with the code of a member who is still one (up to 30 members in all).
    void enrol_friend(std::size_t who) {
        if (members.size() >= 30 || merged.contains(who)) return;
        const auto page = world.services.referrals.mine({world.program_id, members[who].id});
        ASSERT_TRUE(page.has_value()) << page.error().message;
        const std::string n = std::to_string(members.size());
        service::MemberApplication application{"Friend " + n, "0913000" + std::string(4 - n.size(), '0') + n,
                                               "friend" + n + "@example.ir", "1995-01-01", "fa"};
        application.referral_code = page->code;
        const auto enrolled = world.members.enrol_unattended(world.program_id, application);
        ASSERT_TRUE(enrolled.has_value()) << enrolled.error().message;
        members.push_back(*enrolled);
        bought.emplace_back();
        referrer_of[members.size() - 1] = who;
    }

    // A friend found to be her referrer: merged into her (the referral refused, its rewards taken back).
    void merge_friend(std::mt19937_64& random) {
        if (referrer_of.empty()) return;
        auto it = referrer_of.begin();
        std::advance(it, static_cast<long>(random() % referrer_of.size()));
        const auto [friend_index, referrer_index] = *it;
        if (merged.contains(friend_index) || merged.contains(referrer_index)) return;
        const service::StaffIdentity support{world.program_id, "support", core::StaffRole::kSupport};
        const auto done = world.services.merges.merge(support, members[referrer_index].id, members[friend_index].id);
        ASSERT_TRUE(done.has_value()) << done.error().message;
        merged.insert(friend_index);
    }

    // One of the coupons, now and then: the public ones, a fresh single-use code or a used one.
    std::vector<std::string> some_coupon(std::mt19937_64& random) {
        switch (random() % 9) {
            case 0:
                return {"TENOFF"};
            case 1:
                return {"BONUS"};
            case 2:
                return {single_use[next_single++ % single_use.size()]};
            case 3:
                return {single_use[random() % std::max<std::size_t>(1, next_single) % single_use.size()]};
            case 4:  // A stamp card's reward (maybe used or revoked since).
                if (won.empty()) return {};
                return {won[random() % won.size()]};
            default:
                return {};
        }
    }

    std::int64_t amount(std::mt19937_64& random) {
        return std::uniform_int_distribution<std::int64_t>(1, 300)(random) * 1000;  // 1,000 to 300,000 IRR.
    }

    void purchase(std::mt19937_64& random, std::size_t who) {
        const std::string receipt = "P" + std::to_string(++receipts);
        core::Purchase purchase = world.purchase(receipt, 0, members[who].card_number);
        purchase.key.business_day = today();
        const int lines = std::uniform_int_distribution<int>(1, 4)(random);
        purchase.lines.clear();
        purchase.total = 0;
        for (int line = 1; line <= lines; ++line) {
            const std::int64_t quantity = std::uniform_int_distribution<std::int64_t>(1, 3)(random);
            const std::int64_t price = amount(random);
            purchase.lines.push_back({line, "SKU" + std::to_string(line), line == 4 ? "gift_card" : "food",
                                      quantity * 1000, price, quantity * price, 0});
            purchase.total += quantity * price;
        }
        if (random() % 3 == 0) purchase.redeem_points = std::uniform_int_distribution<std::int64_t>(5, 400)(random);
        if (random() % 4 == 0)
            purchase.spend_cashback = std::uniform_int_distribution<std::int64_t>(1, 30)(random) * 1000;
        purchase.coupons = some_coupon(random);
        const auto done = world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(receipt)),
                                                 pos::encode_purchase_answer);
        if (done) {
            bought[who].push_back({receipt, purchase.key.business_day, lines});
            const json answer = json::parse(done->body);  // Held: not a range-for over a temporary's member.
            for (const auto& issued : answer["coupons"]["issued"]) won.push_back(issued["code"]);
        } else {
            const core::ErrorCode code = done.error().code;
            EXPECT_TRUE(
                code == core::ErrorCode::kPointsInsufficient || code == core::ErrorCode::kRedemptionBelowMinimum ||
                code == core::ErrorCode::kRedemptionExceedsTotal || code == core::ErrorCode::kCouponAlreadyUsed ||
                code == core::ErrorCode::kCouponLimitReached || code == core::ErrorCode::kCouponBasketTooSmall ||
                code == core::ErrorCode::kCouponNotFound || code == core::ErrorCode::kCouponNotForMember ||
                code == core::ErrorCode::kCashbackInsufficient || code == core::ErrorCode::kCashbackExceedsTotal)
                << done.error().message << " [" << (purchase.coupons.empty() ? "" : purchase.coupons[0]) << "] of "
                << single_use.size() << " next " << next_single;
        }
    }

    void give_back(std::mt19937_64& random, std::size_t who, bool is_void) {
        if (bought[who].empty()) return;
        const Bought& original = bought[who][random() % bought[who].size()];
        core::ReturnRequest request;
        request.key = {"S042", "T07", is_void ? original.day : today(), "R" + std::to_string(++receipts)};
        request.pos_time = {world.clock.now(), 210};
        request.currency = *core::find_currency("IRR");
        request.original = {"S042", "T07", original.day, original.receipt};
        request.is_void = is_void;
        if (!is_void) {
            const int line = std::uniform_int_distribution<int>(1, original.lines)(random);
            request.lines = {{line, std::uniform_int_distribution<std::int64_t>(1, 3000)(random)}};
        }
        const auto done =
            world.returns.commit(world.terminal, request, crypto::sha256(crypto::as_bytes(request.key.receipt)),
                                 pos::encode_purchase_answer);
        if (!done) {
            EXPECT_TRUE(done.error().code == core::ErrorCode::kReturnExceedsPurchase ||
                        done.error().code == core::ErrorCode::kAlreadyVoided)
                << done.error().message;
        }
    }

    void adjust(std::mt19937_64& random, std::size_t who) {
        if (merged.contains(who)) return;
        const std::int64_t points = std::uniform_int_distribution<std::int64_t>(-50, 80)(random);
        if (points == 0) return;
        const auto done = world.adjustments.adjust({world.program_id, "support", core::StaffRole::kSupport},
                                                   members[who].id, {points, "property test"});
        if (!done) {
            EXPECT_EQ(done.error().code, core::ErrorCode::kPointsInsufficient);
        }
    }

    std::chrono::year_month_day today() const {
        return std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(world.clock.now())};
    }

    void expect_invariants(std::uint64_t used_seed) {
        const auto found = world.maintenance.verify();
        ASSERT_TRUE(found.has_value());
        ASSERT_TRUE(found->empty()) << "seed " << used_seed << ": " << found->front();
        soci::session& sql = world.db.raw();
        long long over = 0;
        sql << "SELECT COUNT(*) FROM (SELECT p.id FROM purchases p JOIN purchases r ON r.original_id = p.id"
               " WHERE p.kind = 'purchase' GROUP BY p.id, p.points_earned, p.points_redeemed"
               " HAVING -SUM(r.points_earned) > p.points_earned OR -SUM(r.points_redeemed) > p.points_redeemed) x",
            soci::into(over);
        EXPECT_EQ(over, 0) << "seed " << used_seed << ": a purchase gave back more than it earned or redeemed";
        sql << "SELECT COUNT(*) FROM point_lots WHERE reversed + charged > earned", soci::into(over);
        EXPECT_EQ(over, 0) << "seed " << used_seed << ": a lot was reversed beyond what it earned";
        sql << "SELECT COUNT(*) FROM purchase_lines WHERE returned_milli > quantity_milli", soci::into(over);
        EXPECT_EQ(over, 0) << "seed " << used_seed << ": a line was returned beyond its quantity";
        sql << "SELECT COUNT(*) FROM (SELECT p.id FROM purchases p JOIN purchases r ON r.original_id = p.id"
               " WHERE p.kind = 'purchase' GROUP BY p.id, p.cashback_earned, p.cashback_spent"
               " HAVING -SUM(r.cashback_earned) > p.cashback_earned OR -SUM(r.cashback_spent) > p.cashback_spent) x",
            soci::into(over);
        EXPECT_EQ(over, 0) << "seed " << used_seed << ": a purchase gave back more cashback than it earned or spent";
        long long negative = 0;
        sql << "SELECT COUNT(*) FROM member_accounts WHERE points_available < 0 OR points_pending < 0"
               " OR cashback_balance < 0",
            soci::into(negative);
        if (GetParam() == core::NegativeBalancePolicy::kClamp) {
            EXPECT_EQ(negative, 0) << "seed " << used_seed << ": a balance went negative under the clamp policy";
        }
        sql << "SELECT COUNT(*) FROM draw_entries WHERE source = 'purchase' AND earned > " << kDrawPurchaseCap,
            soci::into(over);
        EXPECT_EQ(over, 0) << "seed " << used_seed << ": a purchase gave more entries than its cap";
        sql << "SELECT COUNT(*) FROM draw_entries e JOIN purchases v ON v.original_id = e.purchase_id"
               " AND v.kind = 'void' JOIN draws d ON d.id = e.draw_id"
               " WHERE e.entries > 0 AND (d.drawn_at IS NULL OR v.received_at < d.drawn_at)",
            soci::into(over);
        EXPECT_EQ(over, 0) << "seed " << used_seed << ": a purchase voided before the draw kept entries";
        // A member who absorbed nobody by a merge holds no more than the cap.
        std::string absorbed = "0";
        for (const auto& [friend_index, referrer_index] : referrer_of) {
            if (merged.contains(friend_index)) absorbed += "," + std::to_string(members[referrer_index].id);
        }
        sql << "SELECT COUNT(*) FROM (SELECT member_id FROM draw_entries WHERE member_id NOT IN (" << absorbed
            << ") GROUP BY draw_id, member_id HAVING SUM(entries) > " << kDrawCap << ") x",
            soci::into(over);
        EXPECT_EQ(over, 0) << "seed " << used_seed << ": a member holds more entries than the draw's cap";
    }

    testing::TestWorld world;
    service::CouponCampaignService coupons{world.db.database(), world.keys, world.clock, world.random};
    std::vector<std::string> single_use;
    std::size_t next_single = 0;
    std::vector<std::string> won;  // Stamp card rewards' codes.
    std::vector<service::EnrolledMember> members;
    std::vector<std::vector<Bought>> bought;
    std::map<std::size_t, std::size_t> referrer_of;  // Friend -> the member whose code she gave.
    std::set<std::size_t> merged;                    // Merged into another: her card buys for the survivor.
    int receipts = 0;
    long long draw_id = 0;
    std::vector<std::string> draw_codes;  // As printed.
    std::size_t next_code = 0;
    long long codes_entered = 0;
    bool drawn = false;
};

TEST_P(LedgerProperty, RandomSequencesKeepTheBooksBalanced) {
    const std::uint64_t used_seed = seed();
    std::cout << "[ property ] seed " << used_seed << " (PATRON_PROPERTY_SEED to replay)\n";
    std::mt19937_64 random(used_seed);
    const int total = operations();
    for (int done = 0; done < total; ++done) {
        const std::size_t who = random() % members.size();
        const auto operation = random() % 20;
        SCOPED_TRACE("operation " + std::to_string(done) + " of kind " + std::to_string(operation) + " by member " +
                     std::to_string(members[who].id));
        switch (operation) {
            case 0:
            case 1:
            case 2:
            case 3:
            case 4:
            case 5:
            case 6:
            case 7:
                purchase(random, who);
                break;
            case 8:
            case 9:
            case 10:
            case 11:
                give_back(random, who, false);
                break;
            case 12:
                give_back(random, who, true);
                break;
            case 13:
                adjust(random, who);
                break;
            case 14:
                if (random() % 8 == 0) {
                    merge_friend(random);
                } else {
                    enrol_friend(who);
                }
                break;
            case 15:  // Time passes: holds end, lots expire, the draw closes and is run.
                world.clock.set(world.clock.now() +
                                std::chrono::hours(std::uniform_int_distribution<int>(1, 400)(random)));
                ASSERT_TRUE(world.maintenance.run_all_due().has_value());
                run_draw_when_closed(random);
                break;
            case 16:
                enter_code(random, who);
                break;
            default:
                purchase(random, who);
        }
        if (done % check_every() == check_every() - 1) expect_invariants(used_seed);
        if (HasFatalFailure()) return;
    }
    expect_invariants(used_seed);
    long long returns = 0;
    world.db.raw() << "SELECT COUNT(*) FROM purchases WHERE kind <> 'purchase'", soci::into(returns);
    EXPECT_GT(returns, 50) << "the sequences must exercise returns";
    long long redeemed = 0;
    long long given_back = 0;
    world.db.raw() << "SELECT COUNT(*), COALESCE(SUM(status = 'given_back'), 0) FROM coupon_redemptions",
        soci::into(redeemed), soci::into(given_back);
    EXPECT_GT(redeemed, 50) << "the sequences must exercise coupons";
    EXPECT_GT(given_back, 0) << "and give some back";
    long long cashback_spends = 0, cashback_reversals = 0, rewards = 0, revoked = 0;
    world.db.raw() << "SELECT COALESCE(SUM(kind = 'spend'), 0), COALESCE(SUM(kind = 'reverse'), 0)"
                      " FROM cashback_transfers",
        soci::into(cashback_spends), soci::into(cashback_reversals);
    world.db.raw() << "SELECT COUNT(*), COALESCE(SUM(status = 'revoked'), 0) FROM stamp_rewards", soci::into(rewards),
        soci::into(revoked);
    EXPECT_GT(cashback_spends, 20) << "the sequences must spend cashback";
    EXPECT_GT(cashback_reversals, 10) << "and take some back";
    EXPECT_GT(rewards, 20) << "the sequences must fill stamp cards";
    EXPECT_GT(revoked, 0) << "and revoke some rewards";
    long long sets = 0, sets_revoked = 0, items_back = 0;
    world.db.raw() << "SELECT COUNT(*), COALESCE(SUM(status = 'revoked'), 0) FROM stamp_rewards WHERE card_id = 'set'",
        soci::into(sets), soci::into(sets_revoked);
    world.db.raw()
        << "SELECT COUNT(*) FROM stamp_events WHERE card_id = 'set' AND kind = 'return' AND item IS NOT NULL",
        soci::into(items_back);
    EXPECT_GT(sets, 20) << "the sequences must complete collections";
    EXPECT_GT(sets_revoked, 0) << "and revoke some";
    EXPECT_GT(items_back, 20) << "and take items back";
    long long loyal = 0, multiplied = 0;
    world.db.raw() << "SELECT COUNT(*) FROM point_lots WHERE rule_id = 'years'", soci::into(loyal);
    // x1 gives at most a point per 10,000 of the total: more is her years' multiplier.
    world.db.raw() << "SELECT COUNT(*) FROM point_lots l JOIN purchases p ON p.id = l.purchase_id"
                      " WHERE l.rule_id = 'base' AND l.earned * 10000 > p.total",
        soci::into(multiplied);
    long long rewarded = 0, revoked_referrals = 0, refused = 0, ever = 0;
    world.db.raw() << "SELECT COALESCE(SUM(state = 'rewarded'), 0), COALESCE(SUM(revocations > 0), 0),"
                      " COALESCE(SUM(state = 'refused'), 0) FROM referrals",
        soci::into(rewarded), soci::into(revoked_referrals), soci::into(refused);
    // Referrals whose friend was ever given her welcome, whatever became of them since.
    world.db.raw()
        << "SELECT COUNT(DISTINCT rule_id) FROM ledger_transfers WHERE kind = 'referral' AND note = 'friend'",
        soci::into(ever);
    std::cout << "[ property ] referrals: " << ever << " rewarded at some time, " << rewarded << " rewarded now, "
              << revoked_referrals << " taken back by a return, " << refused << " refused\n";
    EXPECT_GT(ever, 8) << "the sequences must reward referrals";
    EXPECT_GT(revoked_referrals, 0) << "and take some back";
    EXPECT_GT(loyal, 20) << "the sequences must reach the rule scoped by years of membership";
    EXPECT_GT(multiplied, 20) << "and the multiplier of her years";
    long long entered = 0, taken_back = 0, entrants = 0;
    world.db.raw() << "SELECT COUNT(*), COALESCE(SUM(entries < earned), 0) FROM draw_entries WHERE source = 'purchase'",
        soci::into(entered), soci::into(taken_back);
    world.db.raw() << "SELECT COUNT(*) FROM draw_entrants", soci::into(entrants);
    std::cout << "[ property ] draw: " << entered << " purchases entered, " << taken_back
              << " of them taken back from, " << codes_entered << " codes entered, " << (drawn ? "run" : "not run")
              << " with " << entrants << " entrants\n";
    EXPECT_GT(entered, 50) << "the sequences must enter purchases in the draw";
    EXPECT_GT(taken_back, 5) << "and take some entries back";
    EXPECT_GT(codes_entered, 5) << "and enter packaging codes";
    if (total >= 1500) {
        EXPECT_TRUE(drawn) << "and run the draw";
    }
}

INSTANTIATE_TEST_SUITE_P(Policies, LedgerProperty,
                         ::testing::Values(core::NegativeBalancePolicy::kAllow, core::NegativeBalancePolicy::kClamp),
                         [](const auto& info) {
                             return info.param == core::NegativeBalancePolicy::kAllow ? "AllowNegative" : "ClampAtZero";
                         });

}  // namespace
}  // namespace patron
