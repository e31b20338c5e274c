#include "api/server.h"

#include <curl/curl.h>
#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/router.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <set>

#include "api/http_error.h"
#include "api/log.h"
#include "api/worker_pool.h"
#include "crypto/secure_random.h"

namespace patron::api {
namespace {

using namespace Pistache;
using core::ErrorCode;
using Clock = std::chrono::steady_clock;

const std::vector<std::pair<Http::Method, std::string>> kMethods = {
    {Http::Method::Get, "GET"},         {Http::Method::Post, "POST"},     {Http::Method::Put, "PUT"},
    {Http::Method::Patch, "PATCH"},     {Http::Method::Delete, "DELETE"}, {Http::Method::Head, "HEAD"},
    {Http::Method::Options, "OPTIONS"}, {Http::Method::Trace, "TRACE"},   {Http::Method::Connect, "CONNECT"},
};

std::string method_name(Http::Method method) {
    for (const auto& [value, name] : kMethods) {
        if (value == method) return name;
    }
    return "OTHER";
}

// Route parameter names of a template: "/v1/members/:id" -> {"id"}.
std::vector<std::string> parameter_names(const std::string& path) {
    std::vector<std::string> names;
    for (std::size_t at = path.find(':'); at != std::string::npos; at = path.find(':', at + 1)) {
        const std::size_t end = path.find('/', at);
        names.push_back(path.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1));
    }
    return names;
}

// Pistache 0.0.5 writes only typed headers into responses (raw ones are dropped), so every
// extra response header travels as one of these.
class ResponseHeader final : public Http::Header::Header {
  public:
    ResponseHeader(std::string name, std::string value) : name_(std::move(name)), value_(std::move(value)) {}
    const char* name() const override { return name_.c_str(); }
    void write(std::ostream& stream) const override { stream << value_; }
#ifdef SAFE_HEADER_CAST
    std::uint64_t hash() const override { return std::hash<std::string>{}(name_); }
#endif

  private:
    std::string name_;
    std::string value_;
};

bool is_visible_ascii(const std::string& text, std::size_t length_max) {
    return !text.empty() && text.size() <= length_max &&
           std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

bool is_request_id(const std::string& text) { return is_visible_ascii(text, 64); }

// ../shared/API.md: writes accept Idempotency-Key, 1-128 visible ASCII characters.
// Pistache hands query parameters over still percent-encoded ("%2B98..."); libcurl decodes them.
std::string percent_decoded(const std::string& text) {
    int length = 0;
    char* decoded = curl_easy_unescape(nullptr, text.c_str(), static_cast<int>(text.size()), &length);
    if (decoded == nullptr) return text;
    std::string out(decoded, static_cast<std::size_t>(length));
    curl_free(decoded);
    return out;
}

bool is_idempotency_key(const std::string& text) { return is_visible_ascii(text, 128); }

}  // namespace

struct ApiServer::Impl {
    Impl(ApiSettings settings_in, std::vector<Route> routes_in, ApiServices services_in)
        : settings(std::move(settings_in)),
          routes(std::move(routes_in)),
          services(services_in),
          workers(settings.workers, settings.queue_max),
          request_prefix(random.token_hex(4)) {}

    HttpRequest copy_request(const Rest::Request& request, const std::string& path_template) {
        HttpRequest copy;
        copy.method = method_name(request.method());
        copy.path = request.resource();
        const std::string query = request.query().as_str();
        copy.query = query.empty() ? query : query.substr(1);
        for (auto it = request.query().parameters_begin(); it != request.query().parameters_end(); ++it) {
            copy.query_params[percent_decoded(it->first)] = percent_decoded(it->second);
        }
        copy.body = request.body();
        for (const auto& [name, raw] : request.headers().rawList()) {
            std::string lower = name;
            std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
            copy.headers[lower] = raw.value();
        }
        for (const std::string& name : parameter_names(path_template)) {
            copy.params[name] = request.param(":" + name).as<std::string>();
        }
        const auto sent_id = copy.header("x-request-id");
        copy.request_id =
            sent_id && is_request_id(*sent_id) ? *sent_id : request_prefix + "-" + std::to_string(++request_counter);
        return copy;
    }

