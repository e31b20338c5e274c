// Post-purchase feedback through a real patrond: a purchase's answer carries a signed link and a
// receipt line; the member rates their own purchases in the portal, anyone with the receipt rates
// it through the link (an anonymous purchase too); once, within the window, each score in range;
// forged, altered and expired links name nothing; the report's NPS, CSAT and CES from known
// answers, by the query every report shares; comments sealed in the database, masked for analysts,
// disarmed in CSV, whole in the member's own export, and gone when the member is erased.
#include "loyalty/core/feedback.h"

#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "crypto/blind_index.h"
#include "crypto/key_ring.h"
#include "loyalty/core/member_profile.h"
#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

class Feedback : public PatrondTest {
  protected:
    HttpReply anyone(const std::string& method, const std::string& path, const json& body = nullptr) {
        if (body.is_null()) return http({method, server.url(path), "", {}});
        return http({method, server.url(path), body.dump(), {"Content-Type: application/json"}});
    }
    HttpReply as_member(const std::string& method, const std::string& path, const std::string& token,
                        const json& body = nullptr) {
        if (body.is_null()) return http({method, server.url(path), "", {"Authorization: Bearer " + token}});
        return http({method,
                     server.url(path),
                     body.dump(),
                     {"Authorization: Bearer " + token, "Content-Type: application/json"}});
    }
    // A committed purchase's answer (card "" for an anonymous one).
    json bought(const std::string& receipt, const std::string& card, long long amount = 120000) {
        const auto reply = pos("POST", "/v1/pos/purchases", purchase_now(receipt, card, amount).dump());
        EXPECT_EQ(reply.status, 201) << reply.body;
        return json::parse(reply.body, nullptr, false);
    }
    static std::string own_path(const json& answer) {
        return "/v1/me/purchases/" + std::to_string(answer["purchase_id"].get<long long>()) + "/feedback";
    }
    static std::string link_path(const json& answer) {
        return "/v1/feedback/" + answer["feedback"]["token"].get<std::string>();
    }
    // A token for `purchase_id` signed as patrond signs them, expiring at `expires_at`.
    std::string signed_token(long long purchase_id, core::Timestamp expires_at) const {
        const auto ring = crypto::KeyRing::load(setup.keys_file).value();
        const std::string signed_part = core::feedback_token_signed_part(purchase_id, expires_at);
        return core::feedback_token_text(signed_part,
                                         crypto::to_hex(crypto::blind_index(ring, "feedback_token", signed_part)));
    }
    void move_purchase_back(long long purchase_id, int days) {
        db.raw() << "UPDATE purchases SET received_at = received_at - INTERVAL " + std::to_string(days) +
                        " DAY WHERE id = :id",
            soci::use(purchase_id);
    }
    // The report's row for all stores in the whole range.
    json total_row(const std::string& token = {}) {
        const auto report = staff("GET", "/v1/reports/feedback?by=total", "", token);
        EXPECT_EQ(report.status, 200) << report.body;
        const json rows = json::parse(report.body)["rows"];
        for (const json& row : rows) {
            if (row["store"].is_null()) return row;
        }
        return json::object();
    }
};

TEST_F(Feedback, APurchaseAnswerCarriesASignedLinkAndAReceiptLine) {
    const json sent = purchase_now("fb-link", card(0), 120000);
    const auto committed = pos("POST", "/v1/pos/purchases", sent.dump());
    ASSERT_EQ(committed.status, 201) << committed.body;
    const json answer = json::parse(committed.body);
    ASSERT_TRUE(answer.contains("feedback")) << answer;
    const std::string token = answer["feedback"]["token"];
    const auto parsed = core::parse_feedback_token(token);
    ASSERT_TRUE(parsed) << token;
    EXPECT_EQ(parsed->purchase_id, answer["purchase_id"].get<long long>()) << "the purchase and the expiry, no more";
    EXPECT_EQ(token.find(card(0)), std::string::npos) << "no card in the token";
    EXPECT_EQ(answer["feedback"]["url"], "/portal/#rate=" + token) << "no public URL configured: a path";
    EXPECT_EQ(answer["receipt_lines"].back(), "نظرتان را بگویید: کد QR را اسکن کنید");

    const auto topic = anyone("GET", link_path(answer));
    ASSERT_EQ(topic.status, 200) << topic.body;
    const json about = json::parse(topic.body);
    EXPECT_EQ(about["store"]["code"], "S001");
    EXPECT_FALSE(about["answered"].get<bool>());
    EXPECT_EQ(topic.body.find("سارا"), std::string::npos) << "no personal data";
    EXPECT_FALSE(about.contains("total"));

    const auto replay = pos("POST", "/v1/pos/purchases", sent.dump());
    EXPECT_EQ(json::parse(replay.body, nullptr, false)["feedback"], answer["feedback"]) << "a replay answers alike";
}

