#include "api/pos_routes.h"

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "pos-adapter/purchase_answer.h"
#include "pos-adapter/purchase_document.h"

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

}  // namespace

std::vector<Route> pos_routes(service::MemberService& members, service::PurchaseService& purchases) {
    return {
        {"GET", "/v1/cards/:number", Caller::kTerminal, true,
         [&members](const HttpRequest& request, const CallContext& context) {
             auto holder = members.lookup_card(context.terminal->program_id, request.param("number"));
             if (!holder) return error_response(holder.error());
             return json_response(200, encode_card_holder(*holder));
         }},
        {"POST", "/v1/pos/purchases", Caller::kTerminal, true,
         [&purchases](const HttpRequest& request, const CallContext& context) {
             auto document = parse_json_body(request);
             if (!document) return error_response(document.error());
             auto purchase = pos::decode_purchase(*document);
             if (!purchase) return error_response(purchase.error());
             auto outcome =
                 purchases.commit(*context.terminal, *purchase, crypto::sha256(crypto::as_bytes(request.body)),
                                  pos::encode_purchase_answer);
             if (!outcome) return error_response(outcome.error());
             HttpResponse response{outcome->status, outcome->body, "application/json", {}, {}};
             if (outcome->replayed) response.headers.emplace_back("Idempotent-Replayed", "true");
             return response;
         }},
    };
}

}  // namespace patron::api
