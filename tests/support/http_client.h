// A small HTTP client for tests, on libcurl: one request, its status, headers and body.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace patron::testing {

struct HttpReply {
    long status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // Lower-case names.
};

struct HttpCall {
    std::string method = "GET";
    std::string url;
    std::string body;
    std::vector<std::string> headers;  // "Name: value"
    long timeout_s = 30;               // The whole exchange.
};

// Throws when no HTTP answer came back at all (connection refused, time-out).
HttpReply http(const HttpCall& call);

}  // namespace patron::testing