TEST_F(Feedback, AMemberRatesTheirOwnPurchaseOnceFromThePortal) {
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    const json first = bought("fb-own-1", card(0));
    const json second = bought("fb-own-2", card(0));
    const json others = bought("fb-other", card(1));
    const json anonymous = bought("fb-anon", "");

    const auto awaiting = as_member("GET", "/v1/me/feedback", token);
    ASSERT_EQ(awaiting.status, 200) << awaiting.body;
    json purchases = json::parse(awaiting.body)["purchases"];
    ASSERT_EQ(purchases.size(), 2U) << purchases;
    EXPECT_EQ(purchases[0]["purchase_id"], second["purchase_id"]) << "newest first";
    EXPECT_EQ(purchases[0]["store"]["code"], "S001");
    EXPECT_EQ(purchases[0]["total"], 120000);

    const auto rated = as_member("POST", own_path(first), token, {{"nps", 9}, {"csat", 5}, {"ces", 2}});
    ASSERT_EQ(rated.status, 201) << rated.body;
    EXPECT_EQ(json::parse(rated.body)["purchase_id"], first["purchase_id"]);
    const auto again = as_member("POST", own_path(first), token, {{"nps", 3}});
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(code_of(again), "FEEDBACK_ALREADY_GIVEN");
    EXPECT_EQ(code_of(anyone("POST", link_path(first), {{"nps", 3}})), "FEEDBACK_ALREADY_GIVEN")
        << "the link is the same purchase";
    purchases = json::parse(as_member("GET", "/v1/me/feedback", token).body)["purchases"];
    ASSERT_EQ(purchases.size(), 1U);
    EXPECT_EQ(purchases[0]["purchase_id"], second["purchase_id"]);

    // Another member's purchase, an anonymous one and an id of nothing all answer alike: 404.
    for (const json& foreign : {others, anonymous}) {
        const auto refused_reply = as_member("POST", own_path(foreign), token, {{"nps", 10}});
        EXPECT_TRUE(refused(refused_reply, 404, "id")) << refused_reply.body;
        EXPECT_EQ(code_of(refused_reply), "NOT_FOUND");
    }
    EXPECT_TRUE(refused(as_member("POST", "/v1/me/purchases/999999/feedback", token, {{"nps", 10}}), 404, "id"));
    EXPECT_EQ(staff("GET", "/v1/me/feedback").status, 401) << "a staff token is no member token";
}

TEST_F(Feedback, ScoresOutOfRangeAreRefusedByField) {
    const std::string token = activate_sara();
    const json answer = bought("fb-range", card(0));
    EXPECT_TRUE(refused(as_member("POST", own_path(answer), token, {{"nps", 11}}), 422, "nps"));
    EXPECT_TRUE(refused(as_member("POST", own_path(answer), token, {{"csat", 0}}), 422, "csat"));
    EXPECT_TRUE(refused(as_member("POST", own_path(answer), token, {{"ces", 8}}), 422, "ces"));
    EXPECT_TRUE(refused(as_member("POST", own_path(answer), token, {{"comment", "only words"}}), 422, "nps"));
    EXPECT_TRUE(
        refused(anyone("POST", link_path(answer), {{"nps", 5}, {"comment", std::string(1001, 'x')}}), 422, "comment"));
    EXPECT_EQ(code_of(as_member("POST", own_path(answer), token, {{"nps", -1}})), "VALIDATION_FAILED");
    EXPECT_EQ(as_member("POST", own_path(answer), token, {{"nps", 0}}).status, 201) << "nothing was kept before";
}

