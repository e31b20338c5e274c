#include "api/coupon_routes.h"

#include <nlohmann/json.hpp>

#include "api/request_body.h"
#include "loyalty/core/csv_writer.h"

namespace patron::api {
namespace {

using core::ErrorCode;
using nlohmann::json;

constexpr Roles kCampaignWriters = kRoleAdmin | kRoleMarketer;
constexpr Roles kCampaignReaders = kRoleAdmin | kRoleMarketer | kRoleAnalyst;

json campaign_document(const store::CouponCampaignRecord& campaign) {
    json document = {{"id", campaign.id},
                     {"name", campaign.name},
                     {"status", campaign.status},
                     {"version", campaign.version},
                     {"redemptions", campaign.redemptions},
                     {"budget_used", campaign.budget_used},
                     {"campaign", json::parse(campaign.document, nullptr, false)}};
    return document;
}

json code_document(const store::CouponCodeRecord& code) {
    return {{"code", code.code},
            {"campaign_id", code.campaign_id},
            {"single_use", code.single_use},
            {"member_id", code.member_id ? json(*code.member_id) : json(nullptr)},
            {"redemptions", code.redemptions}};
}

template <typename F>
HttpResponse with_id(const HttpRequest& request, F&& then) {
    const auto id = parse_id(request.param("id"));
    if (!id) return error_response({ErrorCode::kNotFound, "no coupon campaign with this id", "id"});
    return then(*id);
}

template <typename Decode, typename F>
HttpResponse with_id_and_body(const HttpRequest& request, Decode&& decode, F&& then) {
    return with_id(request, [&](long long id) {
        return with_request(request, decode, [&](const auto& decoded) { return then(id, decoded); });
    });
}

}  // namespace

std::string coupon_codes_csv(const std::vector<store::CouponCodeRecord>& codes) {
    core::CsvWriter csv;
    for (const char* heading : {"code", "campaign_id", "single_use", "member_id", "redemptions"}) csv.text(heading);
    csv.end_row();
    for (const store::CouponCodeRecord& code : codes) {
        csv.text(code.code).number(code.campaign_id).text(code.single_use ? "true" : "false");
        csv.number_or_blank(code.member_id).number(code.redemptions).end_row();
    }
    return csv.csv();
}

std::vector<Route> coupon_routes(service::CouponCampaignService& coupons) {
    return {
        {"POST", "/v1/coupon-campaigns", Caller::kStaff, kCampaignWriters, true,
         [&coupons](const HttpRequest& request, const CallContext& context) {
             return with_request(request, core::decode_coupon_campaign_document,
                                 [&](const core::CouponCampaignDocument& campaign) {
                                     return answer(coupons.create(*context.staff, campaign), 201, campaign_document);
                                 });
         }},
        {"GET", "/v1/coupon-campaigns", Caller::kStaff, kCampaignReaders, true,
         [&coupons](const HttpRequest&, const CallContext& context) {
             return answer(coupons.list(*context.staff), 200, [](const std::vector<store::CouponCampaignRecord>& all) {
                 json list = json::array();
                 for (const auto& campaign : all) {
                     json item = campaign_document(campaign);
                     item["codes"] = campaign.codes;
                     list.push_back(std::move(item));
                 }
                 return json{{"campaigns", list}};
             });
         }},
        {"GET", "/v1/coupon-campaigns/:id", Caller::kStaff, kCampaignReaders, true,
         [&coupons](const HttpRequest& request, const CallContext& context) {
             return with_id(request, [&](long long id) {
                 return answer(coupons.get(*context.staff, id), 200, campaign_document);
             });
         }},
        {"PUT", "/v1/coupon-campaigns/:id", Caller::kStaff, kCampaignWriters, true,
         [&coupons](const HttpRequest& request, const CallContext& context) {
             return with_id_and_body(request, core::decode_coupon_campaign_document,
                                     [&](long long id, const core::CouponCampaignDocument& campaign) {
                                         return answer(coupons.replace(*context.staff, id, campaign), 200,
                                                       campaign_document);
                                     });
         }},
        {"POST", "/v1/coupon-campaigns/:id/publish", Caller::kStaff, kCampaignWriters, true,
         [&coupons](const HttpRequest& request, const CallContext& context) {
             return with_id(request, [&](long long id) {
                 return answer(coupons.publish(*context.staff, id), 200, campaign_document);
             });
         }},
        {"POST", "/v1/coupon-campaigns/:id/end", Caller::kStaff, kCampaignWriters, true,
         [&coupons](const HttpRequest& request, const CallContext& context) {
             return with_id(request, [&](long long id) {
                 return answer(coupons.end(*context.staff, id), 200, campaign_document);
             });
         }},
        {"POST", "/v1/coupon-campaigns/:id/codes", Caller::kStaff, kCampaignWriters, true,
         [&coupons](const HttpRequest& request, const CallContext& context) {
             return with_id_and_body(
                 request, core::decode_coupon_codes_request, [&](long long id, const core::CouponCodesRequest& codes) {
                     return answer(coupons.add_codes(*context.staff, id, codes), 201, [](long long added) {
                         return json{{"added", added}};
                     });
                 });
         }},
        {"POST", "/v1/coupon-campaigns/:id/issuance", Caller::kStaff, kCampaignWriters, true,
         [&coupons](const HttpRequest& request, const CallContext& context) {
             return with_id_and_body(
                 request, core::decode_segment_issuance, [&](long long id, const core::SegmentIssuance& issuance) {
                     return answer(coupons.issue_to_segment(*context.staff, id, issuance), 200,
                                   [&](const service::SegmentIssued& issued) {
                                       return json{
                                           {"segment", issuance.segment},
                                           {"issued", issued.issued},
                                           {"held_out", issued.held_out},
                                           {"more", issued.more},
                                           {"membership_computed_at", time_or_null(issued.membership_computed_at)}};
                                   });
                 });
         }},
        {"GET", "/v1/coupon-campaigns/:id/codes", Caller::kStaff, kCampaignReaders, true,
         [&coupons](const HttpRequest& request, const CallContext& context) {
             return with_id(request, [&](long long id) {
                 const auto codes = coupons.codes(*context.staff, id);
                 if (!codes) return error_response(codes.error());
                 return HttpResponse{
                     200,
                     coupon_codes_csv(*codes),
                     "text/csv; charset=utf-8",
                     {{"Content-Disposition", "attachment; filename=\"coupon-codes-" + std::to_string(id) + ".csv\""}},
                     {}};
             });
         }},
        {"POST", "/v1/coupon-codes/:code/assignment", Caller::kStaff, kRoleAdmin | kRoleMarketer | kRoleSupport, true,
         [&coupons](const HttpRequest& request, const CallContext& context) {
             return with_request(request, core::decode_coupon_assignment,
                                 [&](const core::CouponAssignment& assignment) {
                                     return answer(coupons.assign(*context.staff, request.param("code"), assignment),
                                                   200, code_document);
                                 });
         }},
    };
}

}  // namespace patron::api
