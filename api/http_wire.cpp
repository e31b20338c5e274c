#include "api/http_wire.h"

#include <algorithm>
#include <cctype>
#include <limits>

namespace patron::api {
namespace {

using core::Error;
using core::ErrorCode;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

// Optional white space around a header value is not part of it (RFC 9110, 5.5).
std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// "1 MiB", "16 KiB", "100 bytes": a limit as people write it.
std::string size_text(std::size_t bytes) {
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + " MiB";
    if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
    return std::to_string(bytes) + " bytes";
}

// What a request line may name: the methods of the route table's world (anything else the
// parser knows is refused by routing with 405), never CONNECT, which asks for a tunnel.
bool is_tunnel(unsigned method) { return method == HTTP_CONNECT; }

}  // namespace

RequestReader::RequestReader(HttpLimits limits, BodyLimit body_limit)
    : limits_(limits), body_limit_(std::move(body_limit)) {
    http_parser_init(&parser_, HTTP_REQUEST);
    parser_.data = this;
    http_parser_settings_init(&settings_);
    settings_.on_message_begin = &RequestReader::on_message_begin;
    settings_.on_url = &RequestReader::on_url;
    settings_.on_header_field = &RequestReader::on_header_field;
    settings_.on_header_value = &RequestReader::on_header_value;
    settings_.on_headers_complete = &RequestReader::on_headers_complete;
    settings_.on_body = &RequestReader::on_body;
    settings_.on_message_complete = &RequestReader::on_message_complete;
}

RequestReader::Progress RequestReader::feed(std::string_view bytes) {
    Progress progress;
    if (dead_ || bytes.empty()) return progress;
    const std::size_t read = http_parser_execute(&parser_, &settings_, bytes.data(), bytes.size());
    progress.requests = std::move(completed_);
    completed_.clear();
    progress.continue_wanted = expects_continue_ && phase_ == Phase::kBody;
    expects_continue_ = false;  // Asked for once per request.
    if (HTTP_PARSER_ERRNO(&parser_) != HPE_OK || refusal_) {
        progress.refusal = refusal_ ? *refusal_ : parser_refusal();
        dead_ = true;
    } else if (read != bytes.size()) {
        // Nothing but plain HTTP/1.1 is spoken here: answer what came whole, then close.
        dead_ = true;
        if (!progress.requests.empty()) {
            progress.requests.back().keep_alive = false;
        } else {
            progress.refusal = Error{ErrorCode::kMalformedRequest, "protocol upgrades are not served", "Upgrade"};
        }
    }
    return progress;
}

int RequestReader::refuse(Error error) {
    if (!refusal_) refusal_ = std::move(error);
    return -1;  // Stops the parser (from on_headers_complete, 1 would only mean "no body").
}

bool RequestReader::add_header_bytes(std::size_t length) {
    header_bytes_ += length;
    return header_bytes_ <= limits_.header_bytes_max;
}

int RequestReader::on_message_begin(http_parser* parser) {
    auto& self = *static_cast<RequestReader*>(parser->data);
    self.current_ = WireRequest{};
    self.in_value_ = false;
    self.expects_continue_ = false;
    self.header_bytes_ = 0;
    self.phase_ = Phase::kHeaders;
    return 0;
}

int RequestReader::on_url(http_parser* parser, const char* at, std::size_t length) {
    auto& self = *static_cast<RequestReader*>(parser->data);
    if (self.current_.target.size() + length > self.limits_.target_max) {
        return self.refuse({ErrorCode::kUriTooLong,
                            "the request target is longer than " + size_text(self.limits_.target_max),
                            "target"});
    }
    self.current_.target.append(at, length);
    return 0;
}

int RequestReader::on_header_field(http_parser* parser, const char* at, std::size_t length) {
    auto& self = *static_cast<RequestReader*>(parser->data);
    if (self.phase_ == Phase::kBody) return 0;  // A chunked body's trailer: never a header that counts.
    if (self.current_.headers.empty() || self.in_value_) {
        if (self.current_.headers.size() == self.limits_.header_count_max) {
            return self.refuse({ErrorCode::kHeadersTooLarge,
                                "more than " + std::to_string(self.limits_.header_count_max) + " header fields",
                                "headers"});
        }
        self.current_.headers.emplace_back();
        self.in_value_ = false;
    }
    if (!self.add_header_bytes(length)) {
        return self.refuse({ErrorCode::kHeadersTooLarge,
                            "the headers are larger than " + size_text(self.limits_.header_bytes_max),
                            "headers"});
    }
    self.current_.headers.back().first.append(at, length);
    return 0;
}

int RequestReader::on_header_value(http_parser* parser, const char* at, std::size_t length) {
    auto& self = *static_cast<RequestReader*>(parser->data);
    if (self.phase_ == Phase::kBody) return 0;
    if (self.current_.headers.empty()) self.current_.headers.emplace_back();
    self.in_value_ = true;
    if (!self.add_header_bytes(length)) {
        return self.refuse({ErrorCode::kHeadersTooLarge,
                            "the headers are larger than " + size_text(self.limits_.header_bytes_max),
                            "headers"});
    }
    self.current_.headers.back().second.append(at, length);
    return 0;
}

int RequestReader::on_headers_complete(http_parser* parser) {
    auto& self = *static_cast<RequestReader*>(parser->data);
    if (parser->http_major != 1 || parser->http_minor > 1) {
        return self.refuse(
            {ErrorCode::kHttpVersionNotSupported, "only HTTP/1.0 and HTTP/1.1 are spoken here", "version"});
    }
    if (is_tunnel(parser->method)) {
        return self.refuse({ErrorCode::kMethodNotAllowed, "CONNECT is not served", "method"});
    }
    for (char c : self.current_.target) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7F) {
            return self.refuse({ErrorCode::kMalformedRequest, "the request target holds a control character or space",
                                "target"});
        }
    }
    for (auto& [name, value] : self.current_.headers) {
        name = lower(std::move(name));
        value = trimmed(value);
    }
    self.current_.method = http_method_str(static_cast<http_method>(parser->method));
    self.current_body_max_ = self.limits_.body_max;
    if (self.body_limit_) {
        self.current_body_max_ = std::min(self.current_body_max_, self.body_limit_(self.current_.method, self.current_.target));
    }
    const bool has_length = (parser->flags & F_CONTENTLENGTH) != 0;
    if (has_length && parser->content_length > self.current_body_max_) {
        return self.refuse({ErrorCode::kPayloadTooLarge, "the body is larger than " + size_text(self.current_body_max_),
                            "Content-Length"});
    }
    for (const auto& [name, value] : self.current_.headers) {
        if (name == "expect" && lower(value) == "100-continue" && parser->http_minor == 1) self.expects_continue_ = true;
    }
    if (has_length && parser->content_length > 0) {
        self.current_.body.reserve(static_cast<std::size_t>(parser->content_length));
    }
    self.phase_ = Phase::kBody;
    return 0;
}

