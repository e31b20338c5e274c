#include "loyalty/service/insight/effectiveness_report_service.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "loyalty/core/reward_rule_ids.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/service/insight/report_scope.h"
#include "loyalty/service/posting/coupon_redemptions.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/insight/campaign_exposure_store.h"
#include "loyalty/store/program/coupon_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

// What the report needs of the campaign's published definition.
struct CampaignDefinition {
    std::string name;
    std::optional<core::Timestamp> valid_from;
    std::optional<core::Timestamp> valid_until;
    std::optional<std::int64_t> holdout_percent;
    std::vector<std::string> point_rules;  // The rule ids its points carry.
};

template <typename T>
CampaignDefinition definition_of(const T& rule, std::vector<std::string> point_rules) {
    return CampaignDefinition{rule.name, rule.valid_from, rule.valid_until,
                              rule.holdout ? std::optional(rule.holdout->percent) : std::nullopt,
                              std::move(point_rules)};
}

template <typename T>
const T* with_id(const std::vector<T>& list, const std::string& id) {
    const auto found = std::find_if(list.begin(), list.end(), [&](const T& item) { return item.id == id; });
    return found == list.end() ? nullptr : &*found;
}

// The rule of the rule set in force now with this id: an earn or bonus rule, a cashback rule or a stamp card.
std::optional<CampaignDefinition> rule_definition(soci::session& sql, long long program_id, const std::string& id,
                                                  core::Timestamp now) {
    const auto version = store::find_rule_set_version_in_force(sql, program_id, now);
    const auto record = version ? store::find_rule_set(sql, program_id, *version) : std::nullopt;
    if (!record) return std::nullopt;
    const auto rules = core::parse_rule_set(nlohmann::json::parse(record->document, nullptr, false), record->version);
    if (!rules) return std::nullopt;
    if (const auto* rule = with_id(rules->rules, id)) return definition_of(*rule, {id});
    if (const auto* rule = with_id(rules->cashback, id)) return definition_of(*rule, {});
    if (const auto* card = with_id(rules->stamp_cards, id))
        return definition_of(*card, {core::stamp_reward_rule_id(id)});
    return std::nullopt;
}

// The coupon campaign's number the id is, if it is one.
std::optional<long long> campaign_number(const std::string& id) {
    long long number = 0;
    const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), number);
    if (error != std::errc() || end != id.data() + id.size() || number <= 0) return std::nullopt;
    return number;
}

std::optional<CampaignDefinition> coupon_definition(soci::session& sql, long long program_id, const std::string& id) {
    const auto number = campaign_number(id);
    if (!number) return std::nullopt;
    const auto record = store::find_coupon_campaign(sql, program_id, *number, false);
    const auto campaign = record ? stored_coupon_campaign(*record) : std::nullopt;
    if (!campaign) return std::nullopt;
    CampaignDefinition definition{
        campaign->name, campaign->valid_from, campaign->valid_until, std::nullopt, {core::coupon_rule_id(*number)}};
    if (campaign->holdout) definition.holdout_percent = campaign->holdout->percent;
    return definition;
}

// The rule ids the points of a campaign that is not published any more may carry.
std::vector<std::string> recorded_point_rules(core::CampaignKind kind, const std::string& id) {
    if (kind == core::CampaignKind::kRule) return {id, core::stamp_reward_rule_id(id)};
    if (const auto number = campaign_number(id)) return {core::coupon_rule_id(*number)};
    return {};
}

