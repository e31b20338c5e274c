// A backtest of a draft rule set: the purchases of a past window rated again with evaluate(), in
// the order they were committed, against what the published rules actually gave them. The member
// state the engine needs is rebuilt in memory from the window's own purchases (caps, budgets and
// stamp cards start at zero on the window's first day); the tier is the one the member held when
// the purchase was committed. Segments are the member's as last materialised (today's: past
// memberships are not kept), and hold-outs are decided as the till decides them. Pure: the shell
// reads the purchases and hands them in a chunk at a time.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "loyalty/core/coupons.h"
#include "loyalty/core/engine.h"
#include "loyalty/core/error.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/core/time_zone.h"

namespace patron::core {

// At most this many purchases are rated by one backtest.
inline constexpr std::int64_t kBacktestPurchasesMax = 100'000;
// A window is at most this many days long.
inline constexpr int kBacktestDaysMax = 366;

// The window's local dates (both included) in the programme's time zone, and its instants.
struct BacktestWindow {
    LocalDate from;
    LocalDate to;
    Timestamp starts_at;  // The first instant of `from`.
    Timestamp ends_at;    // The first instant after `to`.
};

// The window a request asks for: by default the 30 days ending yesterday (`today` is the
// programme's local date now). VALIDATION_FAILED naming `from` or `to` for a window that ends
// in the future, ends before it starts, or is longer than kBacktestDaysMax days.
Result<BacktestWindow> backtest_window(std::optional<LocalDate> from, std::optional<LocalDate> to, LocalDate today,
                                       const TimeZone& zone);

// What the published rules gave one purchase at the till, as its ledger, wallet and stamp records
// say: points by rule id ("stamps:ID" a stamp card's points reward, "coupon:N" a coupon's bonus),
// cashback by cashback rule, stamps and filled cards (rewards) by stamp card.
struct GivenRewards {
    std::map<std::string, std::int64_t> points;
    std::map<std::string, std::int64_t> cashback;
    std::map<std::string, std::int64_t> stamps;
    std::map<std::string, std::int64_t> rewards;
};

// A member's purchase of the window, as it was sold (returns later are not subtracted).
struct PastPurchase {
    std::int64_t id = 0;
    std::int64_t member_id = 0;
    Timestamp received_at;            // When it was committed.
    Purchase purchase;                // redeem_points and spend_cashback are 0: `paid_otherwise` says what they paid.
    std::int64_t paid_otherwise = 0;  // What points and the cashback wallet paid, minor units (as recorded).
    std::vector<CouponDiscount> coupons;  // The coupons redeemed on it at the till (as recorded).
    bool returned = false;                // A return took some of it back later.
    std::string tier;                     // The member's tier when it was committed.
    std::optional<unsigned> birth_month;
    std::optional<int> tenure_years;           // On the purchase's day, when a rule of the draft asks.
    std::int64_t purchases_before_window = 0;  // The member's purchases before the window's first day.
    // The codes of the member's segments as last materialised: today's, since the history of
    // memberships is not kept, so a purchase is judged by who the member is now.
    std::vector<std::string> segments;
    // Ids of the draft's rules, cashback rules and stamp cards whose hold-out keeps the member out,
    // decided as at the till (service/posting/holdout_assignment.h).
    std::vector<std::string> held_out;
    GivenRewards given;                        // By the published rules, at the till.
};

// One member's change of tier, as tier_history keeps it.
struct TierChange {
    std::string from_tier;
    std::string to_tier;
    std::optional<std::int64_t> purchase_id;  // The purchase that lifted the member, if one did.
    Timestamp at;
};

// The tier a member held when purchase `purchase_id` was committed at `committed_at`: the tier the
// first change after it started from (a change the purchase itself caused comes after it), or the
// current tier when nothing changed since. `changes` oldest first.
std::string tier_at(const std::vector<TierChange>& changes, const std::string& current_tier, std::int64_t purchase_id,
                    Timestamp committed_at);

// What one side (the draft, or the published rules) gave.
struct RewardFigures {
    std::int64_t points = 0;
    std::int64_t cashback = 0;  // Minor units of the programme's currency.
    std::int64_t stamps = 0;
    std::int64_t stamp_rewards = 0;  // Cards filled.
    std::int64_t purchases = 0;      // Purchases that got anything.
    std::int64_t members = 0;        // Distinct members who got anything.
};

// A rule, cashback rule or stamp card of the draft or of the published rules that gave anything.
enum class BacktestRuleKind { kPoints, kCashback, kStampCard };

struct RuleComparison {
    std::string id;
    BacktestRuleKind source = BacktestRuleKind::kPoints;
    std::string name;  // The draft's name; empty for a rule the draft does not have.
    bool in_draft = false;
    RewardFigures draft;
    RewardFigures published;
};

struct BacktestReport {
    BacktestWindow window;
    std::string time_zone;
    std::optional<int> based_on_version;  // The published version the draft started from.
    std::string currency;
    std::int64_t point_value_minor = 0;
    std::int64_t purchases_in_window = 0;
    std::int64_t rated = 0;
    std::int64_t skipped_anonymous = 0;
    std::int64_t skipped_voided = 0;
    std::int64_t returned = 0;  // Rated purchases a return later took something of.
    RewardFigures draft;
    RewardFigures published;
    std::int64_t coupon_redemptions = 0;  // On the rated purchases, at the till: the same under either.
    std::int64_t coupon_discount = 0;
    std::int64_t coupon_bonus_points = 0;
    std::vector<RuleComparison> rules;  // Draft order first, then the published rules the draft lacks, by id.
};

// The backtest's running state: the members' counters and stamp cards, the budgets, the tallies.
class Backtest {
  public:
    explicit Backtest(RuleSet draft);

    // Rates the next purchase (in commit order) against the draft and counts both sides.
    void rate(const PastPurchase& purchase);
    // The tallies so far; the caller fills in the window, currency and skipped counts.
    BacktestReport report() const;

  private:
    struct MemberTrack {
        std::map<std::string, std::map<std::string, std::int64_t>> usage;  // Rule id -> local period -> given.
        std::map<std::string, StampProgress> stamps;
        std::int64_t rated = 0;
    };
    struct Tally {
        RewardFigures figures;
        std::unordered_set<std::int64_t> members;
    };
    // Rule key: source and id (a cashback rule and a points rule never share an id, but keep them apart).
    using RuleKey = std::pair<BacktestRuleKind, std::string>;

    MemberState member_state(const PastPurchase& purchase, MemberTrack& track) const;
    void count_usage(const PastPurchase& purchase, const Outcome& outcome, MemberTrack& track);
    void tally(Tally& total, std::map<RuleKey, Tally>& by_rule, std::int64_t member_id,
               const std::map<RuleKey, RewardFigures>& given);

    RuleSet draft_;
    std::unordered_map<std::int64_t, MemberTrack> members_;
    RuleCounters counters_;
    Tally draft_total_, published_total_;
    std::map<RuleKey, Tally> draft_rules_, published_rules_;
    std::int64_t rated_ = 0;
    std::int64_t returned_ = 0;
    std::int64_t coupon_redemptions_ = 0, coupon_discount_ = 0, coupon_bonus_points_ = 0;
};

std::string_view reward_source_name(BacktestRuleKind source);

// The report as the API and patronctl show it (documented in api/openapi.yaml, BacktestResult).
nlohmann::json backtest_json(const BacktestReport& report);

}  // namespace patron::core
