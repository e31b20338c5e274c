#include "api/server.h"

#include <curl/curl.h>
#include <pistache/listener.h>
#include <pistache/peer.h>
#include <pistache/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

#include "api/client_rate_limit.h"
#include "api/http_error.h"
#include "api/http_wire.h"
#include "api/log.h"
#include "api/route_matcher.h"
#include "api/worker_pool.h"
#include "api/write_once.h"
#include "crypto/digest.h"
#include "crypto/secure_random.h"
#include "loyalty/core/exception_class.h"
#include "loyalty/core/utf8.h"
#include "loyalty/service/runtime/readiness.h"

namespace patron::api {
namespace {

using namespace Pistache;
using core::ErrorCode;
using Clock = std::chrono::steady_clock;

bool is_visible_ascii(std::string_view text, std::size_t length_max) {
    return !text.empty() && text.size() <= length_max &&
           std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

bool is_request_id(const std::string& text) { return is_visible_ascii(text, 64); }

// Writes accept Idempotency-Key, 1-128 visible ASCII characters.
bool is_idempotency_key(const std::string& text) { return is_visible_ascii(text, 128); }

// Header values Patron reads are compared with ASCII columns and hashed: printable ASCII only.
bool is_printable_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return (c >= 0x20 && c < 0x7F) || c == '\t'; });
}

// The headers Patron reads; each may come once, since two would leave it unclear which counts.
const std::set<std::string, std::less<>> kReadHeaders = {
    "authorization", "content-type",   "idempotency-key",    "if-match",           "x-request-id",
    "x-patron-key",  "x-patron-nonce", "x-patron-signature", "x-patron-timestamp",
};

// Query parameters arrive percent-encoded; libcurl decodes them.
std::string percent_decoded(std::string_view text) {
    const std::string encoded(text);
    int length = 0;
    char* decoded = curl_easy_unescape(nullptr, encoded.c_str(), static_cast<int>(encoded.size()), &length);
    if (decoded == nullptr) return encoded;
    std::string out(decoded, static_cast<std::size_t>(length));
    curl_free(decoded);
    return out;
}

// The body limit of routes anyone or a member may call: their documents are a few hundred bytes.
constexpr std::size_t kStrangersBodyMax = 16 * 1024;

// Unwritten answers a connection may pile up before sending more is refused by cutting it.
constexpr std::size_t kUnsentMax = 1024 * 1024;

// What a closing connection reads and drops before it is cut: more than any refused body.
constexpr std::size_t kDiscardMax = 4 * 1024 * 1024;

// How long a write may make no progress at all before its connection is cut.
constexpr auto kWriteStall = std::chrono::seconds(60);

// Connections from one address (an IPv6 /64), loopback excepted: a store's tills share one, a
// flood from one host does not take every slot.
constexpr std::size_t kConnectionsPerAddressMax = 256;

// How long a closed connection still reads (and drops) what its client sends.
constexpr auto kLinger = std::chrono::seconds(2);

// Which outcomes spend a client's budget: a password check that failed (a right one, a document
// refused before any check, a lock-out that hashed nothing cost nothing), a message sent, a token
// that is not Patron's.
bool counts_against_client(Expense expense, int status) {
    switch (expense) {
        case Expense::kHashesPassword:
            return status == 401;
        case Expense::kSendsMessage:
            return status == 202;
        case Expense::kChecksToken:
            return status == 404;
        case Expense::kOrdinary:
        case Expense::kReadsReport:
            return false;
    }
    return false;
}

// Whether each client address has a budget of the route's calls (reports are bounded by their
// pool instead, whoever asks).
bool budgeted_per_client(Expense expense) { return expense != Expense::kOrdinary && expense != Expense::kReadsReport; }

bool is_loopback(const std::string& address) {
    return address.starts_with("127.") || address == "::1" || address.starts_with("::ffff:127.");
}

// One client connection: its reader, and its answers in the order the requests came.
struct Connection : std::enable_shared_from_this<Connection> {
    Connection(std::weak_ptr<Tcp::Peer> peer_in, int fd_in, std::string address, HttpLimits limits,
               RequestReader::BodyLimit body_limit)
        : peer(std::move(peer_in)),
          fd(fd_in),
          client_address(std::move(address)),
          reader(limits, std::move(body_limit)),
          limit_key(rate_limit_key(client_address)) {}

