// Reading requests off the wire: what is well-formed comes out whole and in order, whatever way
// the bytes are cut; every malformed or oversized request is refused with Patron's own code and
// field before it costs anything; and the route tree finds routes without recursion on the path.
#include <gtest/gtest.h>

#include <string>

#include "api/http_wire.h"
#include "api/route_matcher.h"

namespace patron::api {
namespace {

using core::ErrorCode;

RequestReader::Progress read_all(const std::string& bytes, HttpLimits limits = {}) {
    RequestReader reader(limits);
    return reader.feed(bytes);
}

TEST(HttpWire, ARequestComesOutWholeWithLowerCaseHeadersAndItsBody) {
    const auto progress = read_all(
        "POST /v1/members?x=1 HTTP/1.1\r\nHost: a\r\nContent-Type:  Application/JSON \r\n"
        "Content-Length: 2\r\n\r\n{}");
    ASSERT_FALSE(progress.refusal);
    ASSERT_EQ(progress.requests.size(), 1u);
    const WireRequest& request = progress.requests[0];
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.target, "/v1/members?x=1");
    EXPECT_EQ(request.body, "{}");
    EXPECT_TRUE(request.keep_alive);
    ASSERT_EQ(request.headers.size(), 3u);
    EXPECT_EQ(request.headers[1].first, "content-type");
    EXPECT_EQ(request.headers[1].second, "Application/JSON");
}

TEST(HttpWire, BytesCutAnywhereGiveTheSameRequests) {
    const std::string bytes =
        "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\nConnection: close\r\n\r\n";
    for (std::size_t step : {1u, 2u, 3u, 7u, 50u}) {
        RequestReader reader({});
        std::vector<WireRequest> requests;
        for (std::size_t at = 0; at < bytes.size(); at += step) {
            auto progress = reader.feed(std::string_view(bytes).substr(at, step));
            ASSERT_FALSE(progress.refusal) << step;
            for (auto& request : progress.requests) requests.push_back(std::move(request));
        }
        ASSERT_EQ(requests.size(), 2u) << step;
        EXPECT_EQ(requests[0].body, "hello");
        EXPECT_EQ(requests[1].target, "/b");
        EXPECT_FALSE(requests[1].keep_alive);
        EXPECT_EQ(reader.phase(), RequestReader::Phase::kIdle);
    }
}

TEST(HttpWire, ChunkedBodiesAreJoined) {
    const auto progress =
        read_all("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
    ASSERT_FALSE(progress.refusal);
    ASSERT_EQ(progress.requests.size(), 1u);
    EXPECT_EQ(progress.requests[0].body, "abcde");
}

TEST(HttpWire, TheReaderTellsWhereARequestStands) {
    RequestReader reader({});
    EXPECT_EQ(reader.phase(), RequestReader::Phase::kIdle);
    reader.feed("GET / HTTP/1.1\r\nHo");
    EXPECT_EQ(reader.phase(), RequestReader::Phase::kHeaders);
    reader.feed("st: a\r\nContent-Length: 4\r\n\r\nab");
    EXPECT_EQ(reader.phase(), RequestReader::Phase::kBody);
    EXPECT_EQ(reader.feed("cd").requests.size(), 1u);
    EXPECT_EQ(reader.phase(), RequestReader::Phase::kIdle);
}

struct Refusal {
    const char* name;
    std::string bytes;
    ErrorCode code;
    const char* field;
};

TEST(HttpWire, EveryMalformedOrOversizedRequestIsRefusedWithItsCodeAndField) {
    const std::string slashes(20'000, '/');
    const std::vector<Refusal> cases = {
        {"20,000 slashes", "GET " + slashes + " HTTP/1.1\r\n\r\n", ErrorCode::kUriTooLong, "target"},
        {"long query", "GET /?" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n", ErrorCode::kUriTooLong, "target"},
        {"101 headers", "GET / HTTP/1.1\r\n" + [] {
             std::string headers;
             for (int i = 0; i < 101; ++i) headers += "X-" + std::to_string(i) + ": a\r\n";
             return headers;
         }() + "\r\n",
         ErrorCode::kHeadersTooLarge, "headers"},
        {"40 KiB header", "GET / HTTP/1.1\r\nX-A: " + std::string(40 * 1024, 'a') + "\r\n\r\n",
         ErrorCode::kHeadersTooLarge, "headers"},
        {"declared body over 1 MiB", "POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n",
         ErrorCode::kPayloadTooLarge, "Content-Length"},
        {"chunked body over the limit",
         "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n" + std::string(32, 'a') + "\r\n",
         ErrorCode::kPayloadTooLarge, "body"},
        {"Content-Length overflows", "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
         ErrorCode::kMalformedRequest, "Content-Length"},
        {"negative Content-Length", "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", ErrorCode::kMalformedRequest,
         "Content-Length"},
        {"Content-Length and Transfer-Encoding",
         "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
         ErrorCode::kMalformedRequest, "Content-Length"},
        {"bad chunk size", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n",
         ErrorCode::kMalformedRequest, "body"},
        {"lower-case method", "get / HTTP/1.1\r\n\r\n", ErrorCode::kMalformedRequest, "method"},
        {"unknown method", "BREW / HTTP/1.1\r\n\r\n", ErrorCode::kMalformedRequest, "method"},
        {"HTTP/2.0", "GET / HTTP/2.0\r\n\r\n", ErrorCode::kHttpVersionNotSupported, "version"},
        {"HTTP/9.9", "GET / HTTP/9.9\r\n\r\n", ErrorCode::kHttpVersionNotSupported, "version"},
        {"tab in the request line", "GET /a\tb HTTP/1.1\r\n\r\n", ErrorCode::kMalformedRequest, "target"},
        {"empty target", "GET  HTTP/1.1\r\n\r\n", ErrorCode::kMalformedRequest, "target"},
        {"CONNECT", "CONNECT a:443 HTTP/1.1\r\n\r\n", ErrorCode::kMethodNotAllowed, "method"},
        {"header without colon", "GET / HTTP/1.1\r\nNoColon\r\n\r\n", ErrorCode::kMalformedRequest, "headers"},
    };
    HttpLimits limits;
    limits.body_max = 16;
    for (const Refusal& c : cases) {
        SCOPED_TRACE(c.name);
        const auto progress = read_all(c.bytes, c.code == ErrorCode::kPayloadTooLarge &&
                                                        std::string(c.field) == "body" ? limits : HttpLimits{});
        ASSERT_TRUE(progress.refusal);
        EXPECT_EQ(progress.refusal->code, c.code) << progress.refusal->message;
        EXPECT_EQ(progress.refusal->field, c.field);
        EXPECT_TRUE(progress.requests.empty());
    }
}

TEST(HttpWire, NothingIsReadAfterARefusal) {
    RequestReader reader({});
    EXPECT_TRUE(reader.feed("get / HTTP/1.1\r\n\r\n").refusal);
    const auto later = reader.feed("GET / HTTP/1.1\r\n\r\n");
    EXPECT_TRUE(later.requests.empty());
    EXPECT_FALSE(later.refusal);
}

TEST(HttpWire, ARequestBeforeARefusalIsStillAnswered) {
    const auto progress = read_all("GET /a HTTP/1.1\r\n\r\nGET / HTTP/7.0\r\n\r\n");
    ASSERT_EQ(progress.requests.size(), 1u);
    ASSERT_TRUE(progress.refusal);
    EXPECT_EQ(progress.refusal->code, ErrorCode::kHttpVersionNotSupported);
}

TEST(HttpWire, AnswersCarryLengthAndConnectionAndNoBodyForHead) {
    const HttpResponse response{404, R"({"error":{}})", "application/json", {{"Allow", "GET"}}, {}};
    const std::string keep = encode_response(response, false, false);
    EXPECT_TRUE(keep.starts_with("HTTP/1.1 404 Not Found\r\n"));
    EXPECT_NE(keep.find("Content-Length: 12\r\n"), std::string::npos);
    EXPECT_NE(keep.find("Connection: keep-alive\r\n"), std::string::npos);
    EXPECT_NE(keep.find("Allow: GET\r\n"), std::string::npos);
    EXPECT_TRUE(keep.ends_with("\r\n\r\n{\"error\":{}}"));
    const std::string head = encode_response(response, true, true);
    EXPECT_NE(head.find("Connection: close\r\n"), std::string::npos);
    EXPECT_TRUE(head.ends_with("\r\n\r\n"));
}

std::vector<Route> sample_routes() {
    const Handler none = [](const HttpRequest&, const CallContext&) { return HttpResponse{}; };
    return {
        {"GET", "/v1/members/:id", Caller::kStaff, kRoleAdmin, true, none},
        {"PATCH", "/v1/members/:id", Caller::kStaff, kRoleAdmin, true, none},
        {"GET", "/v1/members/search", Caller::kStaff, kRoleAdmin, true, none},
        {"POST", "/v1/stores/:store/terminals/:terminal/keys", Caller::kStaff, kRoleAdmin, true, none},
    };
}

TEST(RouteMatcher, FixedSegmentsWinOverParametersAndEmptySegmentsAreIgnored) {
    const auto routes = sample_routes();
    const RouteMatcher matcher(routes);
    const auto search = matcher.find("GET", "/v1/members/search");
    ASSERT_TRUE(search && search->route);
    EXPECT_EQ(search->route->path, "/v1/members/search");
    const auto member = matcher.find("GET", "//v1///members/42/");
    ASSERT_TRUE(member && member->route);
    EXPECT_EQ(member->params.at("id"), "42");
    const auto keys = matcher.find("POST", "/v1/stores/S1/terminals/T1/keys");
    ASSERT_TRUE(keys && keys->route);
    EXPECT_EQ(keys->params.at("store"), "S1");
    EXPECT_EQ(keys->params.at("terminal"), "T1");
}

TEST(RouteMatcher, AnUnservedMethodNamesTheAllowedOnesAndAnUnknownPathNothing) {
    const auto routes = sample_routes();
    const RouteMatcher matcher(routes);
    const auto put = matcher.find("PUT", "/v1/members/1");
    ASSERT_TRUE(put);
    EXPECT_EQ(put->route, nullptr);
    EXPECT_EQ(put->allow, "GET, PATCH");
    EXPECT_FALSE(matcher.find("GET", "/v1/nothing"));
    EXPECT_FALSE(matcher.find("GET", std::string(20'000, '/') + "v1/members/1/x"));
    std::string deep;
    for (int i = 0; i < 1000; ++i) deep += "/a";
    EXPECT_FALSE(matcher.find("GET", deep)) << "past the segment limit nothing is looked at";
}

}  // namespace
}  // namespace patron::api

namespace patron::api {
namespace {

HttpRequest json_request(std::string body, std::string content_type = "application/json") {
    HttpRequest request;
    request.body = std::move(body);
    request.headers["content-type"] = std::move(content_type);
    return request;
}

TEST(JsonBody, NestingDeeperThanAnyDocumentIsRefusedBeforeATreeIsBuilt) {
    const auto nested = [](std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); };
    EXPECT_TRUE(parse_json_body(json_request(nested(kJsonDepthMax))));
    const auto deeper = parse_json_body(json_request(nested(kJsonDepthMax + 1)));
    ASSERT_FALSE(deeper);
    EXPECT_EQ(deeper.error().code, core::ErrorCode::kJsonTooDeep);
    const auto half_a_million = parse_json_body(json_request(std::string(500'000, '[')));
    ASSERT_FALSE(half_a_million);
    EXPECT_EQ(half_a_million.error().code, core::ErrorCode::kJsonTooDeep);
    const auto objects = parse_json_body(json_request(std::string(100'000, '{') + "\"a\":1"));
    ASSERT_FALSE(objects);
}

TEST(JsonBody, AKeyRepeatedInOneObjectIsRefusedAndNamed) {
    const auto twice = parse_json_body(json_request(R"({"phone": "09120000001", "phone": "09120000002"})"));
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, core::ErrorCode::kMalformedJson);
    EXPECT_EQ(twice.error().field, "phone");
    const auto nested =
        parse_json_body(json_request(R"({"lines": [{"sku": "A", "qty": 1}, {"sku": "B", "sku": "C"}]})"));
    ASSERT_FALSE(nested);
    EXPECT_EQ(nested.error().field, "sku");
    const auto escaped = parse_json_body(json_request(R"({"a\u0062": 1, "ab": 2})"));
    ASSERT_FALSE(escaped) << "the same key however it is escaped";
    const auto unprintable = parse_json_body(json_request("{\"\\u0001\": 1, \"\\u0001\": 2}"));
    ASSERT_FALSE(unprintable);
    EXPECT_EQ(unprintable.error().field, "") << "a key no client could name is not echoed";
    EXPECT_TRUE(parse_json_body(json_request(R"({"a": {"a": {"a": 1}}, "b": [{"a": 1}, {"a": 2}]})")))
        << "the same key in different objects is fine";
}

TEST(JsonBody, MediaTypesCompareWithoutCaseAndWithParameters) {
    EXPECT_TRUE(parse_json_body(json_request("{}", "APPLICATION/JSON")));
    EXPECT_TRUE(parse_json_body(json_request("{}", "application/json; charset=UTF-8")));
    EXPECT_TRUE(parse_json_body(json_request("{}", " Application/Json ;charset=utf-8")));
    for (const char* refused : {"application/jsonx", "text/json", "application/x-www-form-urlencoded", "", ";"}) {
        const auto result = parse_json_body(json_request("{}", refused));
        ASSERT_FALSE(result) << refused;
        EXPECT_EQ(result.error().code, core::ErrorCode::kUnsupportedMediaType) << refused;
    }
    HttpRequest without_type;
    without_type.body = "{}";
    EXPECT_TRUE(parse_json_body(without_type)) << "a body without Content-Type is read as JSON";
}

}  // namespace
}  // namespace patron::api

namespace patron::api {
namespace {

TEST(HttpWire, EachRouteHasItsOwnBodyLimitKnownBeforeTheBodyIsRead) {
    RequestReader reader({}, [](std::string_view method, std::string_view target) -> std::size_t {
        return method == "POST" && target.starts_with("/v1/me/") ? 16 : 1024;
    });
    const auto small = reader.feed("POST /v1/me/codes HTTP/1.1\r\nContent-Length: 17\r\n\r\n");
    ASSERT_TRUE(small.refusal);
    EXPECT_EQ(small.refusal->code, core::ErrorCode::kPayloadTooLarge);
    EXPECT_EQ(small.refusal->message, "the body is larger than 16 bytes");
    RequestReader staff({}, [](std::string_view, std::string_view) -> std::size_t { return 1024; });
    const auto fits = staff.feed("POST /v1/members HTTP/1.1\r\nContent-Length: 17\r\n\r\n" + std::string(17, 'x'));
    EXPECT_FALSE(fits.refusal);
    EXPECT_EQ(fits.requests.size(), 1u);
}

}  // namespace
}  // namespace patron::api

namespace patron::api {
namespace {

TEST(HttpWire, ExpectContinueIsToldOnceTheHeadersAreAcceptable) {
    RequestReader reader({});
    const auto headers = reader.feed("POST /a HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n");
    EXPECT_TRUE(headers.continue_wanted);
    EXPECT_FALSE(reader.feed("{").continue_wanted) << "asked once";
    EXPECT_EQ(reader.feed("}").requests.size(), 1u);
    RequestReader whole({});
    EXPECT_FALSE(whole.feed("POST /a HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}").continue_wanted)
        << "the body came with the headers";
    RequestReader too_big({});
    const auto refused = too_big.feed("POST /a HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 9999999\r\n\r\n");
    EXPECT_FALSE(refused.continue_wanted);
    EXPECT_TRUE(refused.refusal);
}

}  // namespace
}  // namespace patron::api

namespace patron::api {
namespace {

TEST(HttpWire, ChunkedTrailersAreNeverHeaders) {
    const auto progress = read_all(
        "POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nAuthorization: Bearer x\r\n"
        "content-type: text/plain\r\n\r\n");
    ASSERT_FALSE(progress.refusal);
    ASSERT_EQ(progress.requests.size(), 1u);
    for (const auto& [name, value] : progress.requests[0].headers) EXPECT_NE(name, "authorization");
    EXPECT_EQ(progress.requests[0].body, "{}");
}

TEST(HttpWire, AnUpgradeRequestWithABodyIsAnsweredThenTheConnectionCloses) {
    RequestReader reader({});
    const auto headers =
        reader.feed("POST /a HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: h2c\r\nContent-Length: 2\r\n\r\n");
    EXPECT_FALSE(headers.refusal) << "the body comes in the next read";
    const auto body = reader.feed("{}");
    ASSERT_FALSE(body.refusal);
    ASSERT_EQ(body.requests.size(), 1u);
    EXPECT_EQ(body.requests[0].body, "{}");
    EXPECT_FALSE(body.requests[0].keep_alive);
}

}  // namespace
}  // namespace patron::api

#include "api/worker_pool.h"

namespace patron::api {
namespace {

TEST(WorkerPool, ATaskThatThrowsNeitherEndsTheProcessNorStopsThePool) {
    WorkerPool pool(1, 8);
    std::atomic<int> done{0};
    ASSERT_TRUE(pool.try_submit([] { throw std::runtime_error("a fault in a task"); }));
    ASSERT_TRUE(pool.try_submit([&done] { ++done; }));
    pool.stop();
    EXPECT_EQ(done, 1) << "the next task still ran";
    EXPECT_EQ(pool.faults(), 1u);
}

}  // namespace
}  // namespace patron::api
