// Staff accounts and roles through a real patrond: the demo admin signs in, creates a user of
// each role, each signs in; every staff route of the route table is called with each role's
// token (allowed -> never 403, forbidden -> 403 FORBIDDEN) and with none (401); sign-out ends a
// token; five failed sign-ins lock an email, a user's or not.
#include <soci/soci.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "api/router.h"
#include "crypto/password.h"
#include "tests/e2e/e2e_fixture.h"
#include "tests/support/route_table.h"

namespace patron::testing {
namespace {

using nlohmann::json;

class Staff : public PatrondTest {
  protected:
    HttpReply sign_in(const std::string& email, const std::string& password) {
        return http({"POST",
                     server.url("/v1/staff/sessions"),
                     json{{"email", email}, {"password", password}}.dump(),
                     {"Content-Type: application/json"}});
    }
    std::string token_of(const std::string& email, const std::string& password) {
        const auto signed_in = sign_in(email, password);
        EXPECT_EQ(signed_in.status, 201) << signed_in.body;
        return json::parse(signed_in.body).value("token", "");
    }
    std::string admin_token() {
        return token_of(setup.demo["admin"]["email"].get<std::string>(),
                        setup.demo["admin"]["password"].get<std::string>());
    }
    // A user of `role` created by the admin, signed in.
    std::string user_token(const std::string& admin, const std::string& role) {
        const json user = {{"email", role + "@staff.example"},
                           {"name", "Test " + role},
                           {"role", role},
                           {"password", "correct horse " + role}};
        const auto created = staff("POST", "/v1/staff/users", user.dump(), admin);
        EXPECT_EQ(created.status, 201) << created.body;
        return token_of(role + "@staff.example", "correct horse " + role);
    }
};

TEST_F(Staff, EveryStaffRouteAdmitsExactlyTheRolesItDeclares) {
    const std::string admin = admin_token();
    std::map<std::string, std::string> tokens = {{"admin", admin}};
    for (const char* role : {"marketer", "support", "analyst"}) tokens[role] = user_token(admin, role);
    std::vector<api::Route> routes;
    const RouteTable table;
    for (const api::Route& route : table.routes()) {
        if (route.caller == api::Caller::kStaff) routes.push_back(route);
    }
    // Signing out ends the caller's own token: walk it last.
    std::stable_partition(routes.begin(), routes.end(),
                          [](const api::Route& route) { return route.path != "/v1/staff/sessions/current"; });
    int checked = 0;
    for (const api::Route& route : routes) {
        ASSERT_FALSE(route.roles.empty()) << route.method << " " << route.path << " declares no roles";
        const std::string path = concrete(route.path);
        const std::string body = route.method == "GET" || route.method == "DELETE" ? "" : "{}";
        const auto anonymous = http({route.method, server.url(path), body, {"Content-Type: application/json"}});
        EXPECT_EQ(anonymous.status, 401) << route.method << " " << path;
        for (const auto& [role, token] : tokens) {
            const auto reply = staff(route.method, path, body, token);
            if (route.roles.contains(core::parse_staff_role(role).value())) {
                EXPECT_NE(reply.status, 403) << role << " may " << route.method << " " << path << ": " << reply.body;
            } else {
                EXPECT_EQ(reply.status, 403) << role << " may not " << route.method << " " << path;
                EXPECT_EQ(code_of(reply), "FORBIDDEN");
            }
            ++checked;
        }
    }
    EXPECT_GT(checked, 120) << "every staff route with four roles";
}

TEST_F(Staff, AnAdminDisablesAUserAtOnceAndChangesRolesButNeverTheirOwn) {
    const std::string admin = admin_token();
    const std::string support = user_token(admin, "support");
    const json users = json::parse(staff("GET", "/v1/staff/users", "", admin).body)["users"];
    long long support_id = 0;
    long long admin_id = 0;
    for (const json& user : users) (user["role"] == "support" ? support_id : admin_id) = user["id"].get<long long>();
    const std::string support_path = "/v1/staff/users/" + std::to_string(support_id);
    const std::string member = "/v1/members/" + std::to_string(member_id(0));
    ASSERT_EQ(staff("GET", member, "", support).status, 200);

    const auto analyst = staff("PATCH", support_path, R"({"role": "analyst"})", admin);
    ASSERT_EQ(analyst.status, 200) << analyst.body;
    EXPECT_EQ(json::parse(analyst.body)["role"], "analyst");
    EXPECT_EQ(staff("GET", member, "", support).status, 403) << "the open session has the new role";

    ASSERT_EQ(staff("PATCH", support_path, R"({"status": "disabled"})", admin).status, 200);
    EXPECT_EQ(staff("GET", member, "", support).status, 401) << "the session ended";
    EXPECT_EQ(sign_in("support@staff.example", "correct horse support").status, 401);
    ASSERT_EQ(staff("PATCH", support_path, R"({"status": "active"})", admin).status, 200);
    EXPECT_EQ(sign_in("support@staff.example", "correct horse support").status, 201);

    const std::string self = "/v1/staff/users/" + std::to_string(admin_id);
    const auto self_disable = staff("PATCH", self, R"({"status": "disabled"})", admin);
    EXPECT_EQ(self_disable.status, 422);
    EXPECT_EQ(json::parse(self_disable.body)["error"]["field"], "status");
    EXPECT_EQ(json::parse(staff("PATCH", self, R"({"role": "analyst"})", admin).body)["error"]["field"], "role");
    EXPECT_EQ(json::parse(staff("PATCH", support_path, R"({"password": "x"})", admin).body)["error"]["field"],
              "password");
    EXPECT_EQ(staff("PATCH", "/v1/staff/users/999999", R"({"name": "x"})", admin).status, 404);
    // A user that is not there is not there whatever field was sent; a body that is no object is refused first.
    EXPECT_EQ(staff("PATCH", "/v1/staff/users/999999", R"({"password": "x"})", admin).status, 404);
    EXPECT_EQ(json::parse(staff("PATCH", "/v1/staff/users/999999", "[]", admin).body)["error"]["field"], "$");
    long long audited = 0;
    db.raw() << "SELECT COUNT(*) FROM audit_log WHERE action = 'staff.update'", soci::into(audited);
    EXPECT_EQ(audited, 3);
}

// A balance read takes the token's identity from memory and checks it in its own read
// (Route::token_in_read): a change made straight in the database, as another instance would make
// it, holds from the next read on, and the answer is the one a full check would give.
TEST_F(Staff, ABalanceReadChecksTheTokenMemoryKeptInItsOwnReadAndAChangeHoldsAtOnce) {
    const std::string admin = admin_token();
    const std::string support = user_token(admin, "support");
    long long support_id = 0;
    db.raw() << "SELECT id FROM staff_users WHERE role = 'support'", soci::into(support_id);
    const std::string balance = "/v1/members/" + std::to_string(member_id(0)) + "/balance";
    const std::string nobody = "/v1/members/99999999/balance";
    const auto status_of = [&](const std::string& path) { return staff("GET", path, "", support).status; };
    ASSERT_EQ(status_of(balance), 200) << "checked in full, then kept";
    ASSERT_EQ(status_of(balance), 200) << "kept, and confirmed by the read";
    const auto set_user = [&](const std::string& assignment) {
        db.raw() << "UPDATE staff_users SET " + assignment + " WHERE id = " + std::to_string(support_id);
    };

    // Memory holds support from here on; each answer then keeps what its full check found.
    set_user("role = 'analyst'");
    EXPECT_EQ(status_of(nobody), 403) << "no member row carried the check: checked in full";
    set_user("role = 'support'");
    EXPECT_EQ(status_of(balance), 200);
    set_user("role = 'analyst'");
    EXPECT_EQ(status_of(balance), 403) << "the read found another role, which may not";
    set_user("role = 'admin'");
    EXPECT_EQ(status_of(balance), 200) << "memory held analyst, which may not: checked in full";
    set_user("role = 'support'");
    EXPECT_EQ(status_of(balance), 200) << "the read found another role, which may: read again";

    set_user("status = 'disabled'");
    EXPECT_EQ(status_of(nobody), 401) << "no member row carried the check: checked in full";
    set_user("status = 'active'");
    EXPECT_EQ(status_of(balance), 200);
    set_user("status = 'disabled'");
    EXPECT_EQ(status_of(balance), 401);
    set_user("status = 'active'");
    EXPECT_EQ(status_of(balance), 200);

    db.raw() << "UPDATE staff_tokens SET expires_at = '2020-01-01 00:00:00' WHERE staff_user_id = " +
                    std::to_string(support_id);
    EXPECT_EQ(status_of(balance), 401) << "expired";
    EXPECT_EQ(code_of(staff("GET", balance, "", support)), "UNAUTHENTICATED");

    const std::string again = token_of("support@staff.example", "correct horse support");
    ASSERT_EQ(staff("GET", balance, "", again).status, 200);
    ASSERT_EQ(staff("GET", balance, "", again).status, 200);
    db.raw() << "DELETE FROM staff_tokens WHERE staff_user_id = " + std::to_string(support_id);
    EXPECT_EQ(staff("GET", balance, "", again).status, 401) << "signed out by another instance";
    EXPECT_EQ(staff("GET", balance, "", admin).status, 200) << "other tokens stand";
}

TEST_F(Staff, SignInGivesATokenThatSignOutEnds) {
    const auto signed_in =
        sign_in(setup.demo["admin"]["email"].get<std::string>(), setup.demo["admin"]["password"].get<std::string>());
    ASSERT_EQ(signed_in.status, 201) << signed_in.body;
    const json session = json::parse(signed_in.body);
    EXPECT_EQ(session["role"], "admin");
    EXPECT_EQ(session["token"].get<std::string>().size(), 4u + 64u) << "pst_ and 256 random bits in hex";
    EXPECT_FALSE(session["expires_at"].is_null());
    const std::string token = session["token"];
    EXPECT_EQ(staff("GET", "/v1/staff/users", "", token).status, 200);
    EXPECT_EQ(staff("DELETE", "/v1/staff/sessions/current", "", token).status, 204);
    EXPECT_EQ(staff("GET", "/v1/staff/users", "", token).status, 401) << "signed out";

    long long stored = 0;
    const std::string pattern = "pbkdf2-sha256$" + std::to_string(crypto::password_iterations()) + "$%";
    db.raw() << "SELECT COUNT(*) FROM staff_users WHERE password_hash LIKE :pattern", soci::into(stored),
        soci::use(pattern);
    EXPECT_EQ(stored, 1) << "the password is kept only as a PBKDF2 hash";
}

TEST_F(Staff, WrongPasswordsLockTheAccountAndUnknownEmailsLookTheSame) {
    const std::string email = setup.demo["admin"]["email"];
    const auto unknown = sign_in("nobody@staff.example", "whatever-password");
    const auto wrong = sign_in(email, "not-the-password");
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(json::parse(unknown.body)["error"], json::parse(wrong.body)["error"]);
    EXPECT_EQ(sign_in(email, std::string(10'000, 'x')).status, 401) << "no hashing of a huge password";
    EXPECT_EQ(sign_in(email, std::string(100'000, 'x')).status, 413) << "a body over 16 KiB is not even read";
    const auto not_object =
        http({"POST", server.url("/v1/staff/sessions"), "[1, 2]", {"Content-Type: application/json"}});
    EXPECT_EQ(not_object.status, 422) << "a malformed document, not a wrong password";
    EXPECT_EQ(json::parse(not_object.body)["error"]["field"], "$");
    for (int attempt = 2; attempt <= 5; ++attempt) EXPECT_EQ(sign_in(email, "not-the-password").status, 401);
    const auto locked = sign_in(email, setup.demo["admin"]["password"].get<std::string>());
    EXPECT_EQ(locked.status, 429) << "locked even with the right password";
    EXPECT_EQ(code_of(locked), "TOO_MANY_ATTEMPTS");
    for (int attempt = 2; attempt <= 5; ++attempt) EXPECT_EQ(sign_in("nobody@staff.example", "x-password").status, 401);
    const auto unknown_locked = sign_in("nobody@staff.example", "whatever-password");
    EXPECT_EQ(unknown_locked.status, 429) << "an unknown email locks like a real one";
    EXPECT_EQ(code_of(unknown_locked), "TOO_MANY_ATTEMPTS");

    const std::string admin = setup.demo["staff_token"];
    const auto weak =
        staff("POST", "/v1/staff/users",
              R"({"email": "x@staff.example", "name": "X", "role": "admin", "password": "short"})", admin);
    EXPECT_EQ(weak.status, 422);
    EXPECT_EQ(json::parse(weak.body)["error"]["field"], "password");
    const auto no_role = staff(
        "POST", "/v1/staff/users",
        R"({"email": "x@staff.example", "name": "X", "role": "boss", "password": "long enough password"})", admin);
    EXPECT_EQ(json::parse(no_role.body)["error"]["field"], "role");
    const json user = {{"email", email}, {"name", "Again"}, {"role", "analyst"}, {"password", "long enough password"}};
    EXPECT_EQ(code_of(staff("POST", "/v1/staff/users", user.dump(), admin)), "STAFF_EXISTS");
}

}  // namespace
}  // namespace patron::testing
