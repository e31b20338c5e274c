#include "loyalty/service/program_settings.h"

#include <soci/soci.h>

#include "loyalty/core/money.h"
#include "loyalty/store/audit_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;
using nlohmann::json;

constexpr long long kDaySeconds = 24 * 3600;

struct Change {
    std::vector<core::Error> problems;
    std::vector<std::string> fields;  // Changed, by JSON path.

    void problem(std::string field, std::string message) {
        problems.push_back(core::Error{ErrorCode::kValidationFailed, std::move(message), std::move(field)});
    }
};

void check_keys(const json& object, const std::string& prefix, std::initializer_list<const char*> known,
                Change& change) {
    for (const auto& [key, value] : object.items()) {
        if (std::none_of(known.begin(), known.end(), [&](const char* k) { return key == k; })) {
            change.problem(prefix + key, "unknown field");
        }
    }
}

// Reads an integer field within bounds into `target` when present.
template <typename Target>
void integer(const json& object, const std::string& prefix, const char* key, long long minimum, long long maximum,
             Target&& assign, Change& change) {
    const auto it = object.find(key);
    if (it == object.end()) return;
    if (!it->is_number_integer() || it->get<long long>() < minimum || it->get<long long>() > maximum) {
        change.problem(prefix + key,
                       "must be a whole number from " + std::to_string(minimum) + " to " + std::to_string(maximum));
        return;
    }
    assign(it->get<long long>());
    change.fields.push_back(prefix + key);
}

// Reads a true/false field into `target` when present.
void flag(const json& object, const std::string& prefix, const char* key, bool& target, Change& change) {
    const auto it = object.find(key);
    if (it == object.end()) return;
    if (!it->is_boolean()) {
        change.problem(prefix + key, "must be true or false");
        return;
    }
    target = it->get<bool>();
    change.fields.push_back(prefix + key);
}

template <typename Target>
void text(const json& object, const char* key, Target&& check_and_assign, Change& change) {
    const auto it = object.find(key);
    if (it == object.end()) return;
    if (!it->is_string()) {
        change.problem(key, "must be a string");
        return;
    }
    if (const std::string problem = check_and_assign(it->get<std::string>()); !problem.empty()) {
        change.problem(key, problem);
        return;
    }
    change.fields.push_back(key);
}

void apply_points(const json& points, ProgramSettings& settings, Change& change) {
    if (!points.is_object()) {
        change.problem("points", "must be an object");
        return;
    }
    core::PointsPolicy& policy = settings.points;
    check_keys(points, "points.",
               {"hold_days", "expiry", "point_value_minor", "redeem_points_min", "negative_balance",
                "void_window_hours", "claim_window_days", "quote_hold_minutes", "blind_returns", "returns_any_store"},
               change);
    integer(
        points, "points.", "hold_days", 0, 365,
        [&](long long days) { policy.hold = std::chrono::seconds(days * kDaySeconds); }, change);
    integer(
        points, "points.", "point_value_minor", 0, 1'000'000'000,
        [&](long long value) { policy.point_value_minor = value; }, change);
    integer(
        points, "points.", "redeem_points_min", 1, 1'000'000'000,
        [&](long long value) { policy.redeem_points_min = value; }, change);
    integer(
        points, "points.", "claim_window_days", 0, 365,
        [&](long long days) { policy.claim_window = std::chrono::seconds(days * kDaySeconds); }, change);
    integer(
        points, "points.", "quote_hold_minutes", 0, 60,
        [&](long long minutes) { policy.quote_hold = std::chrono::seconds(minutes * 60); }, change);
    integer(
        points, "points.", "void_window_hours", 0, 720,
        [&](long long hours) { policy.void_window = std::chrono::seconds(hours * 3600); }, change);
    flag(points, "points.", "blind_returns", policy.blind_returns, change);
    flag(points, "points.", "returns_any_store", policy.returns_any_store, change);
    if (const auto it = points.find("negative_balance"); it != points.end()) {
        if (*it == "allow" || *it == "clamp") {
            policy.negative_balance =
                *it == "clamp" ? core::NegativeBalancePolicy::kClamp : core::NegativeBalancePolicy::kAllow;
            change.fields.push_back("points.negative_balance");
        } else {
            change.problem("points.negative_balance", "must be allow or clamp");
        }
    }
    if (const auto it = points.find("expiry"); it != points.end()) {
        if (!it->is_object()) {
            change.problem("points.expiry",
                           "must be {\"mode\": \"months\", \"months\": N} or {\"mode\": \"quarter_end\"}");
            return;
        }
        check_keys(*it, "points.expiry.", {"mode", "months"}, change);
        if (const auto mode = it->find("mode"); mode != it->end()) {
            if (*mode == "months" || *mode == "quarter_end") {
                policy.expiry_mode = *mode == "quarter_end" ? core::ExpiryMode::kQuarterEnd : core::ExpiryMode::kMonths;
                change.fields.push_back("points.expiry.mode");
            } else {
                change.problem("points.expiry.mode", "must be months or quarter_end");
            }
        }
        integer(
            *it, "points.expiry.", "months", 1, 120,
            [&](long long months) { policy.expiry_months = static_cast<int>(months); }, change);
    }
}

}  // namespace

