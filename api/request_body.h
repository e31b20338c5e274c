// A route's JSON body read with its core decoder (loyalty/core/*_requests.h), the one place each
// document is decoded: the handler goes on with the decoded request, or answers why it could not be.
#pragma once

#include <nlohmann/json.hpp>

#include "api/http_types.h"

namespace patron::api {

template <typename Decode, typename F>
HttpResponse with_request(const HttpRequest& request, Decode&& decode, F&& then) {
    auto document = parse_json_body(request);
    if (!document) return error_response(document.error());
    const auto decoded = decode(*document);
    if (!decoded) return error_response(decoded.error());
    return then(*decoded);
}

}  // namespace patron::api
