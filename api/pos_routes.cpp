#include "api/pos_routes.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "api/http_error.h"
#include "crypto/digest.h"
#include "loyalty/core/json_fields.h"
#include "loyalty/core/member_profile.h"
#include "pos-adapter/batch_operation.h"
#include "pos-adapter/csv_document.h"
#include "pos-adapter/poslog_document.h"
#include "pos-adapter/purchase_answer.h"
#include "pos-adapter/purchase_document.h"
#include "pos-adapter/return_document.h"

namespace patron::api {
namespace {

using nlohmann::json;

json encode_card_holder(const service::CardHolder& holder) {
    return {{"number", holder.card_number},
            {"state", core::to_string(holder.card_state)},
            {"member",
             {{"id", holder.balance.member_id}, {"masked_name", holder.masked_name}, {"tier", holder.balance.tier}}},
            {"points", {{"available", holder.balance.points_available}, {"pending", holder.balance.points_pending}}},
            {"cashback", {{"amount", holder.balance.cashback_amount}, {"currency", holder.balance.currency}}}};
}

// What identifies a POS request for replays: the SHA-256 of its document in canonical form, so
// that a retry (or the same operation later in a batch) matches whatever its whitespace.
crypto::Bytes request_hash(const nlohmann::json& document) {
    return crypto::sha256(crypto::as_bytes(core::json_text(document)));
}

// The body decoded as a purchase document, handed to `then` with its hash; or the JSON error.
template <typename F>
HttpResponse with_purchase(const HttpRequest& request, F&& then) {
    auto document = parse_json_body(request);
    if (!document) return error_response(document.error());
    auto purchase = pos::decode_purchase(*document);
    if (!purchase) return error_response(purchase.error());
    return then(*purchase, request_hash(*document));
}

// Each operation decoded into what the batch service applies. A decoding problem names the native
// field; the route names it where it is in the source, like a commit's own error.
std::vector<service::BatchEntry> batch_entries(const std::vector<pos::BatchOperation>& operations) {
    std::vector<service::BatchEntry> entries;
    entries.reserve(operations.size());
    for (const pos::BatchOperation& operation : operations) {
        service::BatchEntry& entry = entries.emplace_back();
        entry.skipped = operation.skipped;
        entry.skipped_receipt = pos::skipped_receipt(operation);
        entry.rows = operation.rows;
        if (operation.problem) {
            entry.problem = operation.problem;
            continue;
        }
        if (operation.skipped) continue;
        // The same canonical bytes as the operation sent alone hash to the same request.
        entry.request_sha256 = request_hash(operation.document);
        if (operation.type == "purchase") {
            auto purchase = pos::decode_purchase(operation.document);
            if (purchase) {
                entry.request = std::move(*purchase);
            } else {
                entry.problem = purchase.error();
            }
        } else {
            auto request = operation.type == "return" ? pos::decode_return(operation.document)
                                                      : pos::decode_void(operation.document);
            if (request) {
                entry.request = std::move(*request);
            } else {
                entry.problem = request.error();
            }
        }
    }
    return entries;
}

nlohmann::json batch_item_json(const service::BatchItem& item) {
    nlohmann::json encoded = {{"index", item.index}, {"flags", item.flags}};
    if (item.skipped) encoded["skipped"] = *item.skipped;
    if (!item.rows.empty()) encoded["rows"] = item.rows;
    if (item.outcome) {
        encoded["status"] = http_status(item.outcome->kind);
        // A skipped item was not applied: its answer is why (the service has no body for it).
        encoded["body"] = item.skipped ? nlohmann::json{{"skipped", *item.skipped}}
                                       : nlohmann::json::parse(item.outcome->body, nullptr, false);
        encoded["replayed"] = item.outcome->replayed;
    } else {
        encoded["status"] = http_status(item.outcome.error().code);
        encoded["body"] = nlohmann::json::parse(error_body(item.outcome.error()), nullptr, false);
        encoded["replayed"] = false;
    }
    return encoded;
}

// A batch as native JSON, a POSLog document (application/xml) or an end-of-day CSV file (text/csv).
core::Result<std::vector<pos::BatchOperation>> batch_operations(const HttpRequest& request,
                                                                const service::TerminalIdentity& terminal) {
    const std::string type = media_type(request).value_or("application/json");
    const auto currency = core::find_currency(terminal.currency);
    if (!currency) return core::fail(core::ErrorCode::kInternal, "the store's currency is unknown");
    if (type == "application/xml" || type == "text/xml") return pos::decode_poslog(request.body, *currency);
    if (type == "text/csv") return pos::decode_csv(request.body, *currency);
    auto document = parse_json_body(request);
    if (!document) return std::unexpected(document.error());
    return pos::decode_json_batch(*document);
}

// POST /v1/pos/returns and /v1/pos/voids: the same service, two document shapes.
Route return_route(const char* path, service::ReturnService& returns,
                   core::Result<core::ReturnRequest> (*decode)(const nlohmann::json&)) {
    return {"POST",
            path,
            Caller::kTerminal,
            kNoRoles,
            true,
            [&returns, decode](const HttpRequest& request, const CallContext& context) {
                auto document = parse_json_body(request);
                if (!document) return error_response(document.error());
                auto decoded = decode(*document);
                if (!decoded) return error_response(decoded.error());
                return commit_response(returns.commit(*context.terminal, *decoded, request_hash(*document),
                                                      pos::encode_purchase_answer, request.header("idempotency-key")));
            }};
}

// POST /v1/pos/purchases: the till's hot path, its nonce recorded in the commit's transaction.
Route purchase_route(service::PurchaseService& purchases) {
    Route route{
        "POST",
        "/v1/pos/purchases",
        Caller::kTerminal,
        kNoRoles,
        true,
        [&purchases](const HttpRequest& request, const CallContext& context) {
            return with_purchase(request, [&](const core::Purchase& purchase, const crypto::Bytes& hash) {
                return commit_response(purchases.commit(*context.terminal, purchase, hash, pos::encode_purchase_answer,
                                                        request.header("idempotency-key"), context.nonce_to_record()));
            });
        }};
    route.nonce_in_operation = true;
    return route;
}

}  // namespace

HttpResponse commit_response(const core::Result<service::CommitOutcome>& outcome) {
    if (!outcome) return error_response(outcome.error());
    HttpResponse response{http_status(outcome->kind), outcome->body, "application/json", {}, {}};
    if (outcome->replayed) response.headers.emplace_back("Idempotent-Replayed", "true");
    return response;
}

std::vector<Route> pos_routes(service::MemberService& members, service::PurchaseService& purchases,
                              service::ReturnService& returns, service::BatchService& batches,
                              service::BatchAnswerService& batch_answers) {
    return {
        {"GET", "/v1/cards/:number", Caller::kTerminal, kNoRoles, true,
         [&members](const HttpRequest& request, const CallContext& context) {
             auto holder = members.lookup_card(context.terminal->program_id, request.param("number"));
             if (!holder) return error_response(holder.error());
             return json_response(200, encode_card_holder(*holder));
         }},
        purchase_route(purchases),
        {"POST", "/v1/pos/quotes", Caller::kTerminal, kNoRoles, true,
         [&purchases](const HttpRequest& request, const CallContext& context) {
             return with_purchase(request, [&](const core::Purchase& purchase, const crypto::Bytes&) {
                 auto quoted = purchases.quote(*context.terminal, purchase);
                 if (!quoted) return error_response(quoted.error());
                 return HttpResponse{200, pos::encode_purchase_answer(*quoted), "application/json", {}, {}};
             });
         }},
        {"DELETE", "/v1/pos/quotes/:quote_id", Caller::kTerminal, kNoRoles, true,
         [&purchases](const HttpRequest& request, const CallContext& context) {
             auto released = purchases.release_quote(*context.terminal, request.param("quote_id"));
             if (!released) return error_response(released.error());
             return json_response(200, {{"quote_id", released->quote_id},
                                        {"status", released->used ? "used" : "released"},
                                        {"points", released->points}});
         }},
        {"GET", "/v1/pos/receipts/:store/:terminal/:business_day/:receipt", Caller::kTerminal, kNoRoles, true,
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
             return json_response(200, {{"status", http_status(stored->kind)},
                                        {"answer", nlohmann::json::parse(stored->body, nullptr, false)}});
         }},
        {"POST", "/v1/pos/batches", Caller::kTerminal, kNoRoles, true,
         [&batches, &batch_answers](const HttpRequest& request, const CallContext& context) {
             const auto key = request.header("idempotency-key");
             const crypto::Bytes hash =
                 crypto::sha256(crypto::as_bytes(request.header("content-type").value_or("") + "\n" + request.body));
             if (key) {
                 if (auto earlier = batch_answers.earlier(*context.terminal, *key, hash))
                     return commit_response(*earlier);
             }
             auto operations = batch_operations(request, *context.terminal);
             if (!operations) return error_response(operations.error());
             service::BatchOutcome outcome =
                 batches.run(*context.terminal, batch_entries(*operations), pos::encode_purchase_answer);
             nlohmann::json results = nlohmann::json::array();
             for (service::BatchItem& item : outcome.items) {
                 if (!item.outcome && !(*operations)[item.index].problem) {
                     item.outcome = std::unexpected(pos::located(item.outcome.error(), (*operations)[item.index]));
                 }
                 results.push_back(batch_item_json(item));
             }
             nlohmann::json gaps = nullptr;  // Null: Patron could not read them; the gaps route can.
             if (outcome.gaps) {
                 gaps = nlohmann::json::array();
                 for (const service::ReceiptGap& gap : *outcome.gaps) {
                     gaps.push_back({{"terminal", gap.terminal},
                                     {"business_day", gap.business_day},
                                     {"from", gap.from},
                                     {"to", gap.to}});
                 }
             }
             const nlohmann::json answer = {{"results", results}, {"gaps", gaps}};
             if (!key) return json_response(200, answer);
             return commit_response(batch_answers.remember(
                 *context.terminal, *key, hash,
                 service::CommitOutcome{core::AnswerKind::kAnswered, core::json_text(answer), false}));
         }},
        return_route("/v1/pos/returns", returns, pos::decode_return),
        return_route("/v1/pos/voids", returns, pos::decode_void),
    };
}

}  // namespace patron::api