    std::mutex mutex;
    std::weak_ptr<Tcp::Peer> peer;
    const int fd;
    const std::string client_address;
    RequestReader reader;
    bool open = true;      // False once Pistache has reported the disconnection (under the registry lock).
    bool closing = false;  // An answer that closes the connection is due: read nothing more.
    std::uint64_t next_sequence = 0;  // Given to the next request read.
    std::uint64_t next_to_send = 0;   // The request whose answer goes out next.
    std::map<std::uint64_t, std::pair<std::string, bool>> ready;  // Answers waiting for their turn.
    std::size_t discarded_bytes = 0;  // Read and dropped after the closing answer.
    Clock::time_point request_started{};                          // First byte of the request being read.
    Clock::time_point last_activity = Clock::now();
    // The closing answer is written and the write side shut: what still arrives is read and
    // dropped for a moment, so the client reads the answer instead of a reset (lingering close).
    // Atomic, not under `mutex`: Pistache may run the write's continuation at once, in the
    // thread that sent it while holding `mutex`.
    std::atomic<Clock::rep> lingering_since{0};
    // Answers handed to Pistache and not yet written (a client that does not read piles them
    // up), and when a write last finished: atomic for the same reason.
    std::atomic<std::size_t> unsent_bytes{0};
    std::atomic<Clock::rep> last_written{Clock::now().time_since_epoch().count()};
    const std::string limit_key;  // rate_limit_key(client_address): connections are counted per key.
};

// What an answer needs to find its way back.
struct Exchange {
    std::shared_ptr<Connection> connection;
    std::uint64_t sequence = 0;
    bool head = false;
    bool close_after = false;
};

}  // namespace

struct ApiServer::Impl {
    Impl(ApiSettings settings_in, std::vector<Route> routes_in, ApiServices services_in)
        : settings(std::move(settings_in)),
          routes(std::move(routes_in)),
          services(services_in),
          matcher(routes),
          workers(settings.workers, settings.queue_max),
          password_workers(settings.password_workers, settings.password_queue_max),
          report_workers(settings.report_workers, settings.report_queue_max),
          request_prefix(random.token_hex(4)) {
        describe_pools();
    }

    // The three worker pools in /metrics, labelled as the tills' and staff's requests, password
    // hashing and reports.
    void describe_pools() {
        using Read = std::size_t (WorkerPool::*)() const;
        const auto family = [this](std::string name, std::string type, std::string help, Read read) {
            services.metrics.add_family(std::move(name), std::move(type), std::move(help), [this, read] {
                return std::vector<Metrics::Sample>{
                    {"pool=\"requests\"", static_cast<double>((workers.*read)())},
                    {"pool=\"passwords\"", static_cast<double>((password_workers.*read)())},
                    {"pool=\"reports\"", static_cast<double>((report_workers.*read)())}};
            });
        };
        family("patron_worker_threads", "gauge", "Threads of each worker pool.", &WorkerPool::threads);
        family("patron_worker_busy", "gauge", "Threads of each worker pool running a request.", &WorkerPool::busy);
        family("patron_worker_queue_depth", "gauge", "Requests waiting for a worker, by pool.", &WorkerPool::queued);
        family("patron_worker_queue_capacity", "gauge", "Requests that may wait for a worker before 503, by pool.",
               &WorkerPool::capacity);
        services.metrics.add_family(
            "patron_worker_rejected_total", "counter",
            "Requests answered 503 at once because their pool's queue was full, since the start.", [this] {
                return std::vector<Metrics::Sample>{
                    {"pool=\"requests\"", static_cast<double>(workers.rejected())},
                    {"pool=\"passwords\"", static_cast<double>(password_workers.rejected())},
                    {"pool=\"reports\"", static_cast<double>(report_workers.rejected())}};
            });
    }

    HttpLimits limits() const {
        HttpLimits limits;
        limits.body_max = settings.body_max;
        return limits;
    }

    // A route's own body limit, or a small one where strangers and members call (and for no route).
    std::size_t body_limit(std::string_view method, std::string_view target) const {
        const auto match = matcher.find(method, target.substr(0, target.find('?')));
        if (!match || !match->route) return kStrangersBodyMax;
        if (match->route->body_max != 0) return match->route->body_max;
        const Caller caller = match->route->caller;
        return caller == Caller::kStaff || caller == Caller::kTerminal ? settings.body_max : kStrangersBodyMax;
    }

    // ---- Connections, on Pistache's I/O threads ----

