#include "tests/support/test_world.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "loyalty/core/rule_document.h"

namespace patron::testing {
namespace {

template <typename T>
T must(core::Result<T> result, const char* what) {
    if (!result) throw std::runtime_error(std::string(what) + ": " + result.error().message);
    return std::move(*result);
}

constexpr const char* kRules =
    R"({"rules": [{"id": "base", "name": "Club points", "points": 1, "per_amount": 10000}]})";

}  // namespace

crypto::KeyRing generated_key_ring() {
    crypto::SystemRandom random;
    return crypto::KeyRing::parse(crypto::KeyRing::generate(random, "mk1")).value();
}

TestWorld::TestWorld()
    : keys(generated_key_ring()),
      clock(core::Timestamp{std::chrono::seconds(1'795'000'000)}),
      services({db.database(), keys, clock, random, notifier, {}, {}}) {
    program_id = must(admin.create_program({0, "TEST", "Test Club", "IRR", "98", "fa", "7001"}), "program");
    if (auto set = admin.set_points_policy(program_id, policy()); !set) throw std::runtime_error(set.error().message);
    store_id = must(admin.create_store({0, program_id, "S042", "Tehran", "IRR", "Asia/Tehran"}), "store");
    terminal_key = must(admin.create_terminal(store_id, "T07"), "terminal");
    must(admin.publish_rules(program_id, must(core::RuleDocument::parse(kRules), "rule document"), core::Timestamp{}),
         "rules");
    terminal = must(access.terminal_by_key(terminal_key.key_id), "terminal identity")->identity;
}

core::PointsPolicy TestWorld::policy() {
    return core::PointsPolicy{std::chrono::seconds(0), 12, 1000, 10, core::NegativeBalancePolicy::kAllow};
}

core::Purchase TestWorld::purchase(const std::string& receipt, std::int64_t amount,
                                   std::optional<std::string> card) const {
    core::Purchase purchase{};
    purchase.key = {"S042", "T07", *core::parse_date("2026-11-22"), receipt};
    purchase.pos_time = {clock.now(), 210};
    purchase.card = std::move(card);
    purchase.currency = *core::find_currency("IRR");
    purchase.lines = {{1, "COF-1", "coffee", 1000, amount, amount, 0}};
    purchase.total = amount;
    return purchase;
}

core::ReturnRequest TestWorld::return_request(const std::string& receipt, const std::string& original,
                                              std::vector<core::ReturnedLine> lines) const {
    core::ReturnRequest request;
    request.key = {"S042", "T07", *core::parse_date("2026-11-23"), receipt};
    request.pos_time = {clock.now(), 210};
    request.currency = *core::find_currency("IRR");
    request.original = {"S042", "T07", *core::parse_date("2026-11-22"), original};
    request.lines = std::move(lines);
    return request;
}

service::EnrolledMember TestWorld::enrol(const std::string& name, const std::string& phone, const std::string& email) {
    return must(members.enrol_unattended(program_id, {name, phone, email, "1990-04-12", "fa"}), "enrol");
}

std::vector<service::EnrolledMember> TestWorld::enrol_numbered(const std::string& who, int first, int last) {
    std::string lower = who;
    std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::vector<service::EnrolledMember> enrolled;
    for (int i = first; i < last; ++i) {
        const std::string n = std::to_string(i);
        enrolled.push_back(
            enrol(who + " Member " + n, "0912" + std::string(7 - n.size(), '0') + n, lower + n + "@example.ir"));
    }
    return enrolled;
}

}  // namespace patron::testing
