#include "api/program_routes.h"

#include <nlohmann/json.hpp>

#include "loyalty/core/settings_request.h"

namespace patron::api {
namespace {

using nlohmann::json;

constexpr long long kDaySeconds = 24 * 3600;

json settings_document(const service::ProgramSettings& settings) {
    const core::PointsPolicy& points = settings.points;
    json expiry = points.expiry_mode == core::ExpiryMode::kQuarterEnd
                      ? json{{"mode", "quarter_end"}}
                      : json{{"mode", "months"}, {"months", points.expiry_months}};
    return {{"name", settings.profile.name},
            {"currency", settings.profile.currency},
            {"currency_exponent", currency_exponent(settings.profile.currency)},
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
              {"returns_any_store", points.returns_any_store},
              {"late_after_days", points.late_after.count() / kDaySeconds},
              {"expiry_notice_days", points.expiry_notice.count() / kDaySeconds}}},
            {"feedback", {{"answer_days", points.feedback_window.count() / kDaySeconds}}},
            {"messages",
             {{"weekly_cap", settings.messages.weekly_cap},
              {"quiet_from_hour", settings.messages.quiet_from_hour},
              {"quiet_until_hour", settings.messages.quiet_until_hour},
              {"warnings_past_cap", settings.messages.warnings_past_cap}}}};
}

}  // namespace

std::vector<Route> program_routes(service::ProgramSettingsService& settings) {
    return {
        {"GET", "/v1/program/settings", Caller::kStaff, kAllStaff, true,
         [&settings](const HttpRequest&, const CallContext& context) {
             return answer(settings.get(context.staff->program_id), 200, settings_document);
         }},
        {"PATCH", "/v1/program/settings", Caller::kStaff, kRoleAdmin | kRoleMarketer, true,
         [&settings](const HttpRequest& request, const CallContext& context) {
             auto document = parse_json_body(request);
             if (!document) return error_response(document.error());
             const auto change = core::decode_program_settings(*document);
             if (!change) return error_response(change.error());
             return answer(settings.update(*context.staff, *change), 200, settings_document);
         }},
    };
}

}  // namespace patron::api