json settings_document(const ProgramSettings& settings) {
    const core::PointsPolicy& points = settings.points;
    json expiry = points.expiry_mode == core::ExpiryMode::kQuarterEnd
                      ? json{{"mode", "quarter_end"}}
                      : json{{"mode", "months"}, {"months", points.expiry_months}};
    return {{"name", settings.profile.name},
            {"currency", settings.profile.currency},
            {"language", settings.profile.language},
            {"time_zone", settings.profile.time_zone},
            {"points",
             {{"hold_days", points.hold.count() / kDaySeconds},
              {"expiry", expiry},
              {"point_value_minor", points.point_value_minor},
              {"redeem_points_min", points.redeem_points_min},
              {"negative_balance", points.negative_balance == core::NegativeBalancePolicy::kClamp ? "clamp" : "allow"},
              {"void_window_hours", points.void_window.count() / 3600},
              {"claim_window_days", points.claim_window.count() / kDaySeconds},
              {"quote_hold_minutes", points.quote_hold.count() / 60},
              {"blind_returns", points.blind_returns},
              {"returns_any_store", points.returns_any_store}}}};
}

ProgramSettingsService::ProgramSettingsService(store::Database& database, const Clock& clock)
    : database_(database), clock_(clock) {}

core::Result<ProgramSettings> ProgramSettingsService::get(long long program_id) {
    return database_.run_for<ProgramSettings>([&](soci::session& sql) -> core::Result<ProgramSettings> {
        auto profile = store::find_program_profile(sql, program_id, false);
        if (!profile) return fail(ErrorCode::kNotFound, "no such program");
        return ProgramSettings{*profile, store::find_points_policy(sql, program_id)};
    });
}

core::Result<ProgramSettings> ProgramSettingsService::update(const StaffIdentity& staff, const json& document) {
    if (staff.role != "admin" && staff.role != "marketer") {
        return fail(ErrorCode::kForbidden, "only admin and marketer staff change program settings");
    }
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "must be a JSON object", "$");
    return database_.transact_for<ProgramSettings>([&](soci::session& sql) -> core::Result<ProgramSettings> {
        auto profile = store::find_program_profile(sql, staff.program_id, true);
        if (!profile) return fail(ErrorCode::kNotFound, "no such program");
        ProgramSettings settings{*profile, store::find_points_policy(sql, staff.program_id)};
        const std::string old_currency = settings.profile.currency;
        Change change;
        check_keys(document, "", {"name", "currency", "language", "time_zone", "points"}, change);
        text(
            document, "name",
            [&](const std::string& name) -> std::string {
                if (name.empty() || name.size() > 200) return "must be 1 to 200 characters";
                settings.profile.name = name;
                return {};
            },
            change);
        text(
            document, "language",
            [&](const std::string& language) -> std::string {
                if (language != "fa" && language != "en") return "must be fa or en";
                settings.profile.language = language;
                return {};
            },
            change);
        text(
            document, "time_zone",
            [&](const std::string& zone) -> std::string {
                if (!core::is_time_zone_name(zone)) return "must be an IANA time zone such as Asia/Tehran";
                settings.profile.time_zone = zone;
                return {};
            },
            change);
        text(
            document, "currency",
            [&](const std::string& code) -> std::string {
                if (!core::find_currency(code)) return "is not a currency Patron knows (ISO 4217)";
                settings.profile.currency = code;
                return {};
            },
            change);
        if (const auto points = document.find("points"); points != document.end()) {
            apply_points(*points, settings, change);
        }
        if (!change.problems.empty()) return std::unexpected(core::all_problems(change.problems));
        if (settings.profile.currency != old_currency && store::program_has_trading(sql, staff.program_id)) {
            return fail(
                ErrorCode::kNotAvailable,
                "the currency cannot change once the program has traded: balances and history are in " + old_currency,
                "currency");
        }
        store::update_program_profile(sql, staff.program_id, settings.profile);
        store::set_points_policy(sql, staff.program_id, settings.points);
        std::string fields;
        for (const std::string& field : change.fields) fields += (fields.empty() ? "" : ",") + field;
        store::insert_audit(
            sql,
            {staff.program_id, staff.label, "program.settings", "program", staff.program_id, fields.substr(0, 500)},
            clock_.now());
        return settings;
    });
}

}  // namespace patron::service
