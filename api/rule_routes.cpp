#include "api/rule_routes.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "loyalty/core/time.h"
#include "pos-adapter/document_fields.h"
#include "pos-adapter/purchase_answer.h"
#include "pos-adapter/purchase_document.h"

namespace patron::api {
namespace {

using core::ErrorCode;
using core::fail;
using nlohmann::json;

json encode_draft(const service::DraftView& draft) {
    return {{"document", draft.document.as_json()},
            {"based_on_version", draft.based_on_version ? json(*draft.based_on_version) : json(nullptr)},
            {"updated_by", draft.updated_by ? json(*draft.updated_by) : json(nullptr)},
            {"updated_at", time_or_null(draft.updated_at)}};
}

// The draft a client says it read (If-Match): its updated_at as the API wrote it, or "none",
// quoted as an entity tag or not; no header, no precondition.
std::optional<std::string> draft_read(const HttpRequest& request) {
    auto tag = request.header("if-match");
    if (!tag) return std::nullopt;
    std::string_view text = *tag;
    if (text.starts_with("W/")) text.remove_prefix(2);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
    return std::string(text);
}

json encode_summary(const store::RuleSetSummary& summary) {
    return {{"version", summary.version},
            {"effective_from", time_or_null(summary.effective_from)},
            {"published_at", time_or_null(summary.published_at)},
            {"published_by", summary.published_by},
            {"note", summary.note}};
}

json encode_version(const service::RuleSetVersion& version) {
    json encoded = encode_summary(version.summary);
    encoded["document"] = version.document.as_json();
    return encoded;
}

json encode_preview(const service::PreviewResult& preview) {
    json coupons = json::array();
    for (const core::CouponDiscount& coupon : preview.coupons) {
        coupons.push_back({{"code", coupon.code},
                           {"campaign_id", coupon.campaign_id},
                           {"discount", coupon.discount},
                           {"bonus_points", coupon.bonus_points}});
    }
    return {{"rule_set", "draft"},
            {"based_on_version", preview.based_on_version ? json(*preview.based_on_version) : json(nullptr)},
            {"member", preview.member_id ? json{{"id", *preview.member_id},
                                                {"tier", preview.tier},
                                                {"points_available", preview.points_available}}
                                         : json(nullptr)},
            {"points",
             {{"earned", preview.outcome.points_earned()},
              {"redeemed", preview.outcome.points_redeemed()},
              {"redeemed_value", preview.outcome.redeemed_value()}}},
            {"cashback", {{"earned", preview.outcome.cashback_earned()}, {"spent", preview.outcome.cashback_spent()}}},
            {"stamps", pos::encode_stamps(preview.stamps)},
            {"coupons", {{"discount", preview.outcome.coupon_discount()}, {"redeemed", coupons}}},
            {"effects", pos::encode_effects(preview.outcome.effects, true)},
            {"receipt_lines", preview.receipt_lines}};
}

// {"effective_from": RFC 3339, "note": "…", ["version": N]}; an empty body is {}.
core::Result<service::PublishRequest> decode_publish(const HttpRequest& request) {
    service::PublishRequest publish;
    if (request.body.empty()) return publish;
    auto document = parse_json_body(request);
    if (!document) return std::unexpected(document.error());
    if (!document->is_object()) return fail(ErrorCode::kValidationFailed, "must be a JSON object", "$");
    if (const auto it = document->find("effective_from"); it != document->end() && !it->is_null()) {
        const auto at = it->is_string() ? pos::parse_rfc3339(it->get<std::string>()) : std::nullopt;
        if (!at) {
            return fail(ErrorCode::kValidationFailed, "must be an RFC 3339 time with an offset", "effective_from",
                        core::reason(core::ReasonKind::kInstant));
        }
        publish.effective_from = at->utc;
    }
    if (const auto it = document->find("note"); it != document->end() && !it->is_null()) {
        if (!it->is_string())
            return fail(ErrorCode::kValidationFailed, "must be a string", "note",
                        core::reason(core::ReasonKind::kWrongType));
        publish.note = it->get<std::string>();
    }
    return publish;
}

std::optional<int> parse_version(const std::string& text) {
    int version = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), version);
    if (error != std::errc() || end != text.data() + text.size() || version <= 0) return std::nullopt;
    return version;
}

// One entry of a draft list, added or replaced by its id (PUT) or removed (DELETE).
Route entry_put(const char* path, service::RuleService& rules, core::RuleList list) {
    return {"PUT",
            path,
            Caller::kStaff,
            kRoleAdmin | kRoleMarketer,
            true,
            [&rules, list](const HttpRequest& request, const CallContext& context) {
                auto document = parse_json_body(request);
                if (!document) return error_response(document.error());
                const auto entry = core::RuleEntry::read(*document, request.param("id"));
                if (!entry) return error_response(entry.error());
                return answer(rules.put_entry(*context.staff, list, *entry), 200, encode_draft);
            }};
}

