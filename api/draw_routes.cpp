#include "api/draw_routes.h"

#include <nlohmann/json.hpp>

#include "api/request_body.h"
#include "crypto/bytes.h"
#include "loyalty/core/csv_writer.h"

namespace patron::api {
namespace {

using core::ErrorCode;
using nlohmann::json;

constexpr Roles kDrawWriters = kRoleAdmin | kRoleMarketer;
constexpr std::size_t kTermsBodyMax = 64 * 1024;  // 200 SKUs and 20 prizes come to a few KiB.
constexpr std::size_t kSmallBodyMax = 4 * 1024;

// A place's prize by its name; null for a reserve place.
json prize_of(const core::DrawTerms& terms, const std::optional<long long>& prize) {
    const auto name = terms.prize_name(prize);
    return name ? json(*name) : json(nullptr);
}

json place_document(const core::DrawTerms& terms, const store::DrawPlaceRecord& place, bool staff) {
    json document{{"place", place.place + 1},
                  {"prize", prize_of(terms, place.prize)},
                  {"reference", place.reference},
                  {"state", core::to_string(place.state)},
                  {"claim_by", time_or_null(place.claim_by)}};
    if (staff) {
        document["member_id"] = place.member_id;
        document["claimed_at"] = time_or_null(place.claimed_at);
    }
    return document;
}

json draw_document(const service::DrawView& view) {
    const store::DrawRecord& draw = view.draw;
    json places = json::array();
    for (const store::DrawPlaceRecord& place : view.places) places.push_back(place_document(draw.terms, place, true));
    return json{{"id", draw.id},
                {"state", core::shown_draw_state(draw.state, draw.terms, view.now)},
                {"terms", core::encode_draw_terms(draw.terms)},
                {"commitment", draw.commitment.empty() ? json(nullptr) : json(draw.commitment)},
                {"published_at", time_or_null(draw.published_at)},
                {"drawn_at", time_or_null(draw.drawn_at)},
                {"public_value", draw.drawn_at ? json(draw.public_value) : json(nullptr)},
                {"entries_digest", draw.entries_digest.empty() ? json(nullptr) : json(draw.entries_digest)},
                {"codes", json{{"made", view.codes.made}, {"used", view.codes.used}}},
                {"entrants", view.entrants},
                {"entries", view.entries},
                {"places", places},
                {"created_at", time_or_null(draw.created_at)},
                {"updated_at", time_or_null(draw.updated_at)}};
}

json proof_document(const service::DrawProof& proof) {
    const store::DrawRecord& draw = proof.draw;
    json entrants = json::array();
    for (const store::DrawEntrantRecord& entrant : proof.entrants) {
        entrants.push_back(json{{"reference", entrant.reference}, {"tickets", entrant.tickets}});
    }
    json places = json::array();
    for (const store::DrawPlaceRecord& place : proof.places) {
        places.push_back(json{{"place", place.place + 1},
                              {"prize", prize_of(draw.terms, place.prize)},
                              {"reference", place.reference},
                              {"ticket", place.ticket},
                              {"attempt", place.attempt}});
    }
    const bool drawn = draw.state == core::DrawState::kDrawn;
    return json{{"draw_id", draw.id},
                {"name", draw.terms.name},
                {"state", core::shown_draw_state(draw.state, draw.terms, proof.now)},
                {"algorithm", "patron-draw-v1"},
                {"commitment", draw.commitment.empty() ? json(nullptr) : json(draw.commitment)},
                {"published_at", time_or_null(draw.published_at)},
                {"closes_at", format_utc(draw.terms.closes_at, core::TimeFormat::kRfc3339)},
                {"public_value_source", draw.terms.public_value},
                {"seed", drawn ? json(crypto::to_hex(proof.seed)) : json(nullptr)},
                {"public_value", drawn ? json(draw.public_value) : json(nullptr)},
                {"entries_digest", drawn ? json(draw.entries_digest) : json(nullptr)},
                {"tickets", draw.tickets},
                {"places_drawn", draw.terms.places()},
                {"entrants", entrants},
                {"places", places},
                {"drawn_at", time_or_null(draw.drawn_at)}};
}

// How entries are earned, for members to read: the terms' "entries" and the per-purchase cap.
json earning_document(const core::DrawTerms& terms) {
    json earning = core::encode_draw_terms(terms)["entries"];
    earning["per_purchase_cap"] = terms.per_purchase_cap ? json(*terms.per_purchase_cap) : json(nullptr);
    return earning;
}

json member_draw_document(const service::MemberDraw& shown, core::Timestamp now) {
    const store::DrawRecord& draw = shown.draw;
    json prizes = json::array();
    for (const core::DrawPrize& prize : draw.terms.prizes) {
        prizes.push_back(json{{"name", prize.name}, {"count", prize.count}});
    }
    json places = json::array();
    for (const store::DrawPlaceRecord& place : shown.places) {
        places.push_back(place_document(draw.terms, place, false));
    }
    return json{{"id", draw.id},
                {"name", draw.terms.name},
                {"description", draw.terms.description},
                {"state", core::shown_draw_state(draw.state, draw.terms, now)},
                {"opens_at", format_utc(draw.terms.opens_at, core::TimeFormat::kRfc3339)},
                {"closes_at", format_utc(draw.terms.closes_at, core::TimeFormat::kRfc3339)},
                {"prizes", prizes},
                {"entries", shown.entries},
                {"per_member", draw.terms.per_member},
                {"takes_codes", draw.terms.entries.per_code > 0},
                {"earning", earning_document(draw.terms)},
                {"public_value_source", draw.terms.public_value},
                {"commitment", draw.commitment.empty() ? json(nullptr) : json(draw.commitment)},
                {"drawn_at", time_or_null(draw.drawn_at)},
                {"reference", shown.reference.empty() ? json(nullptr) : json(shown.reference)},
                {"places", places}};
}

json entered_document(const service::DrawCodeEntered& entered) {
    return json{{"draw_id", entered.draw_id},
                {"name", entered.draw_name},
                {"entries", entered.entries},
                {"held", entered.held},
                {"receipt_line", entered.effect.receipt_line.str()}};
}

std::string codes_csv(const std::vector<store::DrawCodeRecord>& codes) {
    core::CsvWriter csv;
    for (const char* heading : {"code", "printed", "draw_id", "batch", "used"}) csv.text(heading);
    csv.end_row();
    for (const store::DrawCodeRecord& code : codes) {
        csv.text(code.code).text(core::shown_draw_code(code.code)).number(code.draw_id).number(code.batch);
        csv.text(code.used_at ? "true" : "false").end_row();
    }
    return csv.csv();
}

template <typename F>
HttpResponse with_draw_id(const HttpRequest& request, F&& then) {
    const auto id = parse_id(request.param("id"));
    if (!id) return error_response({ErrorCode::kNotFound, "no prize draw with this id", "id"});
    return then(*id);
}

}  // namespace

std::vector<Route> draw_routes(service::DrawService& draws) {
    return {
        {"GET", "/v1/draws", Caller::kStaff, kAllStaff, true,
         [&draws](const HttpRequest&, const CallContext& context) {
             return answer(draws.list(*context.staff), 200, [](const std::vector<service::DrawView>& views) {
                 json list = json::array();
                 for (const service::DrawView& view : views) list.push_back(draw_document(view));
                 return json{{"draws", list}};
             });
         }},
        {"POST", "/v1/draws", Caller::kStaff, kDrawWriters, true,
         [&draws](const HttpRequest& request, const CallContext& context) {
             return with_request(request, core::decode_draw_terms, [&](const core::DrawTerms& terms) {
                 return answer(draws.create(*context.staff, terms), 201, draw_document);
             });
         },
         Expense::kOrdinary, kTermsBodyMax},
        {"GET", "/v1/draws/:id", Caller::kStaff, kAllStaff, true,
         [&draws](const HttpRequest& request, const CallContext& context) {
             return with_draw_id(
                 request, [&](long long id) { return answer(draws.get(*context.staff, id), 200, draw_document); });
         }},
        {"PUT", "/v1/draws/:id", Caller::kStaff, kDrawWriters, true,
         [&draws](const HttpRequest& request, const CallContext& context) {
             return with_draw_id(request, [&](long long id) {
                 return with_request(request, core::decode_draw_terms, [&](const core::DrawTerms& terms) {
                     return answer(draws.update(*context.staff, id, terms), 200, draw_document);
                 });
             });
         },
         Expense::kOrdinary, kTermsBodyMax},
        {"POST", "/v1/draws/:id/publish", Caller::kStaff, kDrawWriters, true,
         [&draws](const HttpRequest& request, const CallContext& context) {
             return with_draw_id(
                 request, [&](long long id) { return answer(draws.publish(*context.staff, id), 200, draw_document); });
         },
         Expense::kOrdinary, kSmallBodyMax},
        {"POST", "/v1/draws/:id/cancel", Caller::kStaff, kDrawWriters, true,
         [&draws](const HttpRequest& request, const CallContext& context) {
             return with_draw_id(
                 request, [&](long long id) { return answer(draws.cancel(*context.staff, id), 200, draw_document); });
         },
         Expense::kOrdinary, kSmallBodyMax},
        {"POST", "/v1/draws/:id/codes", Caller::kStaff, kDrawWriters, true,
         [&draws](const HttpRequest& request, const CallContext& context) {
             return with_draw_id(request, [&](long long id) {
                 const auto decode = [](const json& document) {
                     return core::decode_draw_codes_request(document, service::kDrawCodesPerRequestMax);
                 };
                 return with_request(request, decode, [&](std::int64_t count) {
                     return answer(draws.make_codes(*context.staff, id, count), 201,
                                   [](const service::DrawCodesMade& made) {
                                       return json{{"draw_id", made.draw_id},
                                                   {"batch", made.batch},
                                                   {"made", made.made},
                                                   {"export", "/v1/draws/" + std::to_string(made.draw_id) +
                                                                  "/codes?batch=" + std::to_string(made.batch)}};
                                   });
                 });
             });
         },
         Expense::kReadsReport, kSmallBodyMax},
        {"GET", "/v1/draws/:id/codes", Caller::kStaff, kDrawWriters, true,
         [&draws](const HttpRequest& request, const CallContext& context) {
             return with_draw_id(request, [&](long long id) {
                 int batch = 0;
                 if (const auto given = request.query_params.find("batch"); given != request.query_params.end()) {
                     const auto parsed = parse_id(given->second);
                     if (!parsed || *parsed > 1'000'000) {
                         return error_response({ErrorCode::kValidationFailed, "must be a batch number", "batch"});
                     }
                     batch = static_cast<int>(*parsed);
                 }
                 const auto codes = draws.export_codes(*context.staff, id, batch);
                 if (!codes) return error_response(codes.error());
                 return HttpResponse{
                     200,
                     codes_csv(*codes),
                     "text/csv; charset=utf-8",
                     {{"Content-Disposition", "attachment; filename=\"draw-codes-" + std::to_string(id) + "-" +
                                                  std::to_string(batch) + ".csv\""}},
                     {}};
             });
         },
         Expense::kReadsReport},
        {"POST", "/v1/draws/:id/run", Caller::kStaff, kDrawWriters, true,
         [&draws](const HttpRequest& request, const CallContext& context) {
             return with_draw_id(request, [&](long long id) {
                 return with_request(request, core::decode_draw_run_request, [&](const std::string& value) {
                     return answer(draws.run(*context.staff, id, value), 200, draw_document);
                 });
             });
         },
         Expense::kReadsReport, kSmallBodyMax},
        {"POST", "/v1/draws/:id/places/:place/claim", Caller::kStaff, kDrawWriters | kRoleSupport, true,
         [&draws](const HttpRequest& request, const CallContext& context) {
             return with_draw_id(request, [&](long long id) {
                 const auto place = parse_id(request.param("place"));
                 if (!place) return error_response({ErrorCode::kNotFound, "the draw has no such place", "place"});
                 return answer(draws.claim(*context.staff, id, *place), 200, draw_document);
             });
         },
         Expense::kOrdinary, kSmallBodyMax},
        {"GET", "/v1/draws/:id/proof", Caller::kStaff, kAllStaff, true,
         [&draws](const HttpRequest& request, const CallContext& context) {
             return with_draw_id(
                 request, [&](long long id) { return answer(draws.proof(*context.staff, id), 200, proof_document); });
         },
         Expense::kReadsReport},
        {"GET", "/v1/me/draws", Caller::kMember, kNoRoles, true,
         [&draws](const HttpRequest&, const CallContext& context) {
             return answer(draws.mine(*context.member), 200, [](const service::MemberDraws& page) {
                 json list = json::array();
                 for (const service::MemberDraw& shown : page.draws)
                     list.push_back(member_draw_document(shown, page.now));
                 return json{{"draws", list}, {"language", page.language}, {"time_zone", page.time_zone}};
             });
         }},
        {"GET", "/v1/me/draws/:id/proof", Caller::kMember, kNoRoles, true,
         [&draws](const HttpRequest& request, const CallContext& context) {
             return with_draw_id(
                 request, [&](long long id) { return answer(draws.proof(*context.member, id), 200, proof_document); });
         },
         Expense::kReadsReport},
        {"POST", "/v1/me/draw-codes", Caller::kMember, kNoRoles, true,
         [&draws](const HttpRequest& request, const CallContext& context) {
             const auto decode = [](const json& document) { return core::decode_draw_code_request(document, false); };
             return with_request(request, decode, [&](const core::DrawCodeRequest& entry) {
                 return answer(draws.enter_code(*context.member, entry.code), 201, entered_document);
             });
         },
         Expense::kOrdinary, kSmallBodyMax},
        {"POST", "/v1/pos/draw-codes", Caller::kTerminal, kNoRoles, true,
         [&draws](const HttpRequest& request, const CallContext& context) {
             const auto decode = [](const json& document) { return core::decode_draw_code_request(document, true); };
             return with_request(request, decode, [&](const core::DrawCodeRequest& entry) {
                 return answer(draws.enter_code_at_till(*context.terminal, entry.card, entry.code), 201,
                               [](const service::DrawCodeEntered& entered) {
                                   json document = entered_document(entered);
                                   document["receipt_lines"] = json::array({entered.effect.receipt_line.str()});
                                   return document;
                               });
             });
         },
         Expense::kOrdinary, kSmallBodyMax},
    };
}

}  // namespace patron::api
