#include "loyalty/service/program/program_settings_service.h"

#include <soci/soci.h>

#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/events/member_message_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

void apply_change(const core::ProgramSettingsChange& change, ProgramSettings& settings) {
    settings.profile.name = change.name.value_or(settings.profile.name);
    settings.profile.language = change.language.value_or(settings.profile.language);
    settings.profile.time_zone = change.time_zone.value_or(settings.profile.time_zone);
    settings.profile.currency = change.currency.value_or(settings.profile.currency);
    core::apply_points_change(change.points, settings.points);
    core::apply_feedback_change(change.feedback, settings.points);
    core::apply_message_change(change.messages, settings.messages);
}

}  // namespace

ProgramSettingsService::ProgramSettingsService(store::Database& database, const crypto::KeyRing& keys,
                                               const Clock& clock)
    : database_(database), keys_(keys), clock_(clock) {}

core::Result<ProgramSettings> ProgramSettingsService::get(long long program_id) {
    return database_.run_for<ProgramSettings>([&](soci::session& sql) -> core::Result<ProgramSettings> {
        auto profile = store::find_program_profile(sql, program_id, false);
        if (!profile) return fail(ErrorCode::kNotFound, "no such program");
        return ProgramSettings{*profile, store::find_points_policy(sql, program_id),
                               store::find_message_policy(sql, program_id)};
    });
}

core::Result<ProgramSettings> ProgramSettingsService::update(const StaffIdentity& staff,
                                                             const core::ProgramSettingsChange& change) {
    if (!may(staff, {core::StaffRole::kAdmin, core::StaffRole::kMarketer})) {
        return fail(ErrorCode::kForbidden, "only admin and marketer staff change program settings");
    }
    // The form was checked with the rest of the document; the zone database is asked here.
    if (change.time_zone && !is_known_time_zone(*change.time_zone)) {
        return fail(ErrorCode::kValidationFailed, "no such time zone in the zone database", "time_zone",
                    core::reason(core::ReasonKind::kOneOf));
    }
    return database_.transact_for<ProgramSettings>([&](soci::session& sql) -> core::Result<ProgramSettings> {
        auto profile = store::find_program_profile(sql, staff.program_id, true);
        if (!profile) return fail(ErrorCode::kNotFound, "no such program");
        ProgramSettings settings{*profile, store::find_points_policy(sql, staff.program_id),
                                 store::find_message_policy(sql, staff.program_id)};
        const std::string old_currency = settings.profile.currency;
        apply_change(change, settings);
        if (settings.profile.currency != old_currency && store::program_has_trading(sql, staff.program_id)) {
            return fail(
                ErrorCode::kNotAvailable,
                "the currency cannot change once the program has traded: balances and history are in " + old_currency,
                "currency");
        }
        store::update_program_profile(sql, staff.program_id, settings.profile);
        store::set_points_policy(sql, staff.program_id, settings.points);
        store::set_message_policy(sql, staff.program_id, settings.messages);
        std::string fields;
        for (const std::string& field : change.fields) fields += (fields.empty() ? "" : ",") + field;
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kProgramSettings, "program",
                             staff.program_id, fields.substr(0, 500)},
                            clock_.now());
        return settings;
    });
}

}  // namespace patron::service
