#include "loyalty/core/referrals.h"

#include <array>
#include <charconv>
#include <vector>

#include "loyalty/core/document_reader.h"
#include "loyalty/core/report_query.h"

namespace patron::core {
namespace {

using nlohmann::json;

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford's base32.
constexpr std::string_view kReferralPrefix = "referral:";

constexpr std::array<std::pair<ReferralRewardKind, std::string_view>, 2> kRewardKinds{
    {{ReferralRewardKind::kPoints, "points"}, {ReferralRewardKind::kCashback, "cashback"}}};

// {"points": N} or {"cashback": N}: exactly one of them.
ReferralReward read_reward(Reader& document, std::string_view key) {
    ReferralReward reward;
    const json* value = document.find(key);
    if (value == nullptr) {
        document.problem(document.field(key), "is required", reason(ReasonKind::kRequired));
        return reward;
    }
    auto reader = document.child(key, {"points", "cashback"});
    if (!reader) return reward;
    const bool points = reader->find("points") != nullptr;
    const bool cashback = reader->find("cashback") != nullptr;
    if (points == cashback) {
        reader->problem(reader->path(), "must give either points or cashback");
        return reward;
    }
    if (points) {
        reward = {ReferralRewardKind::kPoints, bounded(*reader, "points", 1, kReferralPointsMax)};
    } else {
        reward = {ReferralRewardKind::kCashback, bounded(*reader, "cashback", 1, kReferralCashbackMax)};
    }
    return reward;
}

json encode_reward(const ReferralReward& reward) { return json{{to_string(reward.kind), reward.amount}}; }

// The value of a code character, O read as 0 and I, L as 1; none for any other.
std::optional<char> code_character(char c) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') return '0';
    if (c == 'I' || c == 'L') return '1';
    if (kAlphabet.find(c) == std::string_view::npos) return std::nullopt;
    return c;
}

}  // namespace

std::string_view to_string(ReferralRewardKind kind) { return name_of(kRewardKinds, kind); }

Result<ReferralTerms> decode_referral_terms(const json& document) {
    std::vector<Error> problems;
    Reader reader(document, "", problems);
    ReferralTerms terms;
    if (!reader.is_object({"state", "friend_reward", "referrer_reward", "within_days", "min_spend",
                           "per_referrer_per_month", "same_till_minutes"})) {
        return std::unexpected(all_problems(problems));
    }
    const json* state = reader.find("state");
    if (state == nullptr) {
        reader.problem("state", "is required", reason(ReasonKind::kRequired));
    } else if (*state == "active" || *state == "paused") {
        terms.active = *state == "active";
    } else {
        reader.problem("state", "must be active or paused", reason(ReasonKind::kOneOf));
    }
    terms.friend_reward = read_reward(reader, "friend_reward");
    terms.referrer_reward = read_reward(reader, "referrer_reward");
    terms.within_days = static_cast<int>(bounded(reader, "within_days", 1, kReferralDaysMax));
    if (reader.find("min_spend") != nullptr) terms.min_spend = bounded(reader, "min_spend", 0, kReferralSpendMax);
    terms.per_referrer_per_month =
        static_cast<int>(bounded(reader, "per_referrer_per_month", 1, kReferralsPerMonthMax));
    if (reader.find("same_till_minutes") != nullptr) {
        terms.same_till_minutes = static_cast<int>(bounded(reader, "same_till_minutes", 0, kSameTillMinutesMax));
    }
    if (!problems.empty()) return std::unexpected(all_problems(problems));
    return terms;
}

json encode_referral_terms(const ReferralTerms& terms, TermsReader reader) {
    json document{{"friend_reward", encode_reward(terms.friend_reward)},
                  {"referrer_reward", encode_reward(terms.referrer_reward)},
                  {"within_days", terms.within_days},
                  {"min_spend", terms.min_spend},
                  {"per_referrer_per_month", terms.per_referrer_per_month}};
    if (reader == TermsReader::kStored) document["state"] = terms.active ? "active" : "paused";
    if (reader != TermsReader::kMember) document["same_till_minutes"] = terms.same_till_minutes;
    return document;
}

std::string_view to_string(ReferralState state) {
    switch (state) {
        case ReferralState::kRewarded:
            return "rewarded";
        case ReferralState::kRefused:
            return "refused";
        case ReferralState::kPending:
            break;
    }
    return "pending";
}

