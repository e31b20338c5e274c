// Patron's own view of an HTTP exchange, copied out of Pistache so that handlers run on
// worker threads and in tests without any Pistache object: a request with lower-cased header
// names and route parameters, and the response a handler gives back.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/time.h"

namespace patron::api {

struct HttpRequest {
    std::string method;
    std::string path;
    std::string query;  // Without '?'; empty when there is none.
    std::map<std::string, std::string> query_params;  // Percent-decoded, valid UTF-8.
    std::string body;
    std::map<std::string, std::string> headers;  // Lower-case names.
    std::map<std::string, std::string> params;   // Route parameters, without ':'.
    std::string request_id;
    std::string client_address;  // The peer's IP address as text ("127.0.0.1").

    std::optional<std::string> header(const std::string& lower_name) const;
    const std::string& param(const std::string& name) const { return params.at(name); }
};

struct HttpResponse {
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::optional<core::Error> error;  // Set on error responses, for the log.
};

HttpResponse json_response(int status, const nlohmann::json& body);

// An instant as RFC 3339 text, or null.
nlohmann::json time_or_null(const std::optional<core::Timestamp>& time);
// How many decimals an amount in `currency` has (ISO 4217's exponent, as Patron's own table
// says), sent beside every currency a web page formats so that the page never asks the
// browser's locale data, which disagrees for some (AFN, IQD, PKR); null for an unknown code.
nlohmann::json currency_exponent(std::string_view currency);
HttpResponse error_response(const core::Error& error);

// A use case's result as the answer: `status` with encode(value) as JSON, or the error envelope.
template <typename T, typename Encode>
HttpResponse answer(const core::Result<T>& result, int status, Encode&& encode) {
    if (!result) return error_response(result.error());
    return json_response(status, encode(*result));
}

// 204 with no body, or the error envelope.
HttpResponse no_content(const core::Result<void>& result);

// The body's media type without parameters, lower-cased ("application/json" for
// "Application/JSON; charset=utf-8"); nullopt when the request names none.
std::optional<std::string> media_type(const HttpRequest& request);

// No Patron document nests deeper; anything deeper is refused before a tree is built.
inline constexpr std::size_t kJsonDepthMax = 32;

// The request body as JSON, or MALFORMED_JSON / JSON_TOO_DEEP / UNSUPPORTED_MEDIA_TYPE.
core::Result<nlohmann::json> parse_json_body(const HttpRequest& request);

// Path ids are positive decimal integers; anything else names nothing.
std::optional<long long> parse_id(const std::string& text);

// A page of a list read newest first: ?before=ID (an id from the previous page's next_before; 0
// when absent) and ?limit=N (1 to `limit_max`, `limit_default` when absent); VALIDATION_FAILED
// naming the parameter, `before_is` saying what the id is.
struct PageWindow {
    long long before = 0;
    int limit = 0;
};
core::Result<PageWindow> page_window(const HttpRequest& request, int limit_default, int limit_max,
                                     const std::string& before_is);

}  // namespace patron::api
