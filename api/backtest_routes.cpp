#include "api/backtest_routes.h"

#include <nlohmann/json.hpp>

#include "loyalty/core/member_profile.h"

namespace patron::api {
namespace {

using core::ErrorCode;
using core::fail;
using nlohmann::json;

// How long a POST waits for its job before answering 202: most windows are rated by then.
constexpr std::chrono::milliseconds kAnswerWithin{2000};
// How long a DELETE waits for the job to stop (it stops between chunks of 1,000 purchases).
constexpr std::chrono::milliseconds kCancelWithin{2000};

constexpr const char* kJobsPath = "/v1/program/rules/draft/backtests/";

// {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}, either left out; an empty body is {}.
core::Result<service::BacktestRequest> decode_request(const HttpRequest& request) {
    service::BacktestRequest decoded;
    if (request.body.empty()) return decoded;
    auto document = parse_json_body(request);
    if (!document) return std::unexpected(document.error());
    if (!document->is_object()) return fail(ErrorCode::kValidationFailed, "must be a JSON object", "$");
    for (const auto& [name, value] : document->items()) {
        if (name != "from" && name != "to")
            return fail(ErrorCode::kValidationFailed, "unknown field", name,
                        core::reason(core::ReasonKind::kUnknownField));
        if (value.is_null()) continue;
        const auto date = value.is_string() ? core::parse_date(value.get<std::string>()) : std::nullopt;
        if (!date) return fail(ErrorCode::kValidationFailed, "must be a date (YYYY-MM-DD)", name);
        (name == "from" ? decoded.from : decoded.to) = *date;
    }
    return decoded;
}

json encode_job(const service::BacktestJobView& job) {
    json encoded = {{"id", job.id},
                    {"state", service::backtest_state_name(job.state)},
                    {"progress", {{"rated", job.rated}, {"total", job.total}}},
                    {"started_by", job.started_by},
                    {"started_at", time_or_null(job.started_at)},
                    {"finished_at", time_or_null(job.finished_at)}};
    if (job.report) encoded["result"] = core::backtest_json(*job.report);
    if (job.error) {
        encoded["error"] = {{"code", core::code_name(job.error->code)},
                            {"message", job.error->message},
                            {"field", job.error->field.empty() ? json(nullptr) : json(job.error->field)}};
    }
    return encoded;
}

// 200 with the job when it ended, 202 with where to follow it while it runs.
HttpResponse started(const core::Result<service::BacktestJobView>& job) {
    if (!job) return error_response(job.error());
    if (job->state != service::BacktestState::kRunning) return json_response(200, encode_job(*job));
    HttpResponse response = json_response(202, encode_job(*job));
    response.headers.emplace_back("Location", kJobsPath + job->id);
    return response;
}

}  // namespace

std::vector<Route> backtest_routes(service::BacktestService& backtests) {
    return {
        {"POST", "/v1/program/rules/draft/backtest", Caller::kStaff, kRoleAdmin | kRoleMarketer, true,
         [&backtests](const HttpRequest& request, const CallContext& context) {
             const auto decoded = decode_request(request);
             if (!decoded) return error_response(decoded.error());
             return started(backtests.start(*context.staff, *decoded, kAnswerWithin));
         }},
        {"GET", "/v1/program/rules/draft/backtests/:id", Caller::kStaff, kRoleAdmin | kRoleMarketer | kRoleAnalyst,
         true,
         [&backtests](const HttpRequest& request, const CallContext& context) {
             return answer(backtests.job(*context.staff, request.param("id")), 200, encode_job);
         }},
        {"DELETE", "/v1/program/rules/draft/backtests/:id", Caller::kStaff, kRoleAdmin | kRoleMarketer, true,
         [&backtests](const HttpRequest& request, const CallContext& context) {
             return answer(backtests.cancel(*context.staff, request.param("id"), kCancelWithin), 200, encode_job);
         }},
    };
}

}  // namespace patron::api
