// A real patrond, started as a child process against a fresh database with the demo program
// seeded by patronctl, and helpers to call it as staff and as the demo terminal.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "loyalty/core/time.h"
#include "tests/support/http_client.h"
#include "tests/support/patrond_process.h"
#include "tests/support/personal_data_log.h"
#include "tests/support/pos_signer.h"
#include "tests/support/test_database.h"

namespace patron::testing {

// The error code of an answer ("" when it carries none).
inline std::string code_of(const HttpReply& reply) {
    const nlohmann::json body = nlohmann::json::parse(reply.body, nullptr, false);
    return body.is_object() && body.contains("error") ? body["error"]["code"].get<std::string>() : "";
}

// An error answer with this status that names this field.
inline ::testing::AssertionResult refused(const HttpReply& reply, int status, const std::string& field) {
    const nlohmann::json body = nlohmann::json::parse(reply.body, nullptr, false);
    const bool named = body.is_object() && body.contains("error") && body["error"].value("field", "") == field;
    if (reply.status == status && named) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "expected " << status << " naming " << field << ", got " << reply.status
                                         << " " << reply.body;
}

class PatrondTest : public ::testing::Test {
  protected:
    HttpReply get(const std::string& path, std::vector<std::string> headers = {}) {
        return http({"GET", server.url(path), "", std::move(headers)});
    }
    HttpReply staff(const std::string& method, const std::string& path, const std::string& body = "",
                    const std::string& token = {}) {
        record_personal_data(method, path, body);
        return http({method,
                     server.url(path),
                     body,
                     {"Authorization: Bearer " + (token.empty() ? setup.demo["staff_token"].get<std::string>() : token),
                      "Content-Type: application/json"}});
    }
    HttpReply pos(const std::string& method, const std::string& path, const std::string& body = "",
                  const std::string& content_type = "application/json") {
        std::vector<std::string> headers = signer().headers(method, path, body);
        headers.push_back("Content-Type: " + content_type);
        return http({method, server.url(path), body, headers});
    }
    PosSigner signer() const {
        return PosSigner{setup.demo["terminal"]["key_id"].get<std::string>(),
                         setup.demo["terminal"]["secret"].get<std::string>()};
    }
    // A concrete path for a route template, with the demo's member, card, store and terminal.
    std::string concrete(const std::string& path) {
        const std::map<std::string, std::string> values = {{":id", std::to_string(member_id(0))},
                                                           {":number", card(0)},
                                                           {":store", "S001"},
                                                           {":terminal", "T01"},
                                                           {":key_id", "tk_none"},
                                                           {":rule_id", "base"},
                                                           {":kind", "rule"},
                                                           {":code", "NOCODE"},
                                                           {":version", "1"},
                                                           {":delivery", "1"},
                                                           {":place", "1"}};
        std::string out;
        std::size_t at = 0;
        while (at < path.size()) {
            const std::size_t slash = path.find('/', at + 1);
            const std::string part =
                path.substr(at + 1, slash == std::string::npos ? std::string::npos : slash - at - 1);
            out += "/" + (part.starts_with(":") ? values.at(part) : part);
            at = slash == std::string::npos ? path.size() : slash;
        }
        return out;
    }
    // A published members-only campaign that gives a coffee free, for a stamp card to reward; its id.
    long long publish_free_coffee_campaign() {
        const auto campaign = staff("POST", "/v1/coupon-campaigns",
                                    R"({"name": "Free coffee", "type": "free_item",
                                        "conditions": {"categories": ["coffee"]}, "members_only": true})");
        EXPECT_EQ(campaign.status, 201) << campaign.body;
        const long long id = nlohmann::json::parse(campaign.body).value("id", 0LL);
        EXPECT_EQ(staff("POST", "/v1/coupon-campaigns/" + std::to_string(id) + "/publish").status, 200);
        return id;
    }
    // A new staff user of `role` (created by the demo's admin token), signed in: their token.
    std::string staff_user(const std::string& role) {
        const nlohmann::json user = {{"email", role + "@staff.example"},
                                     {"name", "Test " + role},
                                     {"role", role},
                                     {"password", "correct horse " + role}};
        EXPECT_EQ(staff("POST", "/v1/staff/users", user.dump()).status, 201);
        const auto signed_in = http({"POST",
                                     server.url("/v1/staff/sessions"),
                                     nlohmann::json{{"email", user["email"]}, {"password", user["password"]}}.dump(),
                                     {"Content-Type: application/json"}});
        EXPECT_EQ(signed_in.status, 201) << signed_in.body;
        return nlohmann::json::parse(signed_in.body, nullptr, false).value("token", "");
    }
    // A new store of the programme in Tehran and its terminal T01; the signer of that terminal.
    PosSigner open_store(const std::string& code, const std::string& name) {
        EXPECT_EQ(staff("POST", "/v1/stores",
                        nlohmann::json{{"code", code}, {"name", name}, {"time_zone", "Asia/Tehran"}}.dump())
                      .status,
                  201);
        const auto registered = staff("POST", "/v1/stores/" + code + "/terminals", R"({"code": "T01"})");
        EXPECT_EQ(registered.status, 201) << registered.body;
        const nlohmann::json key = nlohmann::json::parse(registered.body, nullptr, false);
        return PosSigner{key.value("key_id", ""), key.value("secret", "")};
    }
    // What the file notifier delivered of `event` (one-time codes, or messages to members:
    // "member.message"), oldest first.
    std::vector<nlohmann::json> notifications(const std::string& event = "member.one_time_code") const {
        std::vector<nlohmann::json> lines;
        std::ifstream file(setup.notifications_file());
        for (std::string line; std::getline(file, line);) {
            nlohmann::json sent = nlohmann::json::parse(line);
            if (sent.value("event", "") == event) lines.push_back(std::move(sent));
        }
        return lines;
    }
    // A member's claim in the portal (her token) of a receipt of the demo till's 2026-11-22.
    HttpReply claim_in_portal(const std::string& token, const std::string& receipt, long long total) {
        const nlohmann::json body = {{"store", "S001"},
                                     {"terminal", "T01"},
                                     {"business_day", "2026-11-22"},
                                     {"receipt", receipt},
                                     {"total", total}};
        return http({"POST",
                     server.url("/v1/me/claims"),
                     body.dump(),
                     {"Authorization: Bearer " + token, "Content-Type: application/json"}});
    }
    // Activates demo member 0 (Sara, phone 0912 345 6789) in the portal with the password
    // "sara's long secret" and answers her token.
    std::string activate_sara() {
        const auto post = [&](const std::string& path, const nlohmann::json& body) {
            return http({"POST", server.url(path), body.dump(), {"Content-Type: application/json"}});
        };
        const nlohmann::json who = {{"program", "DEMO"}, {"phone", "09123456789"}};
        EXPECT_EQ(post("/v1/me/codes", who).status, 202);
        const auto sent = notifications();
        if (sent.empty()) return "";
        nlohmann::json with_code = who;
        with_code["code"] = sent.back()["code"];
        with_code["password"] = "sara's long secret";
        const auto set = post("/v1/me/password", with_code);
        EXPECT_EQ(set.status, 200) << set.body;
        return nlohmann::json::parse(set.body).value("token", "");
    }
    // A coupon campaign made, given these codes and published: its path (/v1/coupon-campaigns/ID).
    std::string publish_campaign(const nlohmann::json& document, const nlohmann::json& codes) {
        const auto made = staff("POST", "/v1/coupon-campaigns", document.dump());
        EXPECT_EQ(made.status, 201) << made.body;
        const std::string path =
            "/v1/coupon-campaigns/" + std::to_string(nlohmann::json::parse(made.body).value("id", 0LL));
        EXPECT_EQ(staff("POST", path + "/codes", codes.dump()).status, 201);
        EXPECT_EQ(staff("POST", path + "/publish").status, 200);
        return path;
    }
    // The first code of a campaign's export (CSV, a header line first).
    std::string first_code(const std::string& campaign_path) {
        const std::string exported = staff("GET", campaign_path + "/codes").body;
        const std::size_t row = exported.find('\n') + 1;
        return exported.substr(row, exported.find(',', row) - row);
    }
    std::string card(int member) const { return setup.demo["members"][member]["card"].get<std::string>(); }
    long long member_id(int member) const { return setup.demo["members"][member]["id"].get<long long>(); }

