#include "api/fraud_routes.h"

#include <nlohmann/json.hpp>

#include "api/request_body.h"

namespace patron::api {
namespace {

using nlohmann::json;

constexpr Roles kReaders = kRoleAdmin | kRoleSupport | kRoleAnalyst;
constexpr Roles kReviewers = kRoleAdmin | kRoleSupport;
constexpr int kSignalPageDefault = 50;
// A policy is a few hundred bytes; a review's note at most 500 characters.
constexpr std::size_t kFraudBodyMax = 16 * 1024;

json policy_document(const core::FraudPolicy& policy) {
    return json{{"version", policy.version}, {"policy", core::encode_fraud_policy(policy)}};
}

json signal_document(const store::SignalRecord& signal) {
    json evidence = json::parse(signal.evidence, nullptr, false);
    json document = {{"id", signal.id},
                     {"kind", core::to_string(signal.kind)},
                     {"state", core::to_string(signal.state)},
                     {"action", core::to_string(signal.action)},
                     {"member_id", signal.member_id ? json(*signal.member_id) : json(nullptr)},
                     {"purchase_id", signal.purchase_id ? json(*signal.purchase_id) : json(nullptr)},
                     {"evidence", evidence.is_discarded() ? json(nullptr) : evidence},
                     {"raised_at", time_or_null(signal.raised_at)},
                     {"reviewed_at", time_or_null(signal.reviewed_at)},
                     {"reviewed_by", signal.reviewed_at ? json(signal.reviewed_by) : json(nullptr)},
                     {"review_note", signal.reviewed_at ? json(signal.review_note) : json(nullptr)},
                     {"points_forfeited", signal.points_forfeited}};
    return document;
}

json signal_with_effects(const store::SignalRecord& signal) {
    json document = signal_document(signal);
    document["points_held"] = signal.points_held;
    // By their last four digits, as the evidence names a card: analysts read this too, and no
    // other route shows them a card's number.
    json last4 = json::array();
    for (const std::string& card : signal.blocked_cards) last4.push_back(core::card_last_four(card));
    document["blocked_cards_last4"] = last4;
    return document;
}

// The signal id the path names, handed on to `then`; NOT_FOUND when it is no id.
template <typename F>
HttpResponse with_signal_id(const HttpRequest& request, F&& then) {
    const auto id = parse_id(request.param("id"));
    if (!id) return error_response({core::ErrorCode::kNotFound, "no fraud signal with this id", "id"});
    return then(*id);
}

// GET /v1/fraud/signals?state=&kind=&member_id=&before=&limit=
core::Result<store::SignalQuery> signal_query(const HttpRequest& request) {
    store::SignalQuery query;
    const auto param = [&](const char* name) -> const std::string* {
        const auto it = request.query_params.find(name);
        return it == request.query_params.end() ? nullptr : &it->second;
    };
    if (const std::string* state = param("state")) {
        query.state = core::parse_fraud_signal_state(*state);
        if (!query.state) {
            return core::fail(core::ErrorCode::kValidationFailed, "must be open, released, confirmed or dismissed",
                              "state");
        }
    }
    if (const std::string* kind = param("kind")) {
        query.kind = core::parse_fraud_kind(*kind);
        if (!query.kind) {
            return core::fail(core::ErrorCode::kValidationFailed,
                              "must be card_velocity, redemption_after_enrolment, return_cycling, "
                              "spent_points_returned, staff_adjustment, claim_harvesting, terminal_outlier or trigger",
                              "kind");
        }
    }
    if (const std::string* member = param("member_id")) {
        query.member_id = parse_id(*member);
        if (!query.member_id) return core::fail(core::ErrorCode::kValidationFailed, "must be a member id", "member_id");
    }
    const auto window =
        page_window(request, kSignalPageDefault, service::kFraudSignalsPageMax, "a signal id from next_before");
    if (!window) return std::unexpected(window.error());
    if (window->before > 0) query.before_id = window->before;
    query.limit = window->limit;
    return query;
}

}  // namespace

std::vector<Route> fraud_routes(service::FraudService& fraud) {
    return {
        {"GET", "/v1/fraud/policy", Caller::kStaff, kReaders, true,
         [&fraud](const HttpRequest&, const CallContext& context) {
             return answer(fraud.policy(*context.staff), 200, policy_document);
         }},
        {"PUT", "/v1/fraud/policy", Caller::kStaff, kRoleAdmin, true,
         [&fraud](const HttpRequest& request, const CallContext& context) {
             return with_request(request, core::decode_fraud_policy, [&](const core::FraudPolicy& policy) {
                 return answer(fraud.set_policy(*context.staff, policy), 200, policy_document);
             });
         },
         Expense::kOrdinary, kFraudBodyMax},
        {"GET", "/v1/fraud/signals", Caller::kStaff, kReaders, true,
         [&fraud](const HttpRequest& request, const CallContext& context) {
             const auto query = signal_query(request);
             if (!query) return error_response(query.error());
             return answer(fraud.signals(*context.staff, *query), 200, [](const service::FraudSignalPage& page) {
                 json list = json::array();
                 for (const store::SignalRecord& signal : page.signals) list.push_back(signal_document(signal));
                 return json{{"signals", list},
                             {"next_before", page.next_before ? json(*page.next_before) : json(nullptr)}};
             });
         }},
        {"GET", "/v1/fraud/signals/:id", Caller::kStaff, kReaders, true,
         [&fraud](const HttpRequest& request, const CallContext& context) {
             return with_signal_id(request, [&](long long id) {
                 return answer(fraud.signal(*context.staff, id), 200, signal_with_effects);
             });
         }},
        {"POST", "/v1/fraud/signals/:id/review", Caller::kStaff, kReviewers, true,
         [&fraud](const HttpRequest& request, const CallContext& context) {
             return with_signal_id(request, [&](long long id) {
                 return with_request(request, core::decode_fraud_review, [&](const core::FraudReview& review) {
                     return answer(fraud.review(*context.staff, id, review), 200, signal_with_effects);
                 });
             });
         },
         Expense::kOrdinary, kFraudBodyMax},
    };
}

}  // namespace patron::api