    void connected(const std::shared_ptr<Tcp::Peer>& peer) {
        auto connection =
            std::make_shared<Connection>(peer, peer->fd(), peer->address().host(), limits(),
                                         [this](std::string_view method, std::string_view target) {
                                             return body_limit(method, target);
                                         });
        std::lock_guard lock(registry_mutex);
        std::size_t& from_address = connections_per_address[connection->limit_key];
        if (registry.size() >= connections_max ||
            (from_address >= kConnectionsPerAddressMax && !is_loopback(connection->client_address))) {
            ::shutdown(peer->fd(), SHUT_RDWR);
            connection->open = false;
        }
        ++from_address;
        registry[peer.get()] = std::move(connection);
    }

    void disconnected(const std::shared_ptr<Tcp::Peer>& peer) {
        std::shared_ptr<Connection> connection;
        {
            std::lock_guard lock(registry_mutex);
            const auto it = registry.find(peer.get());
            if (it == registry.end()) return;
            connection = std::move(it->second);
            registry.erase(it);
            connection->open = false;  // Pistache closes the descriptor after this returns.
            if (--connections_per_address[connection->limit_key] == 0) {
                connections_per_address.erase(connection->limit_key);
            }
        }
    }

    std::shared_ptr<Connection> connection_of(const Tcp::Peer* peer) {
        std::lock_guard lock(registry_mutex);
        const auto it = registry.find(peer);
        return it == registry.end() ? nullptr : it->second;
    }

    void received(const std::shared_ptr<Tcp::Peer>& peer, std::string_view bytes) {
        const auto connection = connection_of(peer.get());
        if (!connection) return;
        // A client that sends more while its answers pile up unread is cut, before its answers
        // take the server's memory.
        if (connection->unsent_bytes > kUnsentMax) return cut(connection);
        std::vector<std::pair<std::uint64_t, WireRequest>> requests;
        bool discarded_enough = false;
        {
            std::lock_guard lock(connection->mutex);
            if (connection->closing) {
                // Input after the closing answer is read and dropped (so the client reads that answer
                // rather than a reset), but not without end.
                connection->discarded_bytes += bytes.size();
                discarded_enough = connection->discarded_bytes > kDiscardMax;
            }
        }
        if (discarded_enough) return cut(connection);
        {
            std::lock_guard lock(connection->mutex);
            if (connection->closing) return;
            const auto now = Clock::now();
            const bool was_idle = connection->reader.phase() == RequestReader::Phase::kIdle;
            auto progress = connection->reader.feed(bytes);
            connection->last_activity = now;
            if (connection->reader.phase() != RequestReader::Phase::kIdle &&
                (was_idle || !progress.requests.empty())) {
                connection->request_started = now;
            }
            for (WireRequest& request : progress.requests) {
                if (connection->closing) break;
                const std::uint64_t sequence = connection->next_sequence++;
                if (sequence - connection->next_to_send >= settings.pipeline_max) {
                    refuse_locked(*connection, {ErrorCode::kRateLimited,
                                                "more than " + std::to_string(settings.pipeline_max) +
                                                    " requests wait for their answers on this connection",
                                                ""},
                                  sequence);
                    break;
                }
                if (!request.keep_alive) connection->closing = true;
                requests.emplace_back(sequence, std::move(request));
            }
            if (progress.refusal && !connection->closing) {
                refuse_locked(*connection, *progress.refusal, connection->next_sequence++);
            }
            // An interim answer may not pass answers still due on the connection; without it the
            // client sends its body after its own wait (a second for curl).
            if (progress.continue_wanted && !connection->closing && requests.empty() &&
                connection->next_to_send == connection->next_sequence) {
                peer->send(RawBuffer(std::string(kContinue), kContinue.size())).then([](ssize_t) {}, Async::IgnoreException);
            }
        }
        for (auto& [sequence, request] : requests) {
            const bool head = request.method == "HEAD";
            const bool close_after = !request.keep_alive;
            dispatch(Exchange{connection, sequence, head, close_after}, std::move(request));
        }
    }

    // An answer for bytes that are no request: it goes out in its turn, and then the connection closes.
    void refuse_locked(Connection& connection, const core::Error& error, std::uint64_t sequence) {
        connection.closing = true;
        const HttpResponse response = error_response(error);
        log_line({{"event", "refused"},
                  {"status", response.status},
                  {"code", core::code_name(error.code)},
                  {"field", error.field}});
        services.metrics.record("-", "refused", response.status, std::chrono::microseconds(0));
        deliver_locked(connection, sequence, encode_response(response, false, true), true);
    }

