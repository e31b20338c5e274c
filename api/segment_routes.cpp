#include "api/segment_routes.h"

#include <array>
#include <nlohmann/json.hpp>

#include "api/request_body.h"
#include "loyalty/core/member_profile.h"

namespace patron::api {
namespace {

using nlohmann::json;

constexpr Roles kSegmentWriters = kRoleAdmin | kRoleMarketer;
constexpr Roles kSegmentReaders = kRoleAdmin | kRoleMarketer | kRoleAnalyst;
// A definition is a few hundred bytes; a larger body would only make every member's test dearer.
constexpr std::size_t kSegmentBodyMax = 64 * 1024;

json encode_segment(const service::SegmentView& view) {
    const store::SegmentRecord& record = view.record;
    return {{"code", record.code},
            {"name", record.name},
            {"conditions", json::parse(record.conditions, nullptr, false)},
            {"created_at", time_or_null(record.created_at)},
            {"changed_at", time_or_null(record.changed_at)},
            {"changed_by", record.changed_by},
            {"membership",
             {{"computed_at", time_or_null(record.computed_at)},
              {"members", record.members ? json(*record.members) : json(nullptr)},
              {"pending", view.pending()}}}};
}

json encode_count(const service::SegmentCount& count) {
    static constexpr std::array<const char*, 3> kBases{"every_member", "sample", "last_refresh"};
    json problem = nullptr;
    if (count.definition_problem) {
        problem = {{"field", count.definition_problem->field}, {"message", count.definition_problem->message}};
    }
    return {{"members", count.members},
            {"scanned", count.scanned},
            {"today", core::format_date(count.today)},
            {"profiles_unopened", count.profiles_unopened},
            {"active_members", count.active_members},
            {"basis", kBases.at(static_cast<std::size_t>(count.basis))},
            {"computed_at", time_or_null(count.computed_at)},
            {"definition_problem", problem}};
}

}  // namespace

std::vector<Route> segment_routes(service::SegmentService& segments) {
    return {
        {"POST", "/v1/segments", Caller::kStaff, kSegmentWriters, true,
         [&segments](const HttpRequest& request, const CallContext& context) {
             return with_request(
                 request, [](const json& document) { return core::decode_segment_document(document); },
                 [&](const core::SegmentDocument& segment) {
                     return answer(segments.create(*context.staff, segment), 201, encode_segment);
                 });
         },
         Expense::kOrdinary, kSegmentBodyMax},
        {"GET", "/v1/segments", Caller::kStaff, kSegmentReaders, true,
         [&segments](const HttpRequest&, const CallContext& context) {
             return answer(segments.list(*context.staff), 200, [](const std::vector<service::SegmentView>& all) {
                 json list = json::array();
                 for (const service::SegmentView& view : all) list.push_back(encode_segment(view));
                 return json{{"segments", list}};
             });
         }},
        {"POST", "/v1/segments/preview", Caller::kStaff, kSegmentReaders, true,
         [&segments](const HttpRequest& request, const CallContext& context) {
             std::string code;  // A saved segment's editor previews it: its trigger additions count.
             return with_request(
                 request,
                 [&](const json& document) {
                     if (const auto it = document.find("code"); it != document.end() && it->is_string()) {
                         code = it->get<std::string>();
                     }
                     return core::decode_segment_preview(document);
                 },
                 [&](const core::SegmentConditions& conditions) {
                     return answer(segments.count(*context.staff, conditions, code), 200, encode_count);
                 });
         },
         Expense::kOrdinary, kSegmentBodyMax},
        {"GET", "/v1/segments/:code", Caller::kStaff, kSegmentReaders, true,
         [&segments](const HttpRequest& request, const CallContext& context) {
             return answer(segments.get(*context.staff, request.param("code")), 200, encode_segment);
         }},
        {"PUT", "/v1/segments/:code", Caller::kStaff, kSegmentWriters, true,
         [&segments](const HttpRequest& request, const CallContext& context) {
             const std::string code = request.param("code");
             return with_request(
                 request, [&](const json& document) { return core::decode_segment_document(document, code); },
                 [&](const core::SegmentDocument& segment) {
                     return answer(segments.replace(*context.staff, code, segment), 200, encode_segment);
                 });
         },
         Expense::kOrdinary, kSegmentBodyMax},
        {"DELETE", "/v1/segments/:code", Caller::kStaff, kSegmentWriters, true,
         [&segments](const HttpRequest& request, const CallContext& context) {
             return no_content(segments.remove(*context.staff, request.param("code")));
         }},
        {"GET", "/v1/segments/:code/count", Caller::kStaff, kSegmentReaders, true,
         [&segments](const HttpRequest& request, const CallContext& context) {
             return answer(segments.count_of(*context.staff, request.param("code")), 200, encode_count);
         }},
    };
}

}  // namespace patron::api