int RequestReader::on_body(http_parser* parser, const char* at, std::size_t length) {
    auto& self = *static_cast<RequestReader*>(parser->data);
    if (self.current_.body.size() + length > self.current_body_max_) {
        return self.refuse({ErrorCode::kPayloadTooLarge, "the body is larger than " + size_text(self.current_body_max_),
                            "body"});
    }
    self.current_.body.append(at, length);
    return 0;
}

int RequestReader::on_message_complete(http_parser* parser) {
    auto& self = *static_cast<RequestReader*>(parser->data);
    // After a request that asked to switch protocols, nothing more is read: this one is answered.
    self.current_.keep_alive = http_should_keep_alive(parser) != 0 && parser->upgrade == 0;
    self.completed_.push_back(std::move(self.current_));
    self.current_ = WireRequest{};
    self.phase_ = Phase::kIdle;
    return 0;
}

// The parser's own verdict in Patron's words: its descriptions stay out of answers.
Error RequestReader::parser_refusal() const {
    switch (HTTP_PARSER_ERRNO(&parser_)) {
        case HPE_INVALID_METHOD:
            return {ErrorCode::kMalformedRequest, "unknown method (methods are upper case, e.g. GET)", "method"};
        case HPE_INVALID_VERSION:
            return {ErrorCode::kHttpVersionNotSupported, "the request line must end in HTTP/1.0 or HTTP/1.1",
                    "version"};
        case HPE_INVALID_URL:
        case HPE_INVALID_PATH:
        case HPE_INVALID_QUERY_STRING:
        case HPE_INVALID_FRAGMENT:
        case HPE_INVALID_HOST:
        case HPE_INVALID_PORT:
            return {ErrorCode::kMalformedRequest, "the request target is not a valid path and query", "target"};
        case HPE_HEADER_OVERFLOW:
            return {ErrorCode::kHeadersTooLarge, "the headers are too large", "headers"};
        case HPE_INVALID_CONTENT_LENGTH:
            return {ErrorCode::kMalformedRequest, "Content-Length must be one non-negative decimal number",
                    "Content-Length"};
        case HPE_UNEXPECTED_CONTENT_LENGTH:
            return {ErrorCode::kMalformedRequest, "send Content-Length or Transfer-Encoding, not both",
                    "Content-Length"};
        case HPE_INVALID_TRANSFER_ENCODING:
            return {ErrorCode::kMalformedRequest, "only Transfer-Encoding: chunked is understood", "Transfer-Encoding"};
        case HPE_INVALID_CHUNK_SIZE:
            return {ErrorCode::kMalformedRequest, "a chunk size is not a hexadecimal number", "body"};
        case HPE_CLOSED_CONNECTION:
            return {ErrorCode::kMalformedRequest, "nothing may follow a request with Connection: close", ""};
        case HPE_INVALID_HEADER_TOKEN:
        case HPE_LF_EXPECTED:
            return {ErrorCode::kMalformedRequest, "a header line is malformed", "headers"};
        default:
            return {ErrorCode::kMalformedRequest, "the request is not well-formed HTTP/1.1", ""};
    }
}

std::string encode_response(const HttpResponse& response, bool head_request, bool close_after) {
    const char* reason = http_status_str(static_cast<http_status>(response.status));
    std::string out;
    out.reserve(256 + response.body.size());
    out += "HTTP/1.1 " + std::to_string(response.status) + " " + reason + "\r\n";
    if (!response.content_type.empty()) out += "Content-Type: " + response.content_type + "\r\n";
    if (response.status != 204 && response.status != 304) {
        out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    }
    out += "Cache-Control: no-store\r\n";
    out += close_after ? "Connection: close\r\n" : "Connection: keep-alive\r\n";
    for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
    out += "\r\n";
    if (!head_request && response.status != 204 && response.status != 304) out += response.body;
    return out;
}

}  // namespace patron::api