    void deliver(const Exchange& exchange, std::string bytes) {
        std::lock_guard lock(exchange.connection->mutex);
        deliver_locked(*exchange.connection, exchange.sequence, std::move(bytes), exchange.close_after);
    }

    // Sends every answer whose turn has come; an answer that closes the connection closes it
    // once written (on the I/O thread that owns the socket, while it is still open).
    void deliver_locked(Connection& connection, std::uint64_t sequence, std::string bytes, bool close_after) {
        connection.ready.emplace(sequence, std::make_pair(std::move(bytes), close_after));
        const auto peer = connection.peer.lock();
        while (!connection.ready.empty() && connection.ready.begin()->first == connection.next_to_send) {
            auto node = connection.ready.extract(connection.ready.begin());
            ++connection.next_to_send;
            connection.last_activity = Clock::now();
            if (!peer) continue;
            auto& [text, closes] = node.mapped();
            const std::size_t length = text.size();
            connection.unsent_bytes += length;
            auto sent = peer->send(RawBuffer(std::move(text), length));
            std::weak_ptr<Connection> weak = connection.weak_from_this();
            const auto written = [weak, length] {
                if (const auto owner = weak.lock()) {
                    owner->unsent_bytes -= length;
                    owner->last_written = Clock::now().time_since_epoch().count();
                }
            };
            if (closes) {
                sent.then([this, weak, written](ssize_t) { written(), linger(weak.lock()); },
                          [this, weak, written](std::exception_ptr) { written(), cut(weak.lock()); });
                connection.ready.clear();
                break;
            }
            sent.then([written](ssize_t) { written(); }, [written](std::exception_ptr) { written(); });
        }
    }

    // Runs on the I/O thread that wrote the answer, or at once in the sending thread (which may
    // hold the connection's mutex, so this takes only the registry's).
    void linger(const std::shared_ptr<Connection>& connection) {
        if (!connection) return;
        connection->lingering_since = Clock::now().time_since_epoch().count();
        std::lock_guard lock(registry_mutex);
        if (connection->open) ::shutdown(connection->fd, SHUT_WR);
    }

    void cut(const std::shared_ptr<Connection>& connection) {
        if (!connection) return;
        std::lock_guard lock(registry_mutex);
        if (connection->open) ::shutdown(connection->fd, SHUT_RDWR);
    }

    // Every 200 ms: requests that arrive too slowly get 408 and are cut; idle connections close.
    void reap() {
        std::unique_lock wait_lock(reaper_mutex);
        while (!reaper_stop) {
            reaper_wake.wait_for(wait_lock, std::chrono::milliseconds(200));
            if (reaper_stop) break;
            std::vector<std::shared_ptr<Connection>> connections;
            {
                std::lock_guard lock(registry_mutex);
                for (const auto& [peer, connection] : registry) connections.push_back(connection);
            }
            const auto now = Clock::now();
            for (const auto& connection : connections) reap_one(*connection, now);
        }
    }

    void reap_one(Connection& connection, Clock::time_point now) {
        bool cut = false;
        {
            std::lock_guard lock(connection.mutex);
            const auto phase = connection.reader.phase();
            const bool waiting = connection.next_to_send != connection.next_sequence;
            const Clock::time_point written{Clock::duration(connection.last_written)};
            if (connection.unsent_bytes > 0) {
                // A slow reader of a large answer is cut only when its writes stall.
                cut = now - written > kWriteStall;
            } else if (const Clock::rep since = connection.lingering_since; since != 0) {
                cut = now - Clock::time_point(Clock::duration(since)) > kLinger;
            } else if (connection.closing) {
                cut = now - connection.last_activity > settings.request_timeout;
            } else if (phase == RequestReader::Phase::kIdle) {
                cut = !waiting && now - std::max(connection.last_activity, written) > settings.idle_timeout;
            } else {
                const auto limit =
                    phase == RequestReader::Phase::kHeaders ? settings.header_timeout : settings.request_timeout;
                if (now - connection.request_started > limit) {
                    refuse_locked(connection,
                                  {ErrorCode::kRequestTimeout, "the request did not arrive whole in time", ""},
                                  connection.next_sequence++);
                }
            }
        }
        if (cut) {
            std::lock_guard lock(registry_mutex);
            if (connection.open) ::shutdown(connection.fd, SHUT_RDWR);
        }
    }

