#include "api/http_types.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <vector>

#include "api/http_error.h"
#include "loyalty/core/json_fields.h"
#include "loyalty/core/money.h"

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
    HttpResponse response{http_status(error.code), error_body(error), "application/json", {}, error};
    if (error.retry_at) {
        response.headers.emplace_back("Retry-After", core::format_http_date(*error.retry_at));
    } else if (response.status == 503) {
        // The database away, patrond shutting down or its workers full: a till may come back in a second.
        response.headers.emplace_back("Retry-After", "1");
    }
    return response;
}

std::optional<std::string> media_type(const HttpRequest& request) {
    const auto header = request.header("content-type");
    if (!header) return std::nullopt;
    std::string type = header->substr(0, header->find(';'));
    const auto first = type.find_first_not_of(" \t");
    type = first == std::string::npos ? "" : type.substr(first, type.find_last_not_of(" \t") - first + 1);
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    return type;
}

namespace {

// A first pass over the text with the library's own SAX parser, building nothing: it stops at
// the first array or object nested deeper than kJsonDepthMax, before a tree is built that would
// cost a recursive copy, dump or destruction per level, and at the first key an object repeats
// (the tree would keep the last silently, where another reader of the same bytes, such as a
// proxy in front, may take the first).
class JsonGuard final : public nlohmann::json_sax<nlohmann::json> {
  public:
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override {
        if (!deeper()) return false;
        keys_.emplace_back();
        return true;
    }
    bool key(string_t& key) override {
        if (keys_.back().insert(key).second) return true;
        repeated_ = key;
        return false;
    }
    bool end_object() override {
        keys_.pop_back();
        return --depth_, true;
    }
    bool start_array(std::size_t) override { return deeper(); }
    bool end_array() override { return --depth_, true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }
    bool too_deep() const { return too_deep_; }
    const std::optional<std::string>& repeated_key() const { return repeated_; }

  private:
    bool deeper() { return ++depth_ <= kJsonDepthMax || (too_deep_ = true, false); }

    std::size_t depth_ = 0;
    bool too_deep_ = false;
    std::vector<std::set<std::string>> keys_;  // The keys met so far in each object open.
    std::optional<std::string> repeated_;
};

}  // namespace

core::Result<nlohmann::json> parse_json_body(const HttpRequest& request) {
    if (const auto type = media_type(request); type && *type != "application/json") {
        return core::fail(core::ErrorCode::kUnsupportedMediaType, "send the body as application/json", "Content-Type");
    }
    JsonGuard guard;
    nlohmann::json::sax_parse(request.body, &guard, nlohmann::json::input_format_t::json, false);
    if (guard.too_deep()) {
        return core::fail(core::ErrorCode::kJsonTooDeep,
                          "the body nests arrays and objects deeper than " + std::to_string(kJsonDepthMax) + " levels");
    }
    if (const auto& key = guard.repeated_key()) {
        // The key as sent is the field; a key that is not text a client could name is left out.
        const bool printable = key->size() <= 64 && std::all_of(key->begin(), key->end(),
                                                                [](unsigned char c) { return c >= 0x20 && c < 0x7f; });
        return core::fail(core::ErrorCode::kMalformedJson, "an object in the body has this key twice",
                          printable ? *key : "");
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

nlohmann::json currency_exponent(std::string_view currency) {
    const auto found = core::find_currency(currency);
    return found ? nlohmann::json(found->exponent) : nlohmann::json(nullptr);
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

core::Result<PageWindow> page_window(const HttpRequest& request, int limit_default, int limit_max,
                                     const std::string& before_is) {
    PageWindow window{0, limit_default};
    if (const auto it = request.query_params.find("before"); it != request.query_params.end()) {
        const auto id = parse_id(it->second);
        if (!id) return core::fail(core::ErrorCode::kValidationFailed, "before is " + before_is, "before");
        window.before = *id;
    }
    if (const auto it = request.query_params.find("limit"); it != request.query_params.end()) {
        const auto count = parse_id(it->second);
        if (!count || *count > limit_max) {
            return core::fail(core::ErrorCode::kValidationFailed, "limit is 1 to " + std::to_string(limit_max),
                              "limit");
        }
        window.limit = static_cast<int>(*count);
    }
    return window;
}

}  // namespace patron::api
