#include "loyalty/service/insight/rewards_report_service.h"

#include "loyalty/core/rule_document.h"
#include "loyalty/service/insight/report_scope.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::RewardKind;

// Names from every published version, the newest naming an entry last; the entries of the
// version in force and the published campaigns are listed even when they gave nothing.
void name_sources(soci::session& sql, long long program_id, core::Timestamp now, core::RewardsReportInputs& inputs) {
    const auto in_force = store::find_rule_set_version_in_force(sql, program_id, now);
    for (const auto& [version, text] : store::rule_set_documents(sql, program_id)) {
        const auto names = core::rule_document_names(core::RuleDocument::stored(text).as_json());
        for (const auto& [source, name] : names) {
            inputs.names[source] = name;
            if (version == in_force) inputs.listed.push_back(source);
        }
    }
    for (const store::CampaignName& campaign : store::coupon_campaign_names(sql, program_id)) {
        const core::RewardSource source{RewardKind::kCouponCampaign, std::to_string(campaign.id)};
        inputs.names[source] = campaign.name;
        if (campaign.status == "published") inputs.listed.push_back(source);
    }
}

}  // namespace

RewardsReportService::RewardsReportService(store::Database& database, const Clock& clock, store::LedgerReading reading)
    : database_(database), clock_(clock), reading_(reading) {}

core::Result<core::RewardsReport> RewardsReportService::report(const StaffIdentity& staff,
                                                               const core::ReportRequest& request) {
    if (auto allowed = check_report_reader(staff); !allowed) return std::unexpected(allowed.error());
    return report_of_program(staff.program_id, request);
}

core::Result<core::RewardsReport> RewardsReportService::report_of_program(long long program_id,
                                                                          const core::ReportRequest& request) {
    const core::Timestamp now = clock_.now();
    return database_.transact_for<core::RewardsReport>([&](soci::session& sql) -> core::Result<core::RewardsReport> {
        const auto scope = settle_report_scope(sql, program_id, request, now);
        if (!scope) return std::unexpected(scope.error());
        core::RewardsReportInputs inputs;
        inputs.query = scope->query;
        inputs.time_zone = scope->zone->name();
        inputs.currency = scope->currency;
        inputs.point_value_minor = store::find_points_policy(sql, program_id).point_value_minor;
        inputs.store_codes = scope->store_codes;
        name_sources(sql, program_id, now, inputs);
        const store::RewardWindow window{.program_id = program_id,
                                         .start = scope->starts(),
                                         .end = scope->ends(),
                                         .first_day = scope->query.from,
                                         .last_day = scope->query.to,
                                         .time_zone = scope->zone->name()};
        store::read_points_rewards(sql, window, inputs, reading_);
        store::read_cashback_rewards(sql, window, inputs, reading_);
        store::read_coupon_rewards(sql, window, inputs);
        store::read_stamp_rewards(sql, window, inputs);
        return core::build_rewards_report(inputs);
    });
}

}  // namespace patron::service
