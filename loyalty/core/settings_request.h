// The document admins and marketers send to change the program's settings (PATCH
// /v1/program/settings), read into a typed change with no database or HTTP in sight. A change is
// partial: only what is sent is set. Every problem is collected, each named by its JSON path.
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/member_messages.h"
#include "loyalty/core/points.h"

namespace patron::core {

struct PointsPolicyChange {
    std::optional<std::chrono::seconds> hold;
    std::optional<std::int64_t> point_value_minor;
    std::optional<std::int64_t> redeem_points_min;
    std::optional<std::chrono::seconds> claim_window;
    std::optional<std::chrono::seconds> expiry_notice;
    std::optional<std::chrono::seconds> quote_hold;
    std::optional<std::chrono::seconds> void_window;
    std::optional<std::chrono::seconds> late_after;
    std::optional<bool> blind_returns;
    std::optional<bool> returns_any_store;
    std::optional<NegativeBalancePolicy> negative_balance;
    std::optional<ExpiryMode> expiry_mode;
    std::optional<int> expiry_months;
};

struct FeedbackPolicyChange {
    std::optional<std::chrono::seconds> answer_window;  // feedback.answer_days: 0 turns feedback off.
};

struct MessagePolicyChange {
    std::optional<int> weekly_cap;        // messages.weekly_cap: 0 to 21; 0 messages nobody.
    std::optional<int> quiet_from_hour;   // messages.quiet_from_hour: 0 to 23.
    std::optional<int> quiet_until_hour;  // messages.quiet_until_hour: 0 to 23 (equal: no quiet hours).
    std::optional<bool> warnings_past_cap;  // messages.warnings_past_cap: true or false.
};

struct ProgramSettingsChange {
    std::optional<std::string> name;      // 1 to 200 characters.
    std::optional<std::string> language;  // fa or en.
    std::optional<std::string> time_zone;
    std::optional<std::string> currency;  // A currency Patron knows; whether it may change is the service's.
    PointsPolicyChange points;
    FeedbackPolicyChange feedback;
    MessagePolicyChange messages;
    std::vector<std::string> fields;  // The fields sent, by JSON path, for the audit.
};

// All the problems at once (core::all_problems) when any field is wrong.
Result<ProgramSettingsChange> decode_program_settings(const nlohmann::json& document);
// `policy` with the change applied.
void apply_points_change(const PointsPolicyChange& change, PointsPolicy& policy);
// `policy` with the feedback window changed (it is kept with the points policy: see points.h).
void apply_feedback_change(const FeedbackPolicyChange& change, PointsPolicy& policy);
// `policy` with the message policy's change applied.
void apply_message_change(const MessagePolicyChange& change, MessagePolicy& policy);

}  // namespace patron::core