Route entry_delete(const char* path, service::RuleService& rules, core::RuleList list) {
    return {"DELETE",
            path,
            Caller::kStaff,
            kRoleAdmin | kRoleMarketer,
            true,
            [&rules, list](const HttpRequest& request, const CallContext& context) {
                return answer(rules.delete_entry(*context.staff, list, request.param("id")), 200, encode_draft);
            }};
}

}  // namespace

std::vector<Route> rule_routes(service::RuleService& rules) {
    return {
        {"GET", "/v1/program/rules/draft", Caller::kStaff, kRoleAdmin | kRoleMarketer, true,
         [&rules](const HttpRequest&, const CallContext& context) {
             return answer(rules.draft(context.staff->program_id), 200, encode_draft);
         }},
        {"PUT", "/v1/program/rules/draft", Caller::kStaff, kRoleAdmin | kRoleMarketer, true,
         [&rules](const HttpRequest& request, const CallContext& context) {
             auto document = parse_json_body(request);
             if (!document) return error_response(document.error());
             return answer(
                 rules.replace_draft(*context.staff, core::RuleDocument(std::move(*document)), draft_read(request)),
                 200, encode_draft);
         }},
        {"DELETE", "/v1/program/rules/draft", Caller::kStaff, kRoleAdmin | kRoleMarketer, true,
         [&rules](const HttpRequest&, const CallContext& context) {
             return no_content(rules.discard_draft(*context.staff));
         }},
        entry_put("/v1/program/rules/draft/rules/:id", rules, core::RuleList::kRules),
        entry_delete("/v1/program/rules/draft/rules/:id", rules, core::RuleList::kRules),
        entry_put("/v1/program/rules/draft/cashback/:id", rules, core::RuleList::kCashback),
        entry_delete("/v1/program/rules/draft/cashback/:id", rules, core::RuleList::kCashback),
        entry_put("/v1/program/rules/draft/stamp-cards/:id", rules, core::RuleList::kStampCards),
        entry_delete("/v1/program/rules/draft/stamp-cards/:id", rules, core::RuleList::kStampCards),
        {"POST", "/v1/program/rules/draft/preview", Caller::kStaff, kRoleAdmin | kRoleMarketer, true,
         [&rules](const HttpRequest& request, const CallContext& context) {
             auto document = parse_json_body(request);
             if (!document) return error_response(document.error());
             if (!document->is_object() || !document->contains("purchase")) {
                 return error_response(
                     {ErrorCode::kValidationFailed, "must hold the basket as a purchase document", "purchase"});
             }
             auto basket = pos::decode_purchase((*document)["purchase"]);
             if (!basket) {
                 core::Error error = basket.error();
                 error.field = error.field.empty() || error.field == "$" ? "purchase" : "purchase." + error.field;
                 return error_response(error);
             }
             std::optional<long long> member;
             if (const auto it = document->find("member_id"); it != document->end() && !it->is_null()) {
                 if (!it->is_number_integer() || it->get<long long>() <= 0) {
                     return error_response(
                         {ErrorCode::kValidationFailed, "must be a member id (a positive whole number)", "member_id"});
                 }
                 member = it->get<long long>();
             }
             return answer(rules.preview(context.staff->program_id, *basket, member), 200, encode_preview);
         }},
        {"POST", "/v1/program/rules/publish", Caller::kStaff, kRoleAdmin | kRoleMarketer, true,
         [&rules](const HttpRequest& request, const CallContext& context) {
             auto publish = decode_publish(request);
             if (!publish) return error_response(publish.error());
             return answer(rules.publish(*context.staff, *publish, draft_read(request)), 201, encode_version);
         }},
        {"POST", "/v1/program/rules/versions/:version/rollback", Caller::kStaff, kRoleAdmin | kRoleMarketer, true,
         [&rules](const HttpRequest& request, const CallContext& context) {
             const auto version = parse_version(request.param("version"));
             if (!version) return error_response({ErrorCode::kNotFound, "no such version", "version"});
             auto publish = decode_publish(request);
             if (!publish) return error_response(publish.error());
             return answer(rules.rollback(*context.staff, *version, *publish), 201, encode_version);
         }},
        {"GET", "/v1/program/rules/versions", Caller::kStaff, kRoleAdmin | kRoleMarketer | kRoleAnalyst, true,
         [&rules](const HttpRequest&, const CallContext& context) {
             return answer(rules.versions(context.staff->program_id), 200,
                           [](const std::vector<store::RuleSetSummary>& list) {
                               json versions = json::array();
                               for (const auto& summary : list) versions.push_back(encode_summary(summary));
                               return json{{"versions", versions}};
                           });
         }},
        {"GET", "/v1/program/rules/versions/:version", Caller::kStaff, kRoleAdmin | kRoleMarketer | kRoleAnalyst, true,
         [&rules](const HttpRequest& request, const CallContext& context) {
             const auto version = parse_version(request.param("version"));
             if (!version) return error_response({ErrorCode::kNotFound, "no such version", "version"});
             return answer(rules.version(context.staff->program_id, *version), 200, encode_version);
         }},
    };
}

}  // namespace patron::api