    static core::Result<std::string> bearer_token(const HttpRequest& request) {
        const auto authorization = request.header("authorization");
        if (!authorization || !authorization->starts_with("Bearer ") || authorization->size() < 8) {
            return core::fail(ErrorCode::kUnauthenticated, "send Authorization: Bearer <token>", "Authorization");
        }
        return authorization->substr(7);
    }

    core::Result<CallContext> authenticate(const Route& route, const HttpRequest& request) {
        CallContext context;
        if (route.caller == Caller::kStaff) {
            const auto token = bearer_token(request);
            if (!token) return std::unexpected(token.error());
            auto staff = services.access.staff_by_token(*token);
            if (!staff) return std::unexpected(staff.error());
            if ((route.roles & role_bit(staff->role)) == 0) {
                return core::fail(ErrorCode::kForbidden, "the " + staff->role + " role may not use this route");
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
            auto terminal = services.terminals.admit(
                pos::SignedRequest{request.method, path_with_query, request.body, request.header("x-patron-key"),
                                   request.header("x-patron-timestamp"), request.header("x-patron-nonce"),
                                   request.header("x-patron-signature")});
            if (!terminal) return std::unexpected(terminal.error());
            context.terminal = std::move(*terminal);
        }
        return context;
    }

    // Everything a route does, behind one guard: no exception leaves this function.
    HttpResponse handle(const Route& route, const HttpRequest& request) {
        try {
            auto context = authenticate(route, request);
            if (!context) return error_response(context.error());
            return route.handler(request, *context);
        } catch (const std::exception& error) {
            return internal_error(route.path, error.what());
        } catch (...) {
            return internal_error(route.path, "unknown exception");
        }
    }

    HttpResponse internal_error(const std::string& route, const std::string& detail) {
        const std::string incident = random.token_hex(8);
        log_line(
            {{"level", "error"}, {"event", "incident"}, {"incident", incident}, {"route", route}, {"detail", detail}});
        const core::Error error{ErrorCode::kInternal, "internal error; quote incident " + incident, ""};
        return HttpResponse{500, error_body(error, incident), "application/json", {}, error};
    }

    void send(Http::ResponseWriter& writer, const HttpRequest& request, const std::string& route, HttpResponse response,
              Clock::time_point started) {
        if (response.error && response.error->code == ErrorCode::kInternal && !response.body.contains("incident")) {
            response = internal_error(route, response.error->message);
        }
        writer.headers().add(std::make_shared<ResponseHeader>("X-Request-Id", request.request_id));
        for (const auto& [name, value] : response.headers) {
            writer.headers().add(std::make_shared<ResponseHeader>(name, value));
        }
        // Counted and logged before the answer leaves, so a client's next request always sees it.
        const auto duration = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
        services.metrics.record(request.method, route, response.status, duration);
        nlohmann::json line = {
            {"event", "request"},        {"request_id", request.request_id},
            {"method", request.method},  {"route", route},
            {"status", response.status}, {"duration_ms", static_cast<double>(duration.count()) / 1000}};
        if (response.error) line["code"] = core::code_name(response.error->code);
        log_line(line);
        if (response.content_type.empty()) {  // 204: no body, so no media type (fromString("") throws).
            writer.send(static_cast<Http::Code>(response.status));
        } else {
            writer.send(static_cast<Http::Code>(response.status), response.body,
                        Http::Mime::MediaType::fromString(response.content_type));
        }
    }

    void dispatch(const Route& route, const Rest::Request& pistache_request, Http::ResponseWriter writer) {
        const auto started = Clock::now();
        HttpRequest request = copy_request(pistache_request, route.path);
        if (draining) {
            auto response = error_response({ErrorCode::kUnavailable, "the server is shutting down", ""});
            response.headers.emplace_back("Retry-After", "1");
            return send(writer, request, route.path, std::move(response), started);
        }
        if (request.body.size() > settings.body_max) {
            return send(writer, request, route.path,
                        error_response({ErrorCode::kPayloadTooLarge, "the body is larger than 1 MiB", ""}), started);
        }
        if (const auto key = request.header("idempotency-key"); key && !is_idempotency_key(*key)) {
            return send(
                writer, request, route.path,
                error_response({ErrorCode::kValidationFailed,
                                "Idempotency-Key must be 1 to 128 visible ASCII characters", "Idempotency-Key"}),
                started);
        }
        if (!route.on_worker) return send(writer, request, route.path, handle(route, request), started);

        auto shared_writer = std::make_shared<Http::ResponseWriter>(std::move(writer));
        auto shared_request = std::make_shared<HttpRequest>(std::move(request));
        const bool queued = workers.try_submit([this, &route, shared_writer, shared_request, started] {
            send(*shared_writer, *shared_request, route.path, handle(route, *shared_request), started);
        });
        if (!queued) {
            auto response = error_response({ErrorCode::kOverloaded, "too many requests in flight; retry shortly", ""});
            response.headers.emplace_back("Retry-After", "1");
            send(*shared_writer, *shared_request, route.path, std::move(response), started);
        }
    }

    void answer_inline(const std::string& route, HttpResponse response, const Rest::Request& pistache_request,
                       Http::ResponseWriter writer) {
        const auto started = Clock::now();
        const HttpRequest request = copy_request(pistache_request, "");
        send(writer, request, route, std::move(response), started);
    }

    void register_routes() {
        std::map<std::string, std::set<std::string>> served;
        for (const Route& route : routes) {
            served[route.path].insert(route.method);
            const auto method = std::find_if(kMethods.begin(), kMethods.end(),
                                             [&](const auto& entry) { return entry.second == route.method; });
            router.addRoute(method->first, route.path,
                            [this, &route](const Rest::Request request, Http::ResponseWriter writer) {
                                dispatch(route, request, std::move(writer));
                                return Rest::Route::Result::Ok;
                            });
        }
        // Every method gets a handler on every path: unserved ones answer 405. This also keeps
        // Pistache 0.0.5 off its data race for methods that have no route at all.
        for (const auto& [path, methods] : served) {
            std::string allow;
            for (const std::string& method : methods) allow += (allow.empty() ? "" : ", ") + method;
            for (const auto& [method, name] : kMethods) {
                if (methods.contains(name)) continue;
                router.addRoute(
                    method, path, [this, path, allow](const Rest::Request request, Http::ResponseWriter writer) {
                        auto response = error_response({ErrorCode::kMethodNotAllowed, "allowed here: " + allow, ""});
                        response.headers.emplace_back("Allow", allow);
                        answer_inline(path, std::move(response), request, std::move(writer));
                        return Rest::Route::Result::Ok;
                    });
            }
        }
        router.addNotFoundHandler([this](const Rest::Request request, Http::ResponseWriter writer) {
            answer_inline("unmatched", error_response({ErrorCode::kNotFound, "no such route", ""}), request,
                          std::move(writer));
            return Rest::Route::Result::Ok;
        });
    }

    ApiSettings settings;
    std::vector<Route> routes;
    ApiServices services;
    crypto::SystemRandom random;
    WorkerPool workers;
    std::string request_prefix;
    std::atomic<std::uint64_t> request_counter{0};
    std::atomic<bool> draining{false};
    Rest::Router router;
    std::unique_ptr<Http::Endpoint> endpoint;
};

ApiServer::ApiServer(ApiSettings settings, std::vector<Route> routes, ApiServices services)
    : impl_(std::make_unique<Impl>(std::move(settings), std::move(routes), services)) {
    impl_->register_routes();
}

ApiServer::~ApiServer() { shutdown(); }

void ApiServer::start() {
    Address address(impl_->settings.host, Port(impl_->settings.port));
    impl_->endpoint = std::make_unique<Http::Endpoint>(address);
    // Headers and slack on top of the largest body we accept; bodies over body_max but
    // under this get our own JSON 413 from dispatch().
    const std::size_t request_max = impl_->settings.body_max * 2 + 64 * 1024;
    auto options = Http::Endpoint::options()
                       .threads(static_cast<int>(impl_->settings.http_threads))
                       .flags(Tcp::Options::ReuseAddr)
                       .maxRequestSize(request_max)
                       .headerTimeout(std::chrono::seconds(10))
                       .bodyTimeout(std::chrono::seconds(30));
    impl_->endpoint->init(options);
    impl_->endpoint->setHandler(impl_->router.handler());
    impl_->endpoint->serveThreaded();
}

std::uint16_t ApiServer::port() const {
    return impl_->endpoint ? static_cast<std::uint16_t>(impl_->endpoint->getPort()) : 0;
}

void ApiServer::shutdown() {
    if (!impl_ || !impl_->endpoint) return;
    impl_->draining = true;
    impl_->workers.stop();
    impl_->endpoint->shutdown();
    impl_->endpoint.reset();
}

}  // namespace patron::api
