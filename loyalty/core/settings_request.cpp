#include "loyalty/core/settings_request.h"

#include <algorithm>

#include "loyalty/core/money.h"
#include "loyalty/core/time.h"

namespace patron::core {
namespace {

using nlohmann::json;

constexpr std::int64_t kDaySeconds = 24 * 3600;

struct Reading {
    std::vector<Error> problems;
    ProgramSettingsChange change;

    void problem(std::string field, std::string message, Reason why = {}) {
        problems.push_back(Error{ErrorCode::kValidationFailed, std::move(message), std::move(field), {}, {}, why});
    }
};

void check_keys(const json& object, const std::string& prefix, std::initializer_list<const char*> known,
                Reading& reading) {
    for (const auto& [key, value] : object.items()) {
        if (std::none_of(known.begin(), known.end(), [&](const char* k) { return key == k; })) {
            reading.problem(prefix + key, "unknown field", reason(ReasonKind::kUnknownField));
        }
    }
}

// Reads an integer field within bounds into `target` when present.
template <typename Target>
void integer(const json& object, const std::string& prefix, const char* key, std::int64_t minimum, std::int64_t maximum,
             Target& target, std::int64_t unit, Reading& reading) {
    const auto it = object.find(key);
    if (it == object.end()) return;
    if (!it->is_number_integer() || it->get<std::int64_t>() < minimum || it->get<std::int64_t>() > maximum) {
        reading.problem(
            prefix + key, "must be a whole number from " + std::to_string(minimum) + " to " + std::to_string(maximum),
            // An amount (a "_minor" key) is shown in major units: its bounds are in the message only.
            std::string_view(key).ends_with("_minor") ? Reason{} : reason(ReasonKind::kRange, minimum, maximum));
        return;
    }
    target = typename Target::value_type(it->get<std::int64_t>() * unit);
    reading.change.fields.push_back(prefix + key);
}

// Reads a true/false field into `target` when present.
void flag(const json& object, const std::string& prefix, const char* key, std::optional<bool>& target,
          Reading& reading) {
    const auto it = object.find(key);
    if (it == object.end()) return;
    if (!it->is_boolean()) {
        reading.problem(prefix + key, "must be true or false", reason(ReasonKind::kWrongType));
        return;
    }
    target = it->get<bool>();
    reading.change.fields.push_back(prefix + key);
}

// A top-level text field kept when `problem_of` finds nothing wrong with it (else refused as `why`).
void text(const json& object, const char* key, std::string (*problem_of)(const std::string&), Reason why,
          std::optional<std::string>& target, Reading& reading) {
    const auto it = object.find(key);
    if (it == object.end()) return;
    if (!it->is_string()) {
        reading.problem(key, "must be a string", reason(ReasonKind::kWrongType));
        return;
    }
    if (const std::string problem = problem_of(it->get_ref<const std::string&>()); !problem.empty()) {
        // A length checked in bytes is said as characters only when too short (short_text).
        const std::string& value = it->get_ref<const std::string&>();
        reading.problem(key, problem,
                        why.kind == ReasonKind::kTextLength ? short_text(value.size(), *why.min, *why.max) : why);
        return;
    }
    target = it->get<std::string>();
    reading.change.fields.push_back(key);
}

void read_expiry(const json& expiry, Reading& reading) {
    if (!expiry.is_object()) {
        reading.problem("points.expiry",
                        "must be {\"mode\": \"months\", \"months\": N} or {\"mode\": \"quarter_end\"}");
        return;
    }
    check_keys(expiry, "points.expiry.", {"mode", "months"}, reading);
    if (const auto mode = expiry.find("mode"); mode != expiry.end()) {
        if (*mode == "months" || *mode == "quarter_end") {
            reading.change.points.expiry_mode = *mode == "quarter_end" ? ExpiryMode::kQuarterEnd : ExpiryMode::kMonths;
            reading.change.fields.push_back("points.expiry.mode");
        } else {
            reading.problem("points.expiry.mode", "must be months or quarter_end", reason(ReasonKind::kOneOf));
        }
    }
    integer(expiry, "points.expiry.", "months", 1, 120, reading.change.points.expiry_months, 1, reading);
}

void read_points(const json& points, Reading& reading) {
    if (!points.is_object()) {
        reading.problem("points", "must be an object", reason(ReasonKind::kWrongType));
        return;
    }
    PointsPolicyChange& policy = reading.change.points;
    check_keys(points, "points.",
               {"hold_days", "expiry", "point_value_minor", "redeem_points_min", "negative_balance",
                "void_window_hours", "claim_window_days", "quote_hold_minutes", "blind_returns", "returns_any_store",
                "late_after_days", "expiry_notice_days"},
               reading);
    integer(points, "points.", "hold_days", 0, 365, policy.hold, kDaySeconds, reading);
    integer(points, "points.", "point_value_minor", 0, 1'000'000'000, policy.point_value_minor, 1, reading);
    integer(points, "points.", "redeem_points_min", 1, 1'000'000'000, policy.redeem_points_min, 1, reading);
    integer(points, "points.", "claim_window_days", 0, 365, policy.claim_window, kDaySeconds, reading);
    integer(points, "points.", "quote_hold_minutes", 0, 60, policy.quote_hold, 60, reading);
    integer(points, "points.", "void_window_hours", 0, 720, policy.void_window, 3600, reading);
    integer(points, "points.", "late_after_days", 1, 365, policy.late_after, kDaySeconds, reading);
    integer(points, "points.", "expiry_notice_days", 0, 90, policy.expiry_notice, kDaySeconds, reading);
    flag(points, "points.", "blind_returns", policy.blind_returns, reading);
    flag(points, "points.", "returns_any_store", policy.returns_any_store, reading);
    if (const auto it = points.find("negative_balance"); it != points.end()) {
        if (*it == "allow" || *it == "clamp") {
            policy.negative_balance = *it == "clamp" ? NegativeBalancePolicy::kClamp : NegativeBalancePolicy::kAllow;
            reading.change.fields.push_back("points.negative_balance");
        } else {
            reading.problem("points.negative_balance", "must be allow or clamp", reason(ReasonKind::kOneOf));
        }
    }
    if (const auto it = points.find("expiry"); it != points.end()) read_expiry(*it, reading);
}

void read_feedback(const json& feedback, Reading& reading) {
    if (!feedback.is_object()) {
        reading.problem("feedback", "must be an object", reason(ReasonKind::kWrongType));
        return;
    }
    check_keys(feedback, "feedback.", {"answer_days"}, reading);
    integer(feedback, "feedback.", "answer_days", 0, 365, reading.change.feedback.answer_window, kDaySeconds, reading);
}

void read_messages(const json& messages, Reading& reading) {
    if (!messages.is_object()) {
        reading.problem("messages", "must be an object", reason(ReasonKind::kWrongType));
        return;
    }
    check_keys(messages, "messages.", {"weekly_cap", "quiet_from_hour", "quiet_until_hour", "warnings_past_cap"},
               reading);
    integer(messages, "messages.", "weekly_cap", 0, 21, reading.change.messages.weekly_cap, 1, reading);
    integer(messages, "messages.", "quiet_from_hour", 0, 23, reading.change.messages.quiet_from_hour, 1, reading);
    integer(messages, "messages.", "quiet_until_hour", 0, 23, reading.change.messages.quiet_until_hour, 1, reading);
    flag(messages, "messages.", "warnings_past_cap", reading.change.messages.warnings_past_cap, reading);
}

std::string name_problem(const std::string& name) {
    return name.empty() || name.size() > 200 ? "must be 1 to 200 characters" : "";
}
std::string language_problem(const std::string& language) {
    return language != "fa" && language != "en" ? "must be fa or en" : "";
}
std::string time_zone_problem(const std::string& zone) {
    return is_time_zone_name(zone) ? "" : "must be an IANA time zone such as Asia/Tehran";
}
std::string currency_problem(const std::string& code) {
    return find_currency(code) ? "" : "is not a currency Patron knows (ISO 4217)";
}

template <typename T>
void set_if(const std::optional<T>& value, T& target) {
    if (value) target = *value;
}

}  // namespace

Result<ProgramSettingsChange> decode_program_settings(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "must be a JSON object", "$");
    Reading reading;
    check_keys(document, "",
               {"name", "currency", "currency_exponent", "language", "time_zone", "points", "feedback", "messages"},
               reading);
    // The settings come back with the currency's exponent (read-only, it follows the currency), so
    // that a client may send back what it read; it is type-checked like any field, then left out.
    if (const auto exponent = document.find("currency_exponent");
        exponent != document.end() && (!exponent->is_number_integer() || *exponent < 0 || *exponent > 3)) {
        reading.problem("currency_exponent", "must be a whole number from 0 to 3", reason(ReasonKind::kRange, 0, 3));
    }
    text(document, "name", name_problem, reason(ReasonKind::kTextLength, 1, 200), reading.change.name, reading);
    text(document, "language", language_problem, reason(ReasonKind::kOneOf), reading.change.language, reading);
    text(document, "time_zone", time_zone_problem, reason(ReasonKind::kOneOf), reading.change.time_zone, reading);
    text(document, "currency", currency_problem, reason(ReasonKind::kOneOf), reading.change.currency, reading);
    if (const auto points = document.find("points"); points != document.end()) read_points(*points, reading);
    if (const auto feedback = document.find("feedback"); feedback != document.end()) read_feedback(*feedback, reading);
    if (const auto messages = document.find("messages"); messages != document.end()) read_messages(*messages, reading);
    if (!reading.problems.empty()) return std::unexpected(all_problems(reading.problems));
    return std::move(reading.change);
}

void apply_points_change(const PointsPolicyChange& change, PointsPolicy& policy) {
    set_if(change.hold, policy.hold);
    set_if(change.point_value_minor, policy.point_value_minor);
    set_if(change.redeem_points_min, policy.redeem_points_min);
    set_if(change.claim_window, policy.claim_window);
    set_if(change.quote_hold, policy.quote_hold);
    set_if(change.void_window, policy.void_window);
    set_if(change.late_after, policy.late_after);
    set_if(change.expiry_notice, policy.expiry_notice);
    set_if(change.blind_returns, policy.blind_returns);
    set_if(change.returns_any_store, policy.returns_any_store);
    set_if(change.negative_balance, policy.negative_balance);
    set_if(change.expiry_mode, policy.expiry_mode);
    set_if(change.expiry_months, policy.expiry_months);
}

void apply_feedback_change(const FeedbackPolicyChange& change, PointsPolicy& policy) {
    set_if(change.answer_window, policy.feedback_window);
}

void apply_message_change(const MessagePolicyChange& change, MessagePolicy& policy) {
    set_if(change.weekly_cap, policy.weekly_cap);
    set_if(change.quiet_from_hour, policy.quiet_from_hour);
    set_if(change.quiet_until_hour, policy.quiet_until_hour);
    set_if(change.warnings_past_cap, policy.warnings_past_cap);
}

}  // namespace patron::core
