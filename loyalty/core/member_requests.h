// The documents staff send to enrol a member and to change one, read into typed requests with
// no database, key or HTTP in sight (so they can be fuzzed alone). Only the shape is checked
// here; what needs the program (phone format, uniqueness) is the member service's.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/card_range.h"
#include "loyalty/core/card_state.h"
#include "loyalty/core/error.h"

namespace patron::core {

// Consents as given at enrolment or changed later: only what is sent changes (with the time).
struct ConsentChange {
    std::optional<std::string> terms_version;
    std::optional<bool> marketing_sms;
    std::optional<bool> marketing_email;
};

// An enrolment as staff typed it: raw text, normalised and validated by the member service.
struct MemberApplication {
    std::string full_name;
    std::optional<std::string> phone;
    std::optional<std::string> email;
    std::optional<std::string> birth_date;
    std::optional<std::string> language;
    std::optional<std::string> gender = {};
    std::optional<std::string> city = {};
    std::optional<std::string> postal_code = {};
    ConsentChange consents = {};
    std::optional<std::string> time_zone = {};  // A tz database name; whether it is known is the service's.
    // The code of the member who invited her (core/referrals.h), read as typed: "k7q2-m9xd".
    std::optional<std::string> referral_code = {};
};

// A partial change of a member: only the fields sent change, null removes an optional one.
struct MemberUpdate {
    std::optional<std::string> full_name;
    std::map<std::string, std::optional<std::string>> fields;  // phone, email, birth_date, language, ...
    std::optional<ConsentChange> consents;
    std::vector<std::string> changed;  // The names of the fields sent, for the audit.
    // The member's own update (the portal): their password, which changing the email needs.
    std::optional<std::string> password = {};
};

// A support adjustment of a member's points; its bounds and reason are the service's to check.
struct PointsAdjustment {
    long long points = 0;  // Positive adds, negative removes.
    std::string reason;
};

struct CardStateChange {
    // Empty when absent or no state's spelling; which states a card may take is the card service's.
    std::optional<CardState> state;
    std::string reason;
};

struct CardReplacement {
    std::string reason;
};

// Another card for a member: a number drawn as at enrolment, or a pre-printed card handed over at
// the desk. Whether the number is valid, in a range and free is the card service's to check.
struct CardIssue {
    std::string kind;                   // "physical" or "virtual".
    std::optional<std::string> number;  // A pre-printed card's number; absent: one is drawn.
    bool primary = false;               // Make it the member's primary card.
};

// A pre-printed card range as staff typed it; its ends are checked by core::check_card_range.
struct CardRangeRegistration {
    std::string name;
    CardRange range;
};

// Characters (not bytes) a card range's name may have.
inline constexpr std::size_t kCardRangeNameMax = 100;

struct MemberMergeRequest {
    long long from = 0;  // The member merged into the one the path names.
};

// {"terms_version", "marketing_sms", "marketing_email"}, each optional; problems named consents.*.
Result<ConsentChange> decode_consents(const nlohmann::json& value);
// POST /v1/members: full_name required, the other profile fields optional strings, consents.
Result<MemberApplication> decode_member_application(const nlohmann::json& document);
// PATCH /v1/members/{id}: a non-empty object of the fields to change.
Result<MemberUpdate> decode_member_update(const nlohmann::json& document);
// PATCH /v1/me: what members change of their own record (full_name, email, birth_date, city,
// language, time_zone, consents.marketing_sms and marketing_email), read as decode_member_update reads it.
// The phone they sign in with is refused with a word to ask at the store; any other field as unknown.
Result<MemberUpdate> decode_own_member_update(const nlohmann::json& document);
// POST /v1/members/{id}/points/adjustments: {"points": whole number, "reason": text}.
Result<PointsAdjustment> decode_points_adjustment(const nlohmann::json& document);
// POST /v1/cards/{number}/state: {"state", "reason"}, both optional text.
Result<CardStateChange> decode_card_state_change(const nlohmann::json& document);
// POST /v1/cards/{number}/replacement: {"reason"}, optional text.
Result<CardReplacement> decode_card_replacement(const nlohmann::json& document);
// POST /v1/members/{id}/cards: {"kind": "physical" | "virtual", "number": text, "primary": boolean},
// number and primary optional; any other field is refused.
Result<CardIssue> decode_card_issue(const nlohmann::json& document);
// POST /v1/program/card-ranges: {"name": 1 to 100 characters, "first": text, "last": text}; any
// other field is refused.
Result<CardRangeRegistration> decode_card_range_registration(const nlohmann::json& document);
// POST /v1/members/{id}/merge: {"from": member id}.
Result<MemberMergeRequest> decode_member_merge(const nlohmann::json& document);
// `application` with `update` applied, to be checked again like an enrolment; fails when the
// language it ends with is not fa or en.
Result<void> apply_member_update(const MemberUpdate& update, MemberApplication& application);

}  // namespace patron::core
