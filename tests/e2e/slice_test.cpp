#include <soci/soci.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "api/router.h"
#include "loyalty/core/receipt_text.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/support/route_table.h"

namespace patron::testing {
namespace {

using nlohmann::json;

using Slice = PatrondTest;

TEST_F(Slice, StaffEnrolATerminalPostsAPurchaseAndTheBalanceAgrees) {
    EXPECT_EQ(get("/healthz").status, 200);
    EXPECT_EQ(get("/readyz").status, 200);

    const auto enrolled = staff("POST", "/v1/members",
                                R"({"full_name": "Ali Rezaei", "phone": "0912 000 1111", "email": "ali@example.ir",
                                    "birth_date": "1992-03-21"})");
    ASSERT_EQ(enrolled.status, 201) << enrolled.body;
    const json member = json::parse(enrolled.body);
    const std::string card = member["cards"][0]["number"];
    const long long id = member["id"];

    const auto read = staff("GET", "/v1/members/" + std::to_string(id));
    ASSERT_EQ(read.status, 200);
    EXPECT_EQ(json::parse(read.body)["phone"], "+989120001111");

    const std::string body = purchase("1532", card, 900000).dump();
    const auto committed = pos("POST", "/v1/pos/purchases", body);
    ASSERT_EQ(committed.status, 201) << committed.body;
    const json answer = json::parse(committed.body);
    EXPECT_EQ(answer["points"]["earned"], 90);
    EXPECT_EQ(answer["points"]["available"], 90);
    EXPECT_EQ(answer["member"]["masked_name"], "A. Re***");
    EXPECT_EQ(answer["effects"][0]["rule_id"], "base");
    for (const auto& line : answer["receipt_lines"]) EXPECT_LE(core::code_points(line.get<std::string>()), 40U);

    const auto balance = staff("GET", "/v1/members/" + std::to_string(id) + "/balance");
    ASSERT_EQ(balance.status, 200);
    EXPECT_EQ(json::parse(balance.body)["points"]["available"], 90);
    EXPECT_EQ(json::parse(balance.body)["cashback"]["currency"], "IRR");

    // The terminal retries (new nonce, same document): the same answer, byte for byte, and no new points.
    const auto replay = pos("POST", "/v1/pos/purchases", body);
    EXPECT_EQ(replay.status, 201);
    EXPECT_EQ(replay.body, committed.body);
    EXPECT_EQ(replay.headers.at("idempotent-replayed"), "true");
    EXPECT_EQ(json::parse(staff("GET", "/v1/members/" + std::to_string(id) + "/balance").body)["points"]["available"],
              90);

    const auto looked_up = pos("GET", "/v1/cards/" + card);
    ASSERT_EQ(looked_up.status, 200) << looked_up.body;
    EXPECT_EQ(json::parse(looked_up.body)["points"]["available"], 90);
}

TEST_F(Slice, MetricsCountRequestsByRouteTemplate) {
    staff("GET", "/v1/members/" + std::to_string(member_id(0)));
    get("/no/such/route");
    const auto metrics = get("/metrics");
    ASSERT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find(R"(patron_http_requests_total{method="GET",route="/v1/members/:id",status="200"} 1)"),
              std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find(R"(route="unmatched",status="404")"), std::string::npos);
    EXPECT_NE(metrics.body.find("patron_http_request_duration_seconds_bucket"), std::string::npos);
    EXPECT_NE(metrics.body.find("patron_db_pool_in_use"), std::string::npos);
}

// What an operator alerts on (deploy/prometheus/patron-alerts.yml) is there from the start: the
// worker pools, the database's commits and retries, readiness, the outbox, the jobs and the keys.
TEST_F(Slice, MetricsShowWhatAnOperatorAlertsOn) {
    pos("POST", "/v1/pos/purchases", purchase("88", card(0), 120000).dump());
    const std::string text = get("/metrics").body;
    const auto value = [&text](const std::string& sample) -> std::optional<double> {
        const auto at = text.find("\n" + sample + " ");
        if (at == std::string::npos) return std::nullopt;
        return std::stod(text.substr(at + sample.size() + 2));
    };
    EXPECT_GE(value(R"(patron_worker_threads{pool="requests"})").value_or(0), 1.0) << text;
    EXPECT_GE(value(R"(patron_worker_queue_capacity{pool="requests"})").value_or(0), 1.0);
    EXPECT_EQ(value(R"(patron_worker_rejected_total{pool="requests"})"), 0.0);
    EXPECT_TRUE(value(R"(patron_worker_queue_depth{pool="reports"})"));
    EXPECT_TRUE(value(R"(patron_worker_busy{pool="passwords"})"));
    EXPECT_GE(value("patron_db_commit_duration_seconds_count").value_or(0), 1.0) << "the purchase committed";
    EXPECT_TRUE(value(R"(patron_db_commit_duration_seconds_bucket{le="+Inf"})"));
    for (const char* counter : {"patron_db_deadlocks_total", "patron_db_unavailable_total",
                                "patron_db_units_run_again_total", "patron_key_ring_reload_failures_total"}) {
        EXPECT_TRUE(value(counter)) << counter;  // Counted in tests/integration/enclosing_unit_test.cpp.
    }
    EXPECT_EQ(value("patron_db_up"), 1.0) << "checked once before serving";
    EXPECT_EQ(value("patron_ready"), 1.0);
    EXPECT_TRUE(value("patron_outbox_backlog")) << "counted in tests/integration/webhooks_test.cpp";
    EXPECT_TRUE(value("patron_outbox_oldest_seconds"));
    EXPECT_EQ(value("patron_key_ring_master_keys"), 1.0);
    EXPECT_EQ(value("patron_key_ring_last_reload_ok"), 1.0);
    EXPECT_GT(value("patron_start_time_seconds").value_or(0), 1.7e9);
    for (const char* job : {"monitor", "pos_housekeeping", "keys_file", "lot_expiry", "unclaimed_prizes", "ledger_days",
                            "reward_days", "triggers"}) {
        EXPECT_TRUE(value(std::string("patron_job_last_success_timestamp_seconds{task=\"") + job + "\"}")) << job;
    }
    EXPECT_NE(text.find("patron_build_info{version=\""), std::string::npos);

    // Every metric, label and task the dashboard and the alerting rules of deploy/ name is in this scrape
    // (tasks that run only when configured aside).
    const std::string scrape = setup.dir.path() + "/metrics.txt";
    std::ofstream(scrape) << text;
    const auto checked =
        run_command({"/usr/bin/env", "python3", source_dir() + "/tests/scripts/check-deploy-metrics", "--optional",
                     "insight_refresh,till_scan,member_messages", source_dir() + "/deploy", scrape},
                    {});
    EXPECT_EQ(checked.exit_code, 0) << checked.output;
}

