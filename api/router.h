// The route table: every route Patron serves, with the template clients and metrics see, who
// may call it, and whether its work goes to the worker pool (anything touching the database).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_types.h"
#include "loyalty/core/staff_role.h"
#include "loyalty/service/access/access_service.h"

namespace patron::api {

// Members (the portal) reach /v1/me/... only, with a member token. Operators (/metrics) call
// from a loopback address, or with the metrics token from anywhere.
enum class Caller { kAnyone, kStaff, kMember, kTerminal, kOperator };

// The staff roles a route admits; every staff route names its own, and a staff caller whose role
// is not among them gets 403 FORBIDDEN before the handler runs (core/staff_role.h says what each may).
using Roles = core::StaffRoles;
inline constexpr Roles kNoRoles{};
inline constexpr Roles kRoleAdmin{core::StaffRole::kAdmin};
inline constexpr Roles kRoleMarketer{core::StaffRole::kMarketer};
inline constexpr Roles kRoleSupport{core::StaffRole::kSupport};
inline constexpr Roles kRoleAnalyst{core::StaffRole::kAnalyst};
inline constexpr Roles kAllStaff = kRoleAdmin | kRoleMarketer | kRoleSupport | kRoleAnalyst;

struct CallContext {
    std::optional<service::StaffIdentity> staff;
    std::optional<service::TerminalIdentity> terminal;
    // The terminal's nonce, when the route records it in its operation's transaction (Route::nonce_in_operation).
    std::optional<service::TerminalNonce> nonce;
    std::optional<service::MemberIdentity> member;
    // The staff's or member's identity as kept in memory, when the route confirms it in its own
    // read (Route::token_in_read).
    std::shared_ptr<service::FoldedCheck> token_check;

    const service::TerminalNonce* nonce_to_record() const { return nonce ? &*nonce : nullptr; }
    service::FoldedCheck* token_to_check() const { return token_check.get(); }
};

using Handler = std::function<HttpResponse(const HttpRequest&, const CallContext&)>;

// What a route costs beyond the ordinary, and so how it is limited per client address.
enum class Expense {
    kOrdinary,
    // Checks a password (600,000 PBKDF2 iterations): runs on a small pool of its own, so a flood
    // of sign-ins never takes the workers the tills share, and each client address has a budget
    // of failed checks (a right password costs nothing).
    kHashesPassword,
    // Sends a member a message (a one-time code): each client address has a budget of them.
    kSendsMessage,
    // Takes a signed token in its path from anyone (a feedback link): each client address has a
    // budget of tokens that turn out not to be Patron's (404), so nobody tries tokens at speed.
    kChecksToken,
    // Reads a report over a range of the programme's history (seconds at a million members, and
    // memory in proportion to the range): runs on a small pool of its own, so staff reading reports
    // never take the workers the tills share, and beyond that pool's queue the answer is 503
    // OVERLOADED with Retry-After.
    kReadsReport,
};

struct Route {
    std::string method;  // "GET", "POST", ...
    std::string path;    // Pistache template, e.g. "/v1/members/:id"
    Caller caller;
    Roles roles;  // Staff routes: who may call; kNoRoles otherwise.
    bool on_worker;
    Handler handler;
    Expense expense = Expense::kOrdinary;
    // The largest body the route reads; 0: 16 KiB where anyone or a member may call, else the
    // server's limit (1 MiB). Known from the request line, so a larger body is refused unread.
    std::size_t body_max = 0;
    // Terminal routes: the operation records the request's nonce in its own transaction (one
    // durable commit per sale); when it answers with an error, the server records it afterwards.
    bool nonce_in_operation = false;
    // Staff and member GET routes: the caller's token, kept in memory since its last check, is
    // checked by a column of the operation's own read (service::FoldedCheck), not a statement of
    // its own; unless that read confirmed it, the server checks it as any route's afterwards.
    bool token_in_read = false;
};

// `route`, checking its caller's token in its read (Route::token_in_read).
inline Route token_in_read(Route route) {
    route.token_in_read = true;
    return route;
}

}  // namespace patron::api
