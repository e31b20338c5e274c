// Coupons at size: 100,000 unguessable codes drawn (in memory) and added to a campaign through
// the service layer into MariaDB (multi-row inserts, one transaction), exported back, then
// commits each presenting one code and the same baskets without one, for the price of a coupon
// at the till; then a member's commits earning points only, and with two cashback rules and two
// stamp cards in force, for the price of the wallet and the cards. Needs PATRON_TEST_DB_URL
// (scripts/bench starts a MariaDB for it).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>

#include "bench/bench_size.h"
#include "crypto/digest.h"
#include "loyalty/core/coupon_requests.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/service/program/coupon_campaign_service.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace {

using namespace patron;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point started) {
    return std::chrono::duration<double>(Clock::now() - started).count();
}

// Commits `count` purchases of 500,000 IRR (for `card` when given), each presenting codes[i] when
// given; the seconds taken.
double commit_many(testing::TestWorld& world, const std::string& prefix, int count,
                   const std::vector<store::CouponCodeRecord>* codes, std::optional<std::string> card = std::nullopt) {
    const auto started = Clock::now();
    for (int i = 0; i < count; ++i) {
        core::Purchase basket = world.purchase(prefix + std::to_string(i), 500000, card);
        if (codes != nullptr) basket.coupons = {(*codes)[static_cast<std::size_t>(i)].code};
        const auto done = world.purchases.commit(
            world.terminal, basket, crypto::sha256(crypto::as_bytes(basket.key.receipt)), pos::encode_purchase_answer);
        if (!done) {
            std::fprintf(stderr, "commit failed: %s\n", done.error().message.c_str());
            std::exit(1);
        }
    }
    return seconds_since(started);
}

}  // namespace

int main() {
    const long long count = bench::size_from_environment("PATRON_BENCH_CODES", 1000, 100'000);
    crypto::SystemRandom random;
    auto started = Clock::now();
    const auto drawn = service::generate_coupon_codes(random, static_cast<std::size_t>(count), 10, "");
    std::printf("drawing %lld codes of 10 symbols in memory: %.3f s\n", count, seconds_since(started));

    testing::TestWorld world;
    service::CouponCampaignService coupons(world.db.database(), world.keys, world.clock, world.random);
    const service::StaffIdentity marketer{world.program_id, "bench", core::StaffRole::kMarketer};
    const auto campaign =
        coupons.create(marketer, core::decode_coupon_campaign_document(
                                     nlohmann::json{{"name", "Bench"}, {"type", "percent_off_basket"}, {"percent", 10}})
                                     .value());
    started = Clock::now();
    const auto added = coupons.add_codes(
        marketer, campaign->id, core::decode_coupon_codes_request({{"count", count}, {"prefix", "B-"}}).value());
    const double add_s = seconds_since(started);
    if (!added) {
        std::fprintf(stderr, "%s\n", added.error().message.c_str());
        return 1;
    }
    std::printf("generating and storing %lld codes (one request): %.2f s, %.0f codes/s\n", *added, add_s,
                static_cast<double>(*added) / add_s);
    started = Clock::now();
    const auto codes = coupons.codes(marketer, campaign->id).value();
    std::printf("reading them back for the CSV export: %.2f s (%zu codes)\n", seconds_since(started), codes.size());
    if (!coupons.publish(marketer, campaign->id)) return 1;

    constexpr int kCommits = 1000;
    const double plain_s = commit_many(world, "plain-", kCommits, nullptr);
    const double coupon_s = commit_many(world, "coupon-", kCommits, &codes);
    std::printf(
        "%d commits, one thread: without a coupon %.2f ms each, with one single-use code %.2f ms each "
        "(x%.2f)\n",
        kCommits, plain_s * 1000 / kCommits, coupon_s * 1000 / kCommits, coupon_s / plain_s);

    const std::string card = world.enrol("Bench Member", "09120000001", "bench@example.com").card_number;
    const double points_s = commit_many(world, "points-", kCommits, nullptr, card);
    const nlohmann::json rules = {
        {"rules", nlohmann::json::array({{{"id", "base"}, {"points", 1}, {"per_amount", 10000}}})},
        {"cashback", nlohmann::json::array({{{"id", "back3"}, {"percent", 3}, {"budget", 1000000000000}},
                                            {{"id", "coffee"}, {"percent", 2}, {"caps", {{"per_day", 1000000}}}}})},
        {"stamp_cards", nlohmann::json::array({{{"id", "cups"}, {"goal", 10}, {"reward", {{"points", 100}}}},
                                               {{"id", "visits"},
                                                {"goal", 5},
                                                {"basis", "visit"},
                                                {"conditions", {{"min_basket", 100000}}},
                                                {"reward", {{"points", 50}}}}})}};
    if (!world.admin.publish_rules(world.program_id, core::RuleDocument(rules), world.clock.now())) return 1;
    const double full_s = commit_many(world, "full-", kCommits, nullptr, card);
    std::printf(
        "%d commits of one member, one thread: points only %.2f ms each, with two cashback rules (a budget, a "
        "daily cap) and two stamp cards (filling every 10 and 5 purchases) %.2f ms each (x%.2f)\n",
        kCommits, points_s * 1000 / kCommits, full_s * 1000 / kCommits, full_s / points_s);
    return 0;
}