std::string_view shown_referral_state(ReferralState state, Timestamp qualify_by, Timestamp now) {
    if (state == ReferralState::kPending && qualify_by <= now) return "lapsed";
    return to_string(state);
}

Result<ReferralTerms> parse_stored_referral_terms(std::string_view text, int version) {
    if (text.empty()) return ReferralTerms{.version = version};
    const json document = json::parse(text, nullptr, false);
    auto terms = document.is_discarded() ? fail(ErrorCode::kInternal, "the stored referral terms are not JSON")
                                         : decode_referral_terms(document);
    if (terms) terms->version = version;
    return terms;
}

std::string referral_code_from(std::span<const std::uint8_t> random) {
    // 40 bits, five at a time, the first byte's high bits first.
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < kReferralCodeBytes && i < random.size(); ++i) bits = (bits << 8) | random[i];
    std::string code(kReferralCodeLength, '0');
    for (std::size_t i = kReferralCodeLength; i-- > 0;) {
        code[i] = kAlphabet[bits & 31U];
        bits >>= 5;
    }
    return code;
}

std::string shown_referral_code(std::string_view code) {
    if (code.size() != kReferralCodeLength) return std::string(code);
    return std::string(code.substr(0, 4)) + "-" + std::string(code.substr(4));
}

std::optional<std::string> read_referral_code(std::string_view typed) {
    if (typed.size() > 32) return std::nullopt;
    std::string code;
    for (const char c : typed) {
        if (c == ' ' || c == '-') continue;
        const auto read = code_character(c);
        if (!read) return std::nullopt;
        code += *read;
    }
    if (code.size() != kReferralCodeLength) return std::nullopt;
    return code;
}

std::string referral_rule_id(long long referral_id) {
    return std::string(kReferralPrefix) + std::to_string(referral_id);
}

std::optional<long long> referral_of_rule_id(std::string_view rule_id) {
    if (!rule_id.starts_with(kReferralPrefix)) return std::nullopt;
    const std::string_view digits = rule_id.substr(kReferralPrefix.size());
    long long id = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (error != std::errc() || end != digits.data() + digits.size() || id <= 0) return std::nullopt;
    return id;
}

ReferralVerdict judge_friend_purchase(const ReferralTerms& terms, Timestamp enrolled_at, Timestamp qualify_by,
                                      const FriendPurchase& purchase) {
    if (purchase.received_at < enrolled_at) return ReferralVerdict::kTooEarly;
    if (purchase.received_at >= qualify_by) return ReferralVerdict::kTooLate;
    if (purchase.total < std::max<std::int64_t>(terms.min_spend, 1)) return ReferralVerdict::kTooSmall;
    if (terms.same_till_minutes > 0 && purchase.referrer_at_same_till) return ReferralVerdict::kSameTill;
    return ReferralVerdict::kQualifies;
}

Timestamp referral_deadline(const ReferralTerms& terms, Timestamp enrolled_at) {
    return enrolled_at + std::chrono::days(terms.within_days);
}

ReferralMonth referral_month(const TimeZone& zone, Calendar calendar, Timestamp at) {
    const ReportPeriod month = whole_period(
        local_date(zone, at), calendar == Calendar::kJalali ? PeriodSize::kJalaliMonth : PeriodSize::kMonth);
    return {zone.day_start(month.first), day_end(zone, month.last)};
}

bool still_qualifies(const ReferralTerms& terms, std::int64_t remaining) {
    return remaining >= std::max<std::int64_t>(terms.min_spend, 1);
}

std::string_view referral_welcome_label(Language language) {
    return language == Language::kPersian ? "هدیه دعوت دوست" : "Friend's welcome";
}

std::string_view referral_taken_back_label(Language language) {
    return language == Language::kPersian ? "لغو هدیه دعوت" : "Welcome taken back";
}

std::string referral_history_text(ReferralSide side, bool taken_back, std::string_view amount, Language language) {
    const bool persian = language == Language::kPersian;
    std::string text;
    if (side == ReferralSide::kFriend) {
        text = persian ? "هدیه عضویت با دعوت دوست: " : "Welcome gift for joining through a friend: ";
    } else {
        text = persian ? "پاداش دعوت از یک دوست: " : "Reward for inviting a friend: ";
    }
    text += amount;
    if (taken_back) {
        text +=
            persian ? " پس گرفته شد، چون نخستین خرید دوست مرجوع شد" : " taken back: the first purchase was returned";
    }
    return text;
}

}  // namespace patron::core