    // Waits, up to `limit`, until every answer handed to Pistache is written.
    void drain_writes(std::chrono::milliseconds limit) {
        const auto deadline = Clock::now() + limit;
        while (Clock::now() < deadline) {
            bool unsent = false;
            {
                std::lock_guard lock(registry_mutex);
                for (const auto& [peer, connection] : registry) unsent = unsent || connection->unsent_bytes > 0;
            }
            if (!unsent) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    // ---- Requests ----

    core::Result<HttpRequest> request_of(WireRequest& wire, const Connection& connection,
                                         const RouteMatcher::Match* match) {
        HttpRequest request;
        request.method = wire.method;
        const std::size_t question = wire.target.find('?');
        request.path = wire.target.substr(0, question);
        if (question != std::string::npos) request.query = wire.target.substr(question + 1);
        request.body = std::move(wire.body);
        request.client_address = connection.client_address;
        for (auto& [name, value] : wire.headers) {
            if (kReadHeaders.contains(name)) {
                if (request.headers.contains(name)) {
                    return core::fail(ErrorCode::kMalformedRequest, "the header is sent twice", name);
                }
                if (!is_printable_ascii(value)) {
                    return core::fail(ErrorCode::kMalformedRequest, "the header must be printable ASCII", name);
                }
            }
            request.headers[name] = std::move(value);
        }
        const auto sent_id = request.header("x-request-id");
        request.request_id = sent_id && is_request_id(*sent_id) ? *sent_id : next_request_id();
        std::size_t at = 0;
        while (at < request.query.size()) {
            const std::size_t amp = std::min(request.query.find('&', at), request.query.size());
            const std::string_view pair = std::string_view(request.query).substr(at, amp - at);
            at = amp + 1;
            if (pair.empty()) continue;
            const std::size_t equals = pair.find('=');
            std::string name = percent_decoded(pair.substr(0, equals));
            std::string value = equals == std::string_view::npos ? "" : percent_decoded(pair.substr(equals + 1));
            if (!core::is_valid_utf8(name) || !core::is_valid_utf8(value)) {
                return core::fail(ErrorCode::kMalformedRequest, "query parameters must be UTF-8",
                                  core::is_valid_utf8(name) ? name : "query");
            }
            request.query_params[std::move(name)] = std::move(value);
        }
        if (match) {
            for (const auto& [name, value] : match->params) {
                if (!is_visible_ascii(value, 256)) {
                    return core::fail(ErrorCode::kValidationFailed,
                                      "a path parameter is 1 to 256 visible ASCII characters", name);
                }
            }
            request.params = match->params;
        }
        return request;
    }

    void dispatch(Exchange exchange, WireRequest wire) {
        const auto started = Clock::now();
        try {
            const std::string path = wire.target.substr(0, wire.target.find('?'));
            const auto match = matcher.find(wire.method, path);
            auto request = request_of(wire, *exchange.connection, match ? &*match : nullptr);
            if (!request) {
                return respond(exchange, bare_request(wire.method), match ? match->path_template : "unmatched",
                               error_response(request.error()), started);
            }
            if (!match) {
                return respond(exchange, *request, "unmatched", error_response({ErrorCode::kNotFound, "no such route", ""}),
                               started);
            }
            if (!match->route) {
                auto response = error_response({ErrorCode::kMethodNotAllowed, "allowed here: " + match->allow, ""});
                response.headers.emplace_back("Allow", match->allow);
                return respond(exchange, *request, match->path_template, std::move(response), started);
            }
            run(exchange, *match->route, std::move(*request), started);
        } catch (const std::exception& error) {
            respond(exchange, bare_request(wire.method), "unmatched",
                    internal_error("unmatched", core::exception_class(error)), started);
        }
    }

    std::string next_request_id() { return request_prefix + "-" + std::to_string(++request_counter); }

    // What the log and the answer need of a request refused before it could be read whole.
    HttpRequest bare_request(const std::string& method) {
        HttpRequest request;
        request.method = method;
        request.request_id = next_request_id();
        return request;
    }

    void run(const Exchange& exchange, const Route& route, HttpRequest request, Clock::time_point started) {
        if (draining) {
            return respond(exchange, request, route.path,
                           error_response({ErrorCode::kUnavailable, "the server is shutting down", ""}), started);
        }
        if (const auto key = request.header("idempotency-key"); key && !is_idempotency_key(*key)) {
            return respond(exchange, request, route.path,
                           error_response({ErrorCode::kValidationFailed,
                                           "Idempotency-Key must be 1 to 128 visible ASCII characters",
                                           "Idempotency-Key"}),
                           started);
        }
        if (!route.on_worker) return respond(exchange, request, route.path, handle(route, request), started);

        const std::string client = rate_limit_key(request.client_address);
        if (budgeted_per_client(route.expense)) {
            const RateDecision admitted = client_limit.admit(client, Clock::now());
            if (!admitted.allowed) {
                auto response = error_response(
                    {ErrorCode::kRateLimited, "too many from this address; retry after the time in Retry-After", ""});
                const auto seconds = std::chrono::ceil<std::chrono::seconds>(admitted.retry_after).count();
                response.headers.emplace_back("Retry-After", std::to_string(std::max<long long>(seconds, 1)));
                return respond(exchange, request, route.path, std::move(response), started);
            }
        }
        WorkerPool& pool = route.expense == Expense::kHashesPassword ? password_workers
                           : route.expense == Expense::kReadsReport  ? report_workers
                                                                     : workers;
        auto shared_request = std::make_shared<HttpRequest>(std::move(request));
        const bool queued = pool.try_submit([this, &route, exchange, shared_request, started, client] {
            HttpResponse response = handle(route, *shared_request);
            if (!counts_against_client(route.expense, response.status)) client_limit.refund(client, Clock::now());
            respond(exchange, *shared_request, route.path, std::move(response), started);
        });
        if (!queued) {
            if (budgeted_per_client(route.expense)) client_limit.refund(client, Clock::now());
            respond(exchange, *shared_request, route.path,
                    error_response({ErrorCode::kOverloaded, "too many requests in flight; retry shortly", ""}),
                    started);
        }
    }

    static core::Result<std::string> bearer_token(const HttpRequest& request) {
        const auto authorization = request.header("authorization");
        if (!authorization || !authorization->starts_with("Bearer ") || authorization->size() < 8) {
            return core::fail(ErrorCode::kUnauthenticated, "send Authorization: Bearer <token>", "Authorization");
        }
        return authorization->substr(7);
    }

    // Without a metrics token, loopback clients; with one, whoever sends it (and no one else,
    // since a proxy on the same host would make every client loopback).
    bool is_operator(const HttpRequest& request) const {
        if (settings.metrics_token.empty()) return is_loopback(request.client_address);
        const auto token = bearer_token(request);
        return token && crypto::constant_time_equal(crypto::as_bytes(*token), crypto::as_bytes(settings.metrics_token));
    }

    // With `kept`, a staff or member token is taken as memory holds it, with the check the
    // route's read makes (Route::token_in_read); a token not kept is checked as any.
    core::Result<CallContext> authenticate(const Route& route, const HttpRequest& request, bool kept = false) {
        CallContext context;
        if (kept && (route.caller == Caller::kStaff || route.caller == Caller::kMember)) {
            const auto token = bearer_token(request);
            if (!token) return std::unexpected(token.error());
            if (route.caller == Caller::kStaff) {
                if (auto staff = services.access.kept_staff(*token); staff && route.roles.contains(staff->first.role)) {
                    context.staff = std::move(staff->first);
                    context.token_check = std::move(staff->second);
                    return context;
                }
            } else if (auto member = services.access.kept_member(*token)) {
                context.member = member->first;
                context.token_check = std::move(member->second);
                return context;
            }
        }
        if (route.caller == Caller::kStaff) {
            const auto token = bearer_token(request);
            if (!token) return std::unexpected(token.error());
            auto staff = services.access.staff_by_token(*token);
            if (!staff) return std::unexpected(staff.error());
            if (!route.roles.contains(staff->role)) {
                return core::fail(ErrorCode::kForbidden,
                                  "the " + std::string(core::to_string(staff->role)) + " role may not use this route");
            }
            context.staff = std::move(*staff);
        } else if (route.caller == Caller::kMember) {
            const auto token = bearer_token(request);
            if (!token) return std::unexpected(token.error());
            auto member = services.access.member_by_token(*token);
            if (!member) return std::unexpected(member.error());
            context.member = *member;
        } else if (route.caller == Caller::kTerminal) {
            const std::string path_with_query =
                request.query.empty() ? request.path : request.path + "?" + request.query;
            auto admitted = services.terminals.admit(
                SignedRequest{request.method, path_with_query, request.body, request.header("x-patron-key"),
                              request.header("x-patron-timestamp"), request.header("x-patron-nonce"),
                              request.header("x-patron-signature")},
                route.nonce_in_operation);
            if (!admitted) return std::unexpected(admitted.error());
            context.terminal = std::move(admitted->identity);
            context.nonce = std::move(admitted->nonce);
        } else if (route.caller == Caller::kOperator && !is_operator(request)) {
            return core::fail(ErrorCode::kForbidden,
                              "served to loopback clients, or with the metrics token when one is set (PATRON_METRICS_TOKEN)");
        }
        return context;
    }

    // Everything a route does, behind one guard: no exception leaves this function.
    HttpResponse handle(const Route& route, const HttpRequest& request) {
        std::optional<service::TerminalNonce> deferred;
        HttpResponse response;
        // A till, a member or staff may have written through another instance a moment ago (a
        // purchase before its return, a one-time code before its sign-in): on a
        // Galera node the request's first unit of work waits until this node has applied it.
        // Probes and metrics do not wait (docs/cluster.md, "Reading one's own writes").
        std::optional<service::CausalReads> causal;
        if (route.path.starts_with("/v1/")) causal.emplace();
        try {
            auto context = authenticate(route, request, route.token_in_read);
            if (!context) return error_response(context.error());
            deferred = context->nonce;
            const auto key = request.header("idempotency-key");
            response = key && keeps_answers(route)
                           ? answer_once(services.write_once, route, request, *context, std::string(*key))
                           : route.handler(request, *context);
            const auto check =
                context->token_check ? context->token_check->state() : service::FoldedCheck::State::kConfirmed;
            // The read did not confirm the identity memory kept: the token is checked as any
            // route's (which keeps or forgets it); a read that found it changed is read again. A
            // failure of the server's own (5xx) that read nothing stands: it tells the caller
            // nothing, and checking would only wait on the same database again.
            if (check == service::FoldedCheck::State::kChanged ||
                (check == service::FoldedCheck::State::kUnread && response.status < 500)) {
                const auto checked = authenticate(route, request);
                if (!checked) {
                    response = error_response(checked.error());
                } else if (check == service::FoldedCheck::State::kChanged) {
                    response = route.handler(request, *checked);
                }
            }
        } catch (const std::exception& error) {
            response = internal_error(route.path, core::exception_class(error));
        } catch (...) {
            response = internal_error(route.path, "unknown exception");
        }
        record_unclaimed_nonce(deferred, response);
        return response;
    }

    // A nonce the operation was to record in its transaction, when it answered with an error (its
    // transaction rolled back, or never began): recorded now, so that the signed request cannot be
    // sent again (a success committed it). A nonce used before, or a key that may no longer sign,
    // is the answer then, as if the gate had recorded it first: a replayed request gets
    // NONCE_REUSED whatever its document. A database that cannot record it failed the operation
    // already; its answer stays.
    void record_unclaimed_nonce(const std::optional<service::TerminalNonce>& nonce, HttpResponse& response) {
        if (!nonce || response.status < 300) return;
        try {
            const auto recorded = services.terminals.record_nonce(*nonce);
            if (!recorded && recorded.error().code != ErrorCode::kUnavailable &&
                recorded.error().code != ErrorCode::kInternal) {
                response = error_response(recorded.error());
            }
        } catch (const std::exception& error) {
            log_line({{"level", "error"}, {"event", "nonce_not_recorded"}, {"detail", core::exception_class(error)}});
        }
    }

    HttpResponse internal_error(const std::string& route, const std::string& detail) {
        const std::string incident = random.token_hex(8);
        log_line(
            {{"level", "error"}, {"event", "incident"}, {"incident", incident}, {"route", route}, {"detail", detail}});
        const core::Error error{ErrorCode::kInternal, "internal error; quote incident " + incident, ""};
        return HttpResponse{500, error_body(error, incident), "application/json", {}, error};
    }

    // Logs, counts and sends one answer; never throws (a fault here must not end a worker).
    void respond(const Exchange& exchange, const HttpRequest& request, const std::string& route,
                 HttpResponse response, Clock::time_point started) noexcept {
        try {
            if (response.error && response.error->code == ErrorCode::kInternal &&
                !response.body.contains("incident")) {
                response = internal_error(route, response.error->message);
            }
            response.headers.emplace_back("X-Request-Id", request.request_id);
            // Counted and logged before the answer leaves, so a client's next request always sees it.
            const auto duration = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
            services.metrics.record(request.method, route, response.status, duration);
            nlohmann::json line = {
                {"event", "request"},        {"request_id", request.request_id},
                {"method", request.method},  {"route", route},
                {"status", response.status}, {"duration_ms", static_cast<double>(duration.count()) / 1000}};
            if (response.error) line["code"] = core::code_name(response.error->code);
            log_line(line);
            deliver(exchange, encode_response(response, exchange.head, exchange.close_after));
        } catch (...) {
            deliver(exchange, encode_response(internal_error(route, "the answer could not be sent"), exchange.head,
                                              true));
        }
    }

    // Pistache's TCP layer hands each connection's bytes here; one clone per I/O thread.
    class EdgeHandler final : public Tcp::Handler {
      public:
        explicit EdgeHandler(Impl* server) : server_(server) {}
        PROTOTYPE_OF(Tcp::Handler, EdgeHandler)

        void onConnection(const std::shared_ptr<Tcp::Peer>& peer) override { guarded([&] { server_->connected(peer); }); }
        void onDisconnection(const std::shared_ptr<Tcp::Peer>& peer) override {
            guarded([&] { server_->disconnected(peer); });
        }
        void onInput(const char* buffer, size_t length, const std::shared_ptr<Tcp::Peer>& peer) override {
            guarded([&] { server_->received(peer, std::string_view(buffer, length)); });
        }

      private:
        // Nothing may escape into Pistache's reactor thread.
        template <typename Work>
        static void guarded(Work&& work) {
            try {
                work();
            } catch (const std::exception& error) {
                log_line({{"level", "error"}, {"event", "connection_fault"}, {"detail", core::exception_class(error)}});
            } catch (...) {
                log_line({{"level", "error"}, {"event", "connection_fault"}});
            }
        }

        Impl* server_;
    };

    ApiSettings settings;
    std::vector<Route> routes;
    ApiServices services;
    RouteMatcher matcher;
    crypto::SystemRandom random;
    WorkerPool workers;
    WorkerPool password_workers;
    WorkerPool report_workers;
    ClientRateLimit client_limit{ClientRateLimitSettings{20, std::chrono::milliseconds(3000), 10'000}};
    std::string request_prefix;
    std::atomic<std::uint64_t> request_counter{0};
    std::atomic<bool> draining{false};

    std::mutex registry_mutex;
    std::unordered_map<const Tcp::Peer*, std::shared_ptr<Connection>> registry;
    std::unordered_map<std::string, std::size_t> connections_per_address;
    std::size_t connections_max = 0;  // settings.connections_max, within the process's descriptors.

    std::mutex reaper_mutex;
    std::condition_variable reaper_wake;
    bool reaper_stop = false;
    std::thread reaper;

    std::unique_ptr<Tcp::Listener> listener;
};

ApiServer::ApiServer(ApiSettings settings, std::vector<Route> routes, ApiServices services)
    : impl_(std::make_unique<Impl>(std::move(settings), std::move(routes), services)) {}

ApiServer::~ApiServer() { shutdown(); }

void ApiServer::start() {
    // Each connection is a descriptor; the database pool, the log and the reactor need some too.
    rlimit files{};
    impl_->connections_max = impl_->settings.connections_max;
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY) {
        const auto usable = files.rlim_cur > 256 ? static_cast<std::size_t>(files.rlim_cur - 256) : 16;
        impl_->connections_max = std::min(impl_->connections_max, usable);
    }
    Address address(impl_->settings.host, Port(impl_->settings.port));
    impl_->listener = std::make_unique<Tcp::Listener>(address);
    impl_->listener->init(impl_->settings.http_threads, Flags<Tcp::Options>(Tcp::Options::ReuseAddr));
    impl_->listener->setHandler(std::make_shared<Impl::EdgeHandler>(impl_.get()));
    impl_->listener->bind();
    impl_->listener->runThreaded();
    impl_->reaper = std::thread([this] { impl_->reap(); });
}

std::uint16_t ApiServer::port() const {
    return impl_->listener ? static_cast<std::uint16_t>(impl_->listener->getPort()) : 0;
}

void ApiServer::shutdown() {
    if (!impl_ || !impl_->listener) return;
    impl_->draining = true;
    impl_->workers.stop();
    impl_->password_workers.stop();
    impl_->report_workers.stop();
    impl_->drain_writes(std::chrono::seconds(2));
    {
        std::lock_guard lock(impl_->reaper_mutex);
        impl_->reaper_stop = true;
    }
    impl_->reaper_wake.notify_all();
    if (impl_->reaper.joinable()) impl_->reaper.join();
    impl_->listener->shutdown();
    impl_->listener.reset();
}

}  // namespace patron::api