  public:
    // Documents of the demo store, for any test's tills: a purchase at the demo terminal, one
    // coffee line of `amount` IRR.
    static nlohmann::json purchase(const std::string& receipt, const std::string& card, long long amount) {
        nlohmann::json document = {
            {"store", "S001"},
            {"terminal", "T01"},
            {"receipt", receipt},
            {"business_day", "2026-11-22"},
            {"pos_time", "2026-11-22T18:03:40+03:30"},
            {"currency", "IRR"},
            {"lines",
             {{{"line", 1},
               {"sku", "COF-1"},
               {"category", "coffee"},
               {"quantity", 1},
               {"unit_price", amount},
               {"amount", amount},
               {"discount", 0}}}},
            {"total", amount},
        };
        if (!card.empty()) document["card"] = card;
        return document;
    }

    // A return (or, without lines, a void) at the demo terminal of the purchase `original`.
    static nlohmann::json return_of(const std::string& receipt, const std::string& original, nlohmann::json lines) {
        nlohmann::json document = {
            {"store", "S001"},
            {"terminal", "T01"},
            {"receipt", receipt},
            {"business_day", "2026-11-22"},
            {"pos_time", "2026-11-22T19:10:00+03:30"},
            {"currency", "IRR"},
            {"original",
             {{"store", "S001"}, {"terminal", "T01"}, {"business_day", "2026-11-22"}, {"receipt", original}}}};
        if (!lines.is_null()) document["lines"] = std::move(lines);
        return document;
    }

    // The same at the till's present moment (a version published now is in force from now on).
    static nlohmann::json purchase_now(const std::string& receipt, const std::string& card, long long amount) {
        nlohmann::json document = purchase(receipt, card, amount);
        const std::string now =
            core::format_utc(std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now()),
                             core::TimeFormat::kRfc3339);
        document["pos_time"] = now;
        document["business_day"] = now.substr(0, 10);
        return document;
    }

  protected:
    TestDatabase db{false};
    DemoSetup setup{db.url()};
    PatrondProcess server{setup.environment(), setup.dir.path()};
};

}  // namespace patron::testing