// The report's dates when none were asked: the campaign's window to its end or today, whichever
// is first. It starts at the later of the campaign's start and its first recorded member (no
// purchase before that can count); longer than kReportDaysMax days, it keeps its latest days.
core::ReportRequest window_request(core::ReportRequest request, const CampaignDefinition& campaign,
                                   std::optional<core::Timestamp> first_exposure, const core::TimeZone& zone,
                                   core::Timestamp now) {
    const core::LocalDate today = core::local_date(zone, now);
    core::LocalDate to = today;
    if (campaign.valid_until && *campaign.valid_until <= now) to = core::last_local_date(zone, *campaign.valid_until);
    std::optional<core::Timestamp> start = campaign.valid_from;
    if (first_exposure && (!start || *first_exposure > *start)) start = first_exposure;
    core::LocalDate from = start ? core::local_date(zone, *start) : core::add_days(to, 1 - core::kReportDaysDefault);
    if (std::chrono::sys_days{from} > std::chrono::sys_days{to}) from = to;
    if (std::chrono::sys_days{to} - std::chrono::sys_days{from} >= std::chrono::days{core::kReportDaysMax}) {
        from = core::add_days(to, 1 - core::kReportDaysMax);
    }
    request.from = from;
    request.to = to;
    return request;
}

core::Result<void> check_parameters(const core::ReportRequest& request) {
    if (request.store)
        return core::fail(core::ErrorCode::kValidationFailed, "this report is not cut by store", "store");
    if (request.by_store) {
        return core::fail(core::ErrorCode::kValidationFailed, "this report is not cut by store", "by_store");
    }
    // One figure per group for the whole range: `by` may say so, and a cut into periods is refused
    // rather than answered as a total.
    if (request.by && *request.by != core::PeriodSize::kTotal) {
        return core::fail(core::ErrorCode::kValidationFailed,
                          "this report is one figure per group for the range: by is total or left out", "by");
    }
    return {};
}

}  // namespace

EffectivenessReportService::EffectivenessReportService(store::Database& database, const Clock& clock)
    : database_(database), clock_(clock) {}

core::Result<core::EffectivenessReport> EffectivenessReportService::report(const StaffIdentity& staff,
                                                                           core::CampaignKind kind,
                                                                           const std::string& id,
                                                                           const core::ReportRequest& request) {
    if (auto allowed = check_report_reader(staff); !allowed) return std::unexpected(allowed.error());
    return report_of_program(staff.program_id, kind, id, request);
}

core::Result<core::EffectivenessReport> EffectivenessReportService::report_of_program(
    long long program_id, core::CampaignKind kind, const std::string& id, const core::ReportRequest& request) {
    if (auto checked = check_parameters(request); !checked) return std::unexpected(checked.error());
    const core::Timestamp now = clock_.now();
    return database_.run_for<core::EffectivenessReport>(
        [&](soci::session& sql) -> core::Result<core::EffectivenessReport> {
            const auto definition = kind == core::CampaignKind::kRule ? rule_definition(sql, program_id, id, now)
                                                                      : coupon_definition(sql, program_id, id);
            const auto first_exposure = store::first_exposure_at(sql, program_id, kind, id);
            if (!definition && !first_exposure) {
                return core::fail(core::ErrorCode::kNotFound, "the programme has no such rule or campaign", "id");
            }
            // A rule no longer published still has its recorded members and what it gave them.
            const CampaignDefinition campaign = definition.value_or(
                CampaignDefinition{"", std::nullopt, std::nullopt, std::nullopt, recorded_point_rules(kind, id)});
            core::ReportRequest asked = request;
            if (!asked.from && !asked.to) {
                asked = window_request(request, campaign, first_exposure, *program_time_zone(sql, program_id), now);
            }
            const auto scope = settle_report_scope(sql, program_id, asked, now);
            if (!scope) return std::unexpected(scope.error());
            const core::Timestamp from = scope->starts();
            const core::Timestamp until = scope->ends();

            core::EffectivenessReport report;
            report.query = scope->query;
            report.time_zone = scope->zone->name();
            report.kind = kind;
            report.id = id;
            report.name = campaign.name;
            report.holdout_percent = campaign.holdout_percent;
            std::tie(report.targeted, report.holdout) = store::exposure_groups(sql, program_id, kind, id, from, until);
            report.cost = store::targeted_reward_cost(sql, program_id, kind, id, campaign.point_rules, from, until);
            report.cost.points_value =
                report.cost.points * store::find_points_policy(sql, program_id).point_value_minor;
            return report;
        });
}

}  // namespace patron::service
