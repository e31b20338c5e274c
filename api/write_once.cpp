#include "api/write_once.h"

#include <nlohmann/json.hpp>
#include <set>

#include "crypto/digest.h"

namespace patron::api {
namespace {

// Whom the key belongs to: a staff account, a member, or a patronctl token (by its label).
std::string caller_of(const CallContext& context) {
    if (context.member) return "member:" + std::to_string(context.member->member_id);
    if (context.staff && context.staff->staff_user_id) return "staff:" + std::to_string(*context.staff->staff_user_id);
    const std::string label = context.staff ? context.staff->label : "";
    return "program:" + std::to_string(context.staff ? context.staff->program_id : 0) + ":" +
           crypto::to_hex(crypto::sha256(crypto::as_bytes(label))).substr(0, 16);
}

// The member an answer is about, so that her erasure removes it: the path's, the answer's own
// (an enrolment), or the one it names (a card's).
std::optional<long long> member_of(const Route& route, const HttpRequest& request, const HttpResponse& response) {
    if (route.path.starts_with("/v1/members/:id")) {
        const auto id = request.params.find("id");
        if (id != request.params.end()) {
            try {
                return std::stoll(id->second);
            } catch (const std::exception&) {
                return std::nullopt;
            }
        }
    }
    const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
    if (!body.is_object()) return std::nullopt;
    if (route.path == "/v1/members" && body.contains("id") && body["id"].is_number_integer()) {
        return body["id"].get<long long>();
    }
    if (body.contains("member_id") && body["member_id"].is_number_integer()) return body["member_id"].get<long long>();
    return std::nullopt;
}

}  // namespace

bool keeps_answers(const Route& route) {
    static const std::set<std::string> kNot = {"DELETE /v1/staff/sessions/current",
                                               "DELETE /v1/me/sessions/current",
                                               "POST /v1/program/rules/draft/preview",
                                               "POST /v1/segments/preview",
                                               "POST /v1/program/rules/draft/backtest",
                                               "DELETE /v1/program/rules/draft/backtests/:id",
                                               "POST /v1/coupon-campaigns/:id/issuance",
                                               "DELETE /v1/segments/:code"};
    if (route.caller != Caller::kStaff && route.caller != Caller::kMember) return false;
    // A route that hashes a password counts failed attempts and holds no connection while it
    // hashes; one whose work is committed in chunks must not become one long transaction.
    if (route.expense == Expense::kHashesPassword) return false;
    if (route.method != "POST" && route.method != "PUT" && route.method != "PATCH" && route.method != "DELETE") {
        return false;
    }
    return !kNot.contains(route.method + " " + route.path);
}

HttpResponse answer_once(service::WriteOnceService& writes, const Route& route, const HttpRequest& request,
                         const CallContext& context, const std::string& key) {
    // A JSON body in canonical form, so that a retry with other whitespace or key order is the
    // same request; read with the bounds every body is (depth, size, keys twice), else as it came.
    const auto parsed = request.body.empty() ? core::Result<nlohmann::json>(nlohmann::json(nullptr))
                                             : parse_json_body(request);
    const std::string request_text = request.method + "\n" + request.path + "\n" + request.query + "\n" +
                                     (parsed ? parsed->dump() : request.body);
    HttpResponse fresh;
    const auto outcome = writes.once(caller_of(context), key, request_text, [&] {
        fresh = route.handler(request, context);
        return service::KeptAnswer{fresh.status, fresh.content_type, fresh.headers, fresh.body,
                                   member_of(route, request, fresh)};
    });
    if (!outcome) return error_response(outcome.error());
    if (!outcome->replayed) return fresh;
    HttpResponse again{outcome->answer.status, outcome->answer.body, outcome->answer.content_type,
                       outcome->answer.headers, std::nullopt};
    again.headers.emplace_back("Idempotent-Replayed", "true");
    return again;
}

}  // namespace patron::api