TEST_F(Feedback, AnAnonymousPurchaseIsRatedThroughItsLinkOnce) {
    const json answer = bought("fb-anon-link", "");
    ASSERT_TRUE(answer["member"].is_null());
    const auto rated = anyone("POST", link_path(answer), {{"nps", 10}, {"comment", "Quick and friendly"}});
    ASSERT_EQ(rated.status, 201) << rated.body;
    const auto again = anyone("POST", link_path(answer), {{"csat", 1}});
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(code_of(again), "FEEDBACK_ALREADY_GIVEN");
    EXPECT_TRUE(json::parse(anyone("GET", link_path(answer)).body)["answered"].get<bool>());
    EXPECT_EQ(db.count("purchase_feedback"), 1);
}

TEST_F(Feedback, ForgedAlteredAndExpiredLinksNameNothing) {
    const json answer = bought("fb-forged", "");
    const long long id = answer["purchase_id"];
    const std::string token = answer["feedback"]["token"];
    const core::FeedbackToken parsed = core::parse_feedback_token(token).value();
    const std::string forged = parsed.signed_part + "." + std::string(32, '0');
    const std::string other_purchase =
        core::feedback_token_text(core::feedback_token_signed_part(id - 1, parsed.expires_at), parsed.signature_hex);
    const std::string later = core::feedback_token_text(
        core::feedback_token_signed_part(id, parsed.expires_at + std::chrono::days(365)), parsed.signature_hex);
    for (const std::string& bad : {forged, other_purchase, later, std::string("not-a-token"), token + "0"}) {
        EXPECT_TRUE(refused(anyone("GET", "/v1/feedback/" + bad), 404, "token")) << bad;
        EXPECT_TRUE(refused(anyone("POST", "/v1/feedback/" + bad, {{"nps", 10}}), 404, "token")) << bad;
    }
    const std::string expired = signed_token(id, core::Timestamp{std::chrono::seconds(1'700'000'000)});
    const auto late = anyone("POST", "/v1/feedback/" + expired, {{"nps", 10}});
    EXPECT_TRUE(refused(late, 422, "token")) << late.body;
    EXPECT_EQ(code_of(late), "FEEDBACK_WINDOW_CLOSED");
    EXPECT_EQ(anyone("POST", "/v1/feedback/" + signed_token(id, parsed.expires_at), {{"nps", 10}}).status, 201)
        << "a genuine token of the same purchase and expiry is the one the till printed";
    EXPECT_EQ(db.count("purchase_feedback"), 1);
}

TEST_F(Feedback, TheWindowClosesAfterTheProgrammesDaysAndZeroTurnsFeedbackOff) {
    const std::string token = activate_sara();
    const json old = bought("fb-old", card(0));
    const json fresh = bought("fb-fresh", card(0));
    move_purchase_back(old["purchase_id"], 15);
    const auto late = as_member("POST", own_path(old), token, {{"nps", 8}});
    EXPECT_TRUE(refused(late, 422, "id")) << late.body;
    EXPECT_EQ(code_of(late), "FEEDBACK_WINDOW_CLOSED");
    EXPECT_EQ(code_of(anyone("POST", link_path(old), {{"nps", 8}})), "FEEDBACK_WINDOW_CLOSED")
        << "the link follows the programme's window too";
    json purchases = json::parse(as_member("GET", "/v1/me/feedback", token).body)["purchases"];
    ASSERT_EQ(purchases.size(), 1U) << "only the fresh one awaits";

    const auto settings = staff("PATCH", "/v1/program/settings", R"({"feedback": {"answer_days": 30}})");
    ASSERT_EQ(settings.status, 200) << settings.body;
    EXPECT_EQ(json::parse(settings.body)["feedback"]["answer_days"], 30);
    EXPECT_EQ(as_member("POST", own_path(old), token, {{"nps", 8}}).status, 201) << "15 days is within 30";

    ASSERT_EQ(staff("PATCH", "/v1/program/settings", R"({"feedback": {"answer_days": 0}})").status, 200);
    EXPECT_EQ(code_of(as_member("POST", own_path(fresh), token, {{"nps", 8}})), "FEEDBACK_WINDOW_CLOSED");
    const auto listed = as_member("GET", "/v1/me/feedback", token);
    ASSERT_EQ(listed.status, 200) << listed.body;
    EXPECT_EQ(json::parse(listed.body)["purchases"], json::array());
    const json off = bought("fb-off", card(0));
    EXPECT_FALSE(off.contains("feedback")) << off;
    EXPECT_TRUE(refused(staff("PATCH", "/v1/program/settings", R"({"feedback": {"answer_days": 366}})"), 422,
                        "feedback.answer_days"));
}

TEST_F(Feedback, AVoidedPurchaseCanStillBeRated) {
    const json sent = purchase_now("fb-void", "", 120000);
    const auto committed = pos("POST", "/v1/pos/purchases", sent.dump());
    ASSERT_EQ(committed.status, 201) << committed.body;
    const json answer = json::parse(committed.body);
    json void_document = return_of("fb-void-v", "fb-void", nullptr);
    void_document["business_day"] = sent["business_day"];
    void_document["pos_time"] = sent["pos_time"];
    void_document["original"]["business_day"] = sent["business_day"];
    const auto voided = pos("POST", "/v1/pos/voids", void_document.dump());
    ASSERT_EQ(voided.status, 201) << voided.body;
    EXPECT_FALSE(json::parse(voided.body).contains("feedback")) << "a void is not rated";
    EXPECT_EQ(anyone("POST", link_path(answer), {{"csat", 2}}).status, 201);
}

TEST_F(Feedback, TheReportGivesNpsCsatAndCesFromKnownAnswers) {
    const json answers[] = {{{"nps", 10}, {"csat", 5}, {"ces", 1}},
                            {{"nps", 9}, {"csat", 4}, {"ces", 2}},
                            {{"nps", 8}, {"csat", 3}},
                            {{"nps", 6}, {"csat", 1}, {"ces", 7}},
                            {{"nps", 3}}};
    int receipt = 0;
    for (const json& given : answers) {
        const json answer = bought("fb-report-" + std::to_string(++receipt), "");
        ASSERT_EQ(anyone("POST", link_path(answer), given).status, 201);
    }
    const json all = total_row();
    EXPECT_EQ(all["responses"], 5);
    EXPECT_EQ(all["nps"]["promoters"], 2);
    EXPECT_EQ(all["nps"]["passives"], 1);
    EXPECT_EQ(all["nps"]["detractors"], 2);
    EXPECT_EQ(all["nps"]["score_x10"], 0) << "(2 - 2) / 5";
    EXPECT_EQ(all["csat"]["answers"], 4);
    EXPECT_EQ(all["csat"]["satisfied_share_x10"], 500) << "5 and 4 of 5, 4, 3, 1";
    EXPECT_EQ(all["csat"]["mean_x100"], 325);
    EXPECT_EQ(all["ces"]["mean_x100"], 333) << "(1 + 2 + 7) / 3";

    const auto by_day = staff("GET", "/v1/reports/feedback?by=day&store=S001");
    ASSERT_EQ(by_day.status, 200) << by_day.body;
    const json report = json::parse(by_day.body);
    EXPECT_EQ(report["store"], "S001");
    ASSERT_EQ(report["rows"].size(), 2U) << "today, for all stores and for S001";
    EXPECT_EQ(report["rows"][1]["store"], "S001");
    EXPECT_EQ(report["rows"][1]["nps"]["score_x10"], 0);

    const auto csv = staff("GET", "/v1/reports/feedback?by=total&format=csv");
    ASSERT_EQ(csv.status, 200) << csv.body;
    EXPECT_TRUE(csv.body.starts_with("period,from,to,scope,store,responses,nps_answers,promoters,detractors,nps_x10,"))
        << csv.body;
    EXPECT_NE(csv.body.find(",all,,5,5,2,2,0,4,2,500,325,3,333\r\n"), std::string::npos) << csv.body;
    EXPECT_TRUE(csv.headers.at("content-disposition").starts_with("attachment; filename=\"feedback-"))
        << csv.headers.at("content-disposition");

    EXPECT_TRUE(refused(staff("GET", "/v1/reports/feedback?from=2026-01-01&to=2027-06-01"), 422, "to"))
        << "the points report's refusals";
    EXPECT_TRUE(refused(staff("GET", "/v1/reports/feedback?from=2026-02-01&to=2026-01-01"), 422, "from"));
    EXPECT_TRUE(refused(staff("GET", "/v1/reports/feedback?by=year"), 422, "by"));
    EXPECT_TRUE(refused(staff("GET", "/v1/reports/feedback?by_store=yes"), 422, "by_store"));
    const auto unknown_store = staff("GET", "/v1/reports/feedback?store=NOPE");
    EXPECT_TRUE(refused(unknown_store, 422, "store"));
    EXPECT_EQ(json::parse(unknown_store.body), json::parse(staff("GET", "/v1/reports/points?store=NOPE").body))
        << "refused as the points report refuses";
    EXPECT_EQ(staff("GET", "/v1/reports/feedback", "", staff_user("support")).status, 403);
}

TEST_F(Feedback, TheReportTakesTheQueryEveryReportShares) {
    const json answer = bought("fb-shared-query", "");
    ASSERT_EQ(anyone("POST", link_path(answer), {{"nps", 10}}).status, 201);

    const auto defaults = staff("GET", "/v1/reports/feedback");
    ASSERT_EQ(defaults.status, 200) << defaults.body;
    json report = json::parse(defaults.body);
    EXPECT_EQ(report["report"], "feedback");
    EXPECT_EQ(report["by"], "month") << "as every report";
    ASSERT_EQ(report["rows"].size(), 1U) << "without by_store, the programme's rows only";
    EXPECT_TRUE(report["rows"][0]["store"].is_null());
    EXPECT_EQ(report["rows"][0]["to"], report["to"]) << "the last period is cut at to";

    report = json::parse(staff("GET", "/v1/reports/feedback?by_store=true&by=jalali_month").body);
    EXPECT_EQ(report["by"], "jalali_month");
    ASSERT_EQ(report["rows"].size(), 2U) << report;
    EXPECT_EQ(report["rows"][1]["store"], "S001");
    EXPECT_EQ(report["rows"][1]["period"].get<std::string>().substr(0, 2), "14") << "a Solar Hijri month";

    const std::string bearer = "Authorization: Bearer " + setup.demo["staff_token"].get<std::string>();
    const auto asked_csv = get("/v1/reports/feedback", {bearer, "Accept: text/csv"});
    ASSERT_EQ(asked_csv.status, 200) << asked_csv.body;
    EXPECT_TRUE(asked_csv.body.starts_with("period,from,to,")) << "Accept: text/csv asks for CSV";

    const std::string from = report["from"], to = report["to"];
    const auto csv =
        staff("GET", "/v1/reports/feedback?from=" + from + "&to=" + to + "&by=week&by_store=true&format=csv");
    ASSERT_EQ(csv.status, 200) << csv.body;
    const auto printed = run_command(
        {patronctl_path(), "report", "feedback", "--from", from, "--to", to, "--by", "week", "--by-store", "--csv"},
        setup.environment());
    ASSERT_EQ(printed.exit_code, 0) << printed.output;
    EXPECT_EQ(printed.output, csv.body) << "patronctl prints what the API answers";
    const auto refused_by = run_command({patronctl_path(), "report", "feedback", "--by", "year"}, setup.environment());
    EXPECT_NE(refused_by.exit_code, 0);
    EXPECT_NE(refused_by.output.find("by: "), std::string::npos) << refused_by.output;
}

TEST_F(Feedback, CommentsAreSealedMaskedForAnalystsAndErasedWithTheMember) {
    const std::string token = activate_sara();
    const std::string words = "Great coffee! call me 0912 111 2233 or sara.k@example.ir";
    const json sara = bought("fb-comment-sara", card(0));
    ASSERT_EQ(as_member("POST", own_path(sara), token, {{"nps", 4}, {"comment", words}}).status, 201);
    const json anonymous = bought("fb-comment-anon", "");
    ASSERT_EQ(anyone("POST", link_path(anonymous), {{"nps", 10}, {"comment", "Lovely staff"}}).status, 201);

    long long plain = -1;
    db.raw() << "SELECT COUNT(*) FROM purchase_feedback WHERE LOCATE('Great coffee', comment_sealed) > 0"
                " OR LOCATE('Lovely', comment_sealed) > 0 OR LOCATE('0912', comment_sealed) > 0",
        soci::into(plain);
    EXPECT_EQ(plain, 0) << "no comment in plain text";

    const auto whole = staff("GET", "/v1/reports/feedback/comments");
    ASSERT_EQ(whole.status, 200) << whole.body;
    json page = json::parse(whole.body);
    EXPECT_FALSE(page["masked"].get<bool>());
    ASSERT_EQ(page["comments"].size(), 2U) << page;
    EXPECT_EQ(page["comments"][0]["comment"], "Lovely staff") << "newest first";
    EXPECT_EQ(page["comments"][1]["comment"], words) << "admin reads it whole";

    const auto analyst = staff("GET", "/v1/reports/feedback/comments", "", staff_user("analyst"));
    ASSERT_EQ(analyst.status, 200) << analyst.body;
    page = json::parse(analyst.body);
    EXPECT_TRUE(page["masked"].get<bool>());
    EXPECT_EQ(page["comments"][1]["comment"], "Great coffee! call me *** or ***");
    EXPECT_EQ(analyst.body.find("example.ir"), std::string::npos);

    const auto first_page = staff("GET", "/v1/reports/feedback/comments?limit=1");
    const json one = json::parse(first_page.body);
    ASSERT_EQ(one["comments"].size(), 1U);
    const auto next = staff(
        "GET", "/v1/reports/feedback/comments?limit=1&before=" + std::to_string(one["next_before"].get<long long>()));
    EXPECT_EQ(json::parse(next.body)["comments"][0]["comment"], words);

    ASSERT_EQ(staff("DELETE", "/v1/members/" + std::to_string(member_id(0))).status, 204);
    page = json::parse(staff("GET", "/v1/reports/feedback/comments").body);
    ASSERT_EQ(page["comments"].size(), 1U) << "Sara's comment went with her" << page;
    EXPECT_EQ(page["comments"][0]["comment"], "Lovely staff");
    EXPECT_EQ(total_row()["responses"], 2) << "her scores stay, as the ledger does";
    long long sealed_left = -1;
    db.raw() << "SELECT COUNT(*) FROM purchase_feedback WHERE comment_sealed IS NOT NULL OR data_key_sealed IS NOT NULL"
                " OR master_key_id IS NOT NULL",
        soci::into(sealed_left);
    EXPECT_EQ(sealed_left, 1) << "only the anonymous comment and its key remain";
}

TEST_F(Feedback, AMemberDeletingTheirAccountTakesTheirCommentsWithThem) {
    const std::string token = activate_sara();
    const json sara = bought("fb-self-erase", card(0));
    ASSERT_EQ(as_member("POST", own_path(sara), token, {{"csat", 2}, {"comment", "Too slow"}}).status, 201);
    const auto deleted = as_member("DELETE", "/v1/me", token, {{"password", "sara's long secret"}});
    ASSERT_EQ(deleted.status, 204) << deleted.body;
    const auto comments = staff("GET", "/v1/reports/feedback/comments");
    ASSERT_EQ(comments.status, 200) << comments.body;
    EXPECT_EQ(json::parse(comments.body)["comments"], json::array());
}

TEST_F(Feedback, TheCommentsAsCsvDisarmFormulasACustomerWrote) {
    const std::string formula = R"csv(=HYPERLINK("https://evil.example","Prize"))csv";
    const json answer = bought("fb-formula", "");
    ASSERT_EQ(anyone("POST", link_path(answer), {{"nps", 1}, {"comment", formula}}).status, 201);
    const auto csv = staff("GET", "/v1/reports/feedback/comments?format=csv");
    ASSERT_EQ(csv.status, 200) << csv.body;
    EXPECT_TRUE(csv.body.starts_with("purchase_id,store,visit_day,answered_at,nps,csat,ces,comment\r\n")) << csv.body;
    EXPECT_NE(csv.body.find(R"csv(,1,,,"'=HYPERLINK(""https://evil.example"",""Prize"")")csv"
                            "\r\n"),
              std::string::npos)
        << "quoted, and prefixed so no spreadsheet runs it: " << csv.body;
    EXPECT_TRUE(csv.headers.at("content-disposition").starts_with("attachment; filename=\"feedback-comments-"));
    EXPECT_TRUE(refused(staff("GET", "/v1/reports/feedback/comments?store=NOPE"), 422, "store"));
}

TEST_F(Feedback, AMembersExportHoldsTheirAnswersWithTheCommentsOpened) {
    const std::string token = activate_sara();
    const json rated = bought("fb-export-rated", card(0));
    const json scored = bought("fb-export-scored", card(0));
    bought("fb-export-other", card(1));
    const std::string words = "Call me on 0912 111 2233";
    ASSERT_EQ(as_member("POST", own_path(rated), token, {{"nps", 9}, {"csat", 4}, {"comment", words}}).status, 201);
    ASSERT_EQ(as_member("POST", own_path(scored), token, {{"ces", 3}}).status, 201);

    const auto own = as_member("GET", "/v1/me/export", token);
    ASSERT_EQ(own.status, 200) << own.body;
    const json feedback = json::parse(own.body)["feedback"];
    ASSERT_EQ(feedback.size(), 2U) << feedback;
    EXPECT_EQ(feedback[0]["purchase_id"], rated["purchase_id"]) << "oldest purchase first";
    EXPECT_EQ(feedback[0]["store"], "S001");
    EXPECT_TRUE(core::parse_date(feedback[0]["visit_day"].get<std::string>()));
    EXPECT_EQ(feedback[0]["nps"], 9);
    EXPECT_EQ(feedback[0]["csat"], 4);
    EXPECT_TRUE(feedback[0]["ces"].is_null());
    EXPECT_EQ(feedback[0]["comment"], words) << "their own words, unmasked";
    EXPECT_EQ(feedback[1]["purchase_id"], scored["purchase_id"]);
    EXPECT_EQ(feedback[1]["ces"], 3);
    EXPECT_TRUE(feedback[1]["comment"].is_null());

    const auto by_staff = staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/export");
    ASSERT_EQ(by_staff.status, 200) << by_staff.body;
    EXPECT_EQ(json::parse(by_staff.body)["feedback"], feedback) << "the staff export is the same document";
    const auto other = staff("GET", "/v1/members/" + std::to_string(member_id(1)) + "/export");
    ASSERT_EQ(other.status, 200) << other.body;
    EXPECT_EQ(json::parse(other.body)["feedback"], json::array()) << "no one else's answers";

    ASSERT_EQ(staff("DELETE", "/v1/members/" + std::to_string(member_id(0))).status, 204);
    const json erased = json::parse(staff("GET", "/v1/members/" + std::to_string(member_id(0)) + "/export").body);
    ASSERT_EQ(erased["feedback"].size(), 2U) << "the scores stay";
    EXPECT_TRUE(erased["feedback"][0]["comment"].is_null()) << "the comment went with her";
}

}  // namespace
}  // namespace patron::testing
