#include "loyalty/service/program/program_settings_service.h"

#include <soci/soci.h>

#include "loyalty/core/settings_request.h"
#include "loyalty/store/access/audit_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;
using nlohmann::json;

constexpr long long kDaySeconds = 24 * 3600;

void apply_change(const core::ProgramSettingsChange& change, ProgramSettings& settings) {
    settings.profile.name = change.name.value_or(settings.profile.name);
    settings.profile.language = change.language.value_or(settings.profile.language);
    settings.profile.time_zone = change.time_zone.value_or(settings.profile.time_zone);
    settings.profile.currency = change.currency.value_or(settings.profile.currency);
    core::apply_points_change(change.points, settings.points);
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
    if (!may(staff, {core::StaffRole::kAdmin, core::StaffRole::kMarketer})) {
        return fail(ErrorCode::kForbidden, "only admin and marketer staff change program settings");
    }
    const auto change = core::decode_program_settings(document);
    if (!change) return std::unexpected(change.error());
    return database_.transact_for<ProgramSettings>([&](soci::session& sql) -> core::Result<ProgramSettings> {
        auto profile = store::find_program_profile(sql, staff.program_id, true);
        if (!profile) return fail(ErrorCode::kNotFound, "no such program");
        ProgramSettings settings{*profile, store::find_points_policy(sql, staff.program_id)};
        const std::string old_currency = settings.profile.currency;
        apply_change(*change, settings);
        if (settings.profile.currency != old_currency && store::program_has_trading(sql, staff.program_id)) {
            return fail(
                ErrorCode::kNotAvailable,
                "the currency cannot change once the program has traded: balances and history are in " + old_currency,
                "currency");
        }
        store::update_program_profile(sql, staff.program_id, settings.profile);
        store::set_points_policy(sql, staff.program_id, settings.points);
        std::string fields;
        for (const std::string& field : change->fields) fields += (fields.empty() ? "" : ",") + field;
        store::insert_audit(
            sql,
            {staff.program_id, staff.label, "program.settings", "program", staff.program_id, fields.substr(0, 500)},
            clock_.now());
        return settings;
    });
}

}  // namespace patron::service
