#include "api/tier_routes.h"

#include <nlohmann/json.hpp>

#include "api/member_routes.h"
#include "loyalty/core/time.h"

namespace patron::api {
namespace {

using nlohmann::json;

json encode_policy(const core::TierPolicy& policy) {
    json document = core::tier_policy_document(policy);
    document["version"] = policy.version;
    return document;
}

json encode_member_tier(const service::MemberTierView& view) {
    const core::TierProgress& progress = view.progress;
    json history = json::array();
    for (const store::TierHistoryEntry& entry : view.history) {
        history.push_back({{"from", entry.from},
                           {"to", entry.to},
                           {"reason", entry.reason},
                           {"progress", entry.progress},
                           {"secured_until", time_or_null(entry.secured_until)},
                           {"at", time_or_null(entry.at)}});
    }
    json next = nullptr;
    if (progress.next_tier) {
        next = {{"name", *progress.next_tier}, {"missing", progress.missing}, {"by", time_or_null(progress.next_by)}};
    }
    return {{"tier", {{"name", progress.tier}, {"secured_until", time_or_null(progress.secured_until)}}},
            {"progress", {{"measure", core::measure_name(view.measure)}, {"value", progress.value}, {"next", next}}},
            {"history", history}};
}

}  // namespace

std::vector<Route> tier_routes(service::TierService& tiers) {
    return {
        {"GET", "/v1/program/tiers", Caller::kStaff, kAllStaff, true,
         [&tiers](const HttpRequest&, const CallContext& context) {
             return answer(tiers.policy(context.staff->program_id), 200, encode_policy);
         }},
        {"PUT", "/v1/program/tiers", Caller::kStaff, kRoleAdmin | kRoleMarketer, true,
         [&tiers](const HttpRequest& request, const CallContext& context) {
             auto document = parse_json_body(request);
             if (!document) return error_response(document.error());
             const auto policy = core::decode_tier_policy(*document);
             if (!policy) return error_response(policy.error());
             return answer(tiers.set_policy(*context.staff, *policy), 200, encode_policy);
         }},
        {"DELETE", "/v1/program/tiers", Caller::kStaff, kRoleAdmin | kRoleMarketer, true,
         [&tiers](const HttpRequest&, const CallContext& context) {
             return no_content(tiers.remove_policy(*context.staff));
         }},
        {"GET", "/v1/members/:id/tier", Caller::kStaff, kRoleAdmin | kRoleMarketer | kRoleSupport, true,
         [&tiers](const HttpRequest& request, const CallContext& context) {
             const auto id = parse_id(request.param("id"));
             if (!id) return error_response({core::ErrorCode::kMemberNotFound, "no member with this id", "id"});
             return answer(tiers.member_tier(context.staff->program_id, *id), 200, encode_member_tier);
         }},
    };
}

}  // namespace patron::api
