// HTTP/1.1 on the wire: reads requests off a connection's bytes with Node's http-parser
// (Debian's libhttp-parser) and writes answers. Every part of a request is bounded before it
// costs anything (request target, number and size of headers, body), and every refusal is a
// core::Error for the JSON envelope, never the parser's own text. Pure: no sockets, no clock.
#pragma once

#include <http_parser.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http_types.h"
#include "loyalty/core/error.h"

namespace patron::api {

struct HttpLimits {
    std::size_t target_max = 8 * 1024;          // The request target (path and query), bytes.
    std::size_t header_count_max = 100;          // Header fields in one request.
    std::size_t header_bytes_max = 32 * 1024;    // All header names and values of one request.
    std::size_t body_max = 1024 * 1024;          // The body, after any chunked coding.
};

// A request as it came, before routing: header names lower-cased, in the order sent.
struct WireRequest {
    std::string method;
    std::string target;  // The path and query as sent ("/v1/members?phone=...").
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool keep_alive = true;  // False: answer this one, then close the connection.
};

class RequestReader {
  public:
    // Where the request being read stands; the connection's timeouts depend on it.
    enum class Phase { kIdle, kHeaders, kBody };

    struct Progress {
        std::vector<WireRequest> requests;  // Completed by these bytes, in the order sent.
        std::optional<core::Error> refusal;  // The bytes that followed them are refused: answer and close.
        // The request being read asked `Expect: 100-continue` and its headers are acceptable: the
        // client waits for "100 Continue" before it sends the body.
        bool continue_wanted = false;
    };

    // The most a request's body may hold, by method and target (the route's own limit), asked
    // once its headers are read; never more than limits.body_max.
    using BodyLimit = std::function<std::size_t(std::string_view method, std::string_view target)>;

    explicit RequestReader(HttpLimits limits, BodyLimit body_limit = {});
    RequestReader(const RequestReader&) = delete;
    RequestReader& operator=(const RequestReader&) = delete;

    // Reads what arrived; after a refusal nothing more is read.
    Progress feed(std::string_view bytes);
    Phase phase() const { return phase_; }

  private:
    static int on_message_begin(http_parser* parser);
    static int on_url(http_parser* parser, const char* at, std::size_t length);
    static int on_header_field(http_parser* parser, const char* at, std::size_t length);
    static int on_header_value(http_parser* parser, const char* at, std::size_t length);
    static int on_headers_complete(http_parser* parser);
    static int on_body(http_parser* parser, const char* at, std::size_t length);
    static int on_message_complete(http_parser* parser);
    int refuse(core::Error error);
    bool add_header_bytes(std::size_t length);
    core::Error parser_refusal() const;

    HttpLimits limits_;
    BodyLimit body_limit_;
    std::size_t current_body_max_ = 0;
    http_parser parser_{};
    http_parser_settings settings_{};
    Phase phase_ = Phase::kIdle;
    WireRequest current_;
    bool in_value_ = false;
    bool expects_continue_ = false;
    std::size_t header_bytes_ = 0;
    std::vector<WireRequest> completed_;
    std::optional<core::Error> refusal_;
    bool dead_ = false;
};

// What a client that sent `Expect: 100-continue` waits for before it sends the body.
inline constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// The bytes of an answer: status line, Content-Type and Content-Length, Connection, the
// response's own headers, then the body (none for HEAD, though its length is still told).
std::string encode_response(const HttpResponse& response, bool head_request, bool close_after);

}  // namespace patron::api
