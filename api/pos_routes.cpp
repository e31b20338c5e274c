#include "api/pos_routes.h"

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "loyalty/core/member_profile.h"
#include "pos-adapter/purchase_answer.h"
#include "pos-adapter/purchase_document.h"
#include "pos-adapter/return_document.h"

namespace patron::api {
namespace {

using nlohmann::json;

json encode_card_holder(const service::CardHolder& holder) {
    return {{"number", holder.card_number},
            {"state", holder.card_state},
            {"member",
             {{"id", holder.balance.member_id}, {"masked_name", holder.masked_name}, {"tier", holder.balance.tier}}},
            {"points", {{"available", holder.balance.points_available}, {"pending", holder.balance.points_pending}}},
            {"cashback", {{"amount", holder.balance.cashback_amount}, {"currency", holder.balance.currency}}}};
}

// The body decoded as a purchase document, handed to `then`; or the JSON error.
template <typename F>
HttpResponse with_purchase(const HttpRequest& request, F&& then) {
    auto document = parse_json_body(request);
    if (!document) return error_response(document.error());
    auto purchase = pos::decode_purchase(*document);
    if (!purchase) return error_response(purchase.error());
    return then(*purchase);
}

HttpResponse commit_response(const core::Result<service::CommitOutcome>& outcome) {
    if (!outcome) return error_response(outcome.error());
    HttpResponse response{outcome->status, outcome->body, "application/json", {}, {}};
    if (outcome->replayed) response.headers.emplace_back("Idempotent-Replayed", "true");
    return response;
}

// POST /v1/pos/returns and /v1/pos/voids: the same service, two document shapes.
Route return_route(const char* path, service::ReturnService& returns,
                   core::Result<core::ReturnRequest> (*decode)(const nlohmann::json&)) {
    return {"POST", path, Caller::kTerminal, true,
            [&returns, decode](const HttpRequest& request, const CallContext& context) {
                auto document = parse_json_body(request);
                if (!document) return error_response(document.error());
                auto decoded = decode(*document);
                if (!decoded) return error_response(decoded.error());
                return commit_response(returns.commit(*context.terminal, *decoded,
                                                      crypto::sha256(crypto::as_bytes(request.body)),
                                                      pos::encode_purchase_answer, request.header("idempotency-key")));
            }};
}

}  // namespace

std::vector<Route> pos_routes(service::MemberService& members, service::PurchaseService& purchases,
                              service::ReturnService& returns) {
    return {
        {"GET", "/v1/cards/:number", Caller::kTerminal, true,
         [&members](const HttpRequest& request, const CallContext& context) {
             auto holder = members.lookup_card(context.terminal->program_id, request.param("number"));
             if (!holder) return error_response(holder.error());
             return json_response(200, encode_card_holder(*holder));
         }},
        {"POST", "/v1/pos/purchases", Caller::kTerminal, true,
         [&purchases](const HttpRequest& request, const CallContext& context) {
             return with_purchase(request, [&](const core::Purchase& purchase) {
                 return commit_response(
                     purchases.commit(*context.terminal, purchase, crypto::sha256(crypto::as_bytes(request.body)),
                                      pos::encode_purchase_answer, request.header("idempotency-key")));
             });
         }},
        {"POST", "/v1/pos/quotes", Caller::kTerminal, true,
         [&purchases](const HttpRequest& request, const CallContext& context) {
             return with_purchase(request, [&](const core::Purchase& purchase) {
                 auto quoted = purchases.quote(*context.terminal, purchase);
                 if (!quoted) return error_response(quoted.error());
                 return HttpResponse{200, pos::encode_purchase_answer(*quoted), "application/json", {}, {}};
             });
         }},
        {"GET", "/v1/pos/receipts/:store/:terminal/:business_day/:receipt", Caller::kTerminal, true,
         [&purchases](const HttpRequest& request, const CallContext& context) {
             const auto day = core::parse_date(request.param("business_day"));
             if (!day) {
                 return error_response(
                     {core::ErrorCode::kValidationFailed, "must be a date YYYY-MM-DD", "business_day"});
             }
             auto stored = purchases.status(
                 *context.terminal,
                 core::ReceiptKey{request.param("store"), request.param("terminal"), *day, request.param("receipt")});
             if (!stored) return error_response(stored.error());
             return json_response(
                 200, {{"status", stored->status}, {"answer", nlohmann::json::parse(stored->body, nullptr, false)}});
         }},
        return_route("/v1/pos/returns", returns, pos::decode_return),
        return_route("/v1/pos/voids", returns, pos::decode_void),
    };
}

}  // namespace patron::api