TEST_F(Slice, TheLogHasOneJsonLinePerRequestAndNoPersonalData) {
    const auto enrolled =
        staff("POST", "/v1/members",
              R"({"full_name": "Parisa Hosseini", "phone": "09121112222", "email": "parisa@example.ir"})");
    ASSERT_EQ(enrolled.status, 201);
    const std::string card = json::parse(enrolled.body)["cards"][0]["number"];
    pos("POST", "/v1/pos/purchases", purchase("77", card, 120000).dump());
    pos("GET", "/v1/cards/" + card);
    staff("POST", "/v1/members", R"({"full_name": "Parisa Hosseini", "phone": "09121112222"})");  // MEMBER_EXISTS
    EXPECT_EQ(server.stop(), 0);
    const std::string log = server.log();
    int request_lines = 0;
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);) {
        const json entry = json::parse(line);  // Every line is JSON.
        if (entry.value("event", "") == "request") {
            ++request_lines;
            for (const char* field : {"time", "request_id", "method", "route", "status", "duration_ms"}) {
                EXPECT_TRUE(entry.contains(field)) << field << " missing in " << line;
            }
        }
    }
    EXPECT_EQ(request_lines, 4);
    for (const char* personal :
         {"Parisa", "Hosseini", "09121112222", "9121112222", "parisa@example.ir", card.c_str()}) {
        EXPECT_EQ(log.find(personal), std::string::npos) << personal << " leaked into the log";
    }
    EXPECT_NE(log.find(R"("event":"stopped")"), std::string::npos);
}

TEST_F(Slice, EveryMethodOnEveryRouteGetsAJsonAnswer) {
    // Every path of the route table, with each method it does not serve: 405 and an Allow header.
    std::map<std::string, std::set<std::string>> served;
    const RouteTable table;
    for (const api::Route& route : table.routes()) served[route.path].insert(route.method);
    for (const auto& [template_path, methods] : served) {
        std::string path, allowed;
        for (const std::string& method : methods) allowed += (allowed.empty() ? "" : ", ") + method;
        for (std::size_t at = 0; at < template_path.size(); ++at) {
            if (template_path[at] != ':') {
                path += template_path[at];
                continue;
            }
            path += "1";
            while (at + 1 < template_path.size() && template_path[at + 1] != '/') ++at;
        }
        for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"}) {
            if (methods.contains(method)) continue;
            SCOPED_TRACE(std::string(method) + " " + path);
            const auto reply = http({method, server.url(path), "", {}});
            EXPECT_EQ(reply.status, 405);
            ASSERT_TRUE(reply.headers.contains("allow"));
            EXPECT_EQ(reply.headers.at("allow"), allowed);
            if (std::string(method) != "HEAD") {
                EXPECT_EQ(json::parse(reply.body)["error"]["code"], "METHOD_NOT_ALLOWED");
            }
        }
    }
    const auto missing = get("/v2/nothing");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(json::parse(missing.body)["error"]["code"], "NOT_FOUND");
    EXPECT_EQ(get("/healthz").status, 200) << "the server survived every method";
}

TEST_F(Slice, AServerFaultAnswers500WithAnIncidentIdAndNoInternals) {
    // Break the database under patrond: the balance update after the ledger insert fails.
    db.raw() << "CREATE TRIGGER fail_balance BEFORE UPDATE ON member_accounts FOR EACH ROW "
                "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'forced failure after the ledger insert'";
    const auto failed = pos("POST", "/v1/pos/purchases", purchase("F-1", card(0), 900000).dump());
    ASSERT_EQ(failed.status, 500) << failed.body;
    const json error = json::parse(failed.body)["error"];
    EXPECT_EQ(error["code"], "INTERNAL");
    const std::string incident = error["incident"];
    EXPECT_EQ(incident.size(), 16U);
    for (const char* internal : {"forced failure", "SQL", "member_accounts", "soci", "INSERT", "UPDATE"}) {
        EXPECT_EQ(failed.body.find(internal), std::string::npos) << internal << " leaked to the client";
    }
    EXPECT_EQ(server.stop(), 0);
    const std::string log = server.log();
    const auto line = log.find(R"("incident":")" + incident + "\"");
    ASSERT_NE(line, std::string::npos) << "the incident id is in the log";
    const auto line_start = log.rfind('\n', line) + 1;  // npos + 1 is 0: the first line.
    const std::string incident_line = log.substr(line_start, log.find('\n', line) - line_start);
    EXPECT_NE(incident_line.find("MariaDB 1644"), std::string::npos) << "with the error's number: " << incident_line;
    EXPECT_EQ(log.find("forced failure"), std::string::npos) << "never the database's text, which can quote values";
}

}  // namespace
}  // namespace patron::testing
