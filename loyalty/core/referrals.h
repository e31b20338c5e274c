// Referrals (issue 24): a member invites a friend with her referral code; a friend who enrols with
// it and makes a first qualifying purchase within the terms' days rewards both. Pure: the
// programme's terms read from their JSON document (every problem by its path), the codes (drawn
// from random bytes, read back forgiving how people type them), whether a purchase qualifies, the
// referrer's monthly limit, what a return leaves of a qualifying purchase, and the words a
// receipt and a history use. The referral service reads the facts and posts the rewards.
//
// Terms document (PUT /v1/program/referrals):
//   {"state": "active" | "paused",          // paused: no new referral is taken at enrolment
//    "friend_reward": {"points": N} | {"cashback": N},    // N minor units for cashback
//    "referrer_reward": {"points": N} | {"cashback": N},
//    "within_days": D,                      // her first qualifying purchase, 1..366 days after enrolling
//    "min_spend": N,                        // its least total, minor units (0: any purchase)
//    "per_referrer_per_month": N,           // referrer rewards a month (the programme's calendar month)
//    "same_till_minutes": M}                // 0..1440: a qualifying purchase rung up at a till the
//                                           // referrer used within M minutes is refused (0: not checked)
// A referral keeps the terms it was made under: her rewards, days and least total are those of
// the day she enrolled. The monthly limit is the terms' in force when she qualifies.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "loyalty/core/error.h"
#include "loyalty/core/tenure.h"
#include "loyalty/core/time.h"
#include "loyalty/core/time_zone.h"
#include "loyalty/core/wording.h"

namespace patron::core {

enum class ReferralRewardKind { kPoints, kCashback };
std::string_view to_string(ReferralRewardKind kind);  // "points", "cashback"

struct ReferralReward {
    ReferralRewardKind kind = ReferralRewardKind::kPoints;
    std::int64_t amount = 0;  // Points, or minor units of the programme's currency.
    bool operator==(const ReferralReward&) const = default;
};

inline constexpr std::int64_t kReferralPointsMax = 1'000'000;
inline constexpr std::int64_t kReferralCashbackMax = 1'000'000'000'000;
inline constexpr int kReferralDaysMax = 366;
inline constexpr std::int64_t kReferralSpendMax = 1'000'000'000'000'000;
inline constexpr int kReferralsPerMonthMax = 1000;
inline constexpr int kSameTillMinutesMax = 24 * 60;

struct ReferralTerms {
    int version = 0;  // programs.referral_terms_version; 0: none was ever set.
    bool active = false;
    ReferralReward friend_reward = {};
    ReferralReward referrer_reward = {};
    int within_days = 30;
    std::int64_t min_spend = 0;
    int per_referrer_per_month = 10;
    int same_till_minutes = 0;
    bool operator==(const ReferralTerms&) const = default;
};

// The document above, every problem at once by its path; no other field is taken.
Result<ReferralTerms> decode_referral_terms(const nlohmann::json& document);
// Who reads the terms: the whole document is stored; staff are not told "state" (the view says
// whether referrals are open); members are told neither "state" nor how self-referral is told
// ("same_till_minutes" is the programme's business).
enum class TermsReader { kStored, kStaff, kMember };
nlohmann::json encode_referral_terms(const ReferralTerms& terms, TermsReader reader = TermsReader::kStored);
// A stored document read back (it was valid when stored); an empty text: none (inactive).
Result<ReferralTerms> parse_stored_referral_terms(std::string_view text, int version);

// A referral code: 8 characters of Crockford's base32 (digits and capitals without I, L, O, U),
// 40 bits from a random source; shown as "K7Q2-M9XD".
inline constexpr std::size_t kReferralCodeLength = 8;
inline constexpr std::size_t kReferralCodeBytes = 5;
std::string referral_code_from(std::span<const std::uint8_t> random);
// "K7Q2-M9XD" for "K7Q2M9XD".
std::string shown_referral_code(std::string_view code);
// A code as someone typed it: case, spaces and dashes ignored, O read as 0 and I, L as 1; none
// when it cannot be a code.
std::optional<std::string> read_referral_code(std::string_view typed);

// Where a referral stands. Shown, a pending referral whose days have passed reads "lapsed" (the
// store counts it the same way: pending with qualify_by not after now).
enum class ReferralState { kPending, kRewarded, kRefused };
std::string_view to_string(ReferralState state);  // "pending", "rewarded", "refused"
std::string_view shown_referral_state(ReferralState state, Timestamp qualify_by, Timestamp now);

// The rule id of a referral's rewards in the ledgers ("referral:12"); the referral of one.
std::string referral_rule_id(long long referral_id);
std::optional<long long> referral_of_rule_id(std::string_view rule_id);

// A friend's purchase as her pending referral judges it.
struct FriendPurchase {
    Timestamp received_at{};
    std::int64_t total = 0;              // Minor units, as the till gave it.
    bool referrer_at_same_till = false;  // The referrer bought at its till within same_till_minutes.
};
// kTooEarly: received before she enrolled (a receipt claimed for her later).
enum class ReferralVerdict { kQualifies, kTooEarly, kTooSmall, kTooLate, kSameTill };
ReferralVerdict judge_friend_purchase(const ReferralTerms& terms, Timestamp enrolled_at, Timestamp qualify_by,
                                      const FriendPurchase& purchase);

// When the friend's first qualifying purchase must come by, for terms in force at enrolment.
Timestamp referral_deadline(const ReferralTerms& terms, Timestamp enrolled_at);

// The calendar month (Jalali for a Persian programme) a referrer's limit counts in, as instants.
struct ReferralMonth {
    Timestamp from{};
    Timestamp until{};  // Exclusive.
};
ReferralMonth referral_month(const TimeZone& zone, Calendar calendar, Timestamp at);

// Whether a rewarded purchase still qualifies once returns and voids have left `remaining` of its
// total (minor units): at least the least total, and something at all.
bool still_qualifies(const ReferralTerms& terms, std::int64_t remaining);

// The receipt's line for a friend's reward ("Friend's welcome +500 points") and the words of her
// and the referrer's history ("Welcome gift for joining through a friend: +500 points",
// "Reward for inviting a friend: +200 points", "... taken back: the friend's first purchase was
// returned").
std::string_view referral_welcome_label(Language language);
std::string_view referral_taken_back_label(Language language);
enum class ReferralSide { kFriend, kReferrer };
std::string referral_history_text(ReferralSide side, bool taken_back, std::string_view amount, Language language);

}  // namespace patron::core
