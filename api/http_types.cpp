#include "api/http_types.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "api/http_error.h"
#include "loyalty/core/json_fields.h"

namespace patron::api {

std::optional<std::string> HttpRequest::header(const std::string& lower_name) const {
    const auto it = headers.find(lower_name);
    if (it == headers.end()) return std::nullopt;
    return it->second;
}

HttpResponse json_response(int status, const nlohmann::json& body) {
    return HttpResponse{status, core::json_text(body), "application/json", {}, {}};
}

HttpResponse error_response(const core::Error& error) {
    return HttpResponse{http_status(error.code), error_body(error), "application/json", {}, error};
}

core::Result<nlohmann::json> parse_json_body(const HttpRequest& request) {
    const auto content_type = request.header("content-type");
    if (content_type && !content_type->starts_with("application/json")) {
        return core::fail(core::ErrorCode::kUnsupportedMediaType, "send the body as application/json", "Content-Type");
    }
    auto document = nlohmann::json::parse(request.body, nullptr, false);
    if (document.is_discarded()) {
        return core::fail(core::ErrorCode::kMalformedJson, "the body is not valid JSON (UTF-8)");
    }
    return document;
}

nlohmann::json time_or_null(const std::optional<core::Timestamp>& time) {
    return time ? nlohmann::json(core::format_utc(*time, core::TimeFormat::kRfc3339)) : nlohmann::json(nullptr);
}

HttpResponse no_content(const core::Result<void>& result) {
    if (!result) return error_response(result.error());
    return HttpResponse{204, "", "", {}, {}};
}

std::optional<long long> parse_id(const std::string& text) {
    long long id = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
    return id;
}

}  // namespace patron::api
