#include "api/web_site.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

namespace patron::api {
namespace {

namespace fs = std::filesystem;
using core::ErrorCode;
using core::fail;

// Same origin only; no inline script or style, no plugins, no framing, forms only to ourselves.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

std::string content_type_of(const fs::path& file) {
    static const std::map<std::string, std::string> types = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".yaml", "application/yaml"},
        {".webmanifest", "application/manifest+json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const auto found = types.find(file.extension().string());
    return found == types.end() ? "application/octet-stream" : found->second;
}

std::optional<std::string> read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// Vite names what it bundles "name-<hash>.ext" under assets/.
bool is_hashed_asset(const std::string& relative) { return relative.starts_with("assets/"); }

bool accepts_gzip(const HttpRequest& request) {
    const auto accepted = request.header("accept-encoding");
    if (!accepted) return false;
    std::string lower = *accepted;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return lower.find("gzip") != std::string::npos && lower.find("gzip;q=0") == std::string::npos;
}

HttpResponse serve(const WebFile& file, const HttpRequest& request) {
    HttpResponse response{200, file.body, file.content_type, {}, {}};
    response.headers = {
        {"Cache-Control", file.immutable ? "public, max-age=31536000, immutable" : "no-store"},
        {"Content-Security-Policy", kContentSecurityPolicy},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"X-Frame-Options", "DENY"},
        {"Cross-Origin-Opener-Policy", "same-origin"},
    };
    if (file.gzip) {
        response.headers.emplace_back("Vary", "Accept-Encoding");
        if (accepts_gzip(request)) {
            response.body = *file.gzip;
            response.headers.emplace_back("Content-Encoding", "gzip");
        }
    }
    return response;
}

bool is_unreserved(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// The first segment names a section of the page (lower case); the ones below it may name what
// staff named (a store "S001", a rule "happy_hour.v2", "Happy hour", "جشنواره") as the page's
// encodeURIComponent writes it: RFC 3986's unreserved characters, "!*'()" and %XX escapes, but
// never an escape of an unreserved character (a dot among them), of "/" or "\" or of a control
// character, and never a "." or ".." segment. Only the page itself is ever answered.
bool is_client_segment(std::string_view segment, bool first) {
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (first) {
        return std::ranges::all_of(segment,
                                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
    }
    for (std::size_t i = 0; i < segment.size(); ++i) {
        const char c = segment[i];
        if (is_unreserved(c) || c == '!' || c == '*' || c == '\'' || c == '(' || c == ')') continue;
        if (c != '%' || i + 2 >= segment.size() || hex_value(segment[i + 1]) < 0 || hex_value(segment[i + 2]) < 0) {
            return false;
        }
        const auto byte = static_cast<unsigned char>(hex_value(segment[i + 1]) * 16 + hex_value(segment[i + 2]));
        if (byte < 0x20 || byte == 0x7f || byte == '/' || byte == '\\' || is_unreserved(static_cast<char>(byte))) {
            return false;
        }
        i += 2;
    }
    return true;
}

}  // namespace

core::Result<std::vector<WebFile>> load_web_files(const fs::path& directory, const std::string& prefix) {
    std::error_code error;
    if (!fs::is_directory(directory, error)) {
        return fail(ErrorCode::kNotFound, directory.string() + " is not a directory (build the web pages first)");
    }
    std::map<std::string, WebFile> files;  // By path relative to the directory.
    std::map<std::string, std::string> gzipped;
    std::size_t bytes = 0;
    for (auto it = fs::recursive_directory_iterator(directory, error); !error && it != fs::end(it);
         it.increment(error)) {
        // Symbolic links are not followed: only what the build wrote is served.
        if (!it->is_regular_file(error) || it->is_symlink(error)) continue;
        if (files.size() + gzipped.size() >= kWebFilesMax) return fail(ErrorCode::kPayloadTooLarge, "too many files");
        const std::string relative = fs::relative(it->path(), directory, error).generic_string();
        auto body = read_file(it->path());
        if (!body) return fail(ErrorCode::kNotFound, "cannot read " + it->path().string());
        bytes += body->size();
        if (bytes > kWebBytesMax) return fail(ErrorCode::kPayloadTooLarge, directory.string() + " holds too much");
        if (relative.ends_with(".gz")) {
            gzipped[relative.substr(0, relative.size() - 3)] = std::move(*body);
        } else {
            files[relative] = WebFile{prefix + "/" + relative, content_type_of(it->path()), std::move(*body),
                                      std::nullopt, is_hashed_asset(relative)};
        }
    }
    if (error) return fail(ErrorCode::kNotFound, "cannot list " + directory.string() + ": " + error.message());
    if (!files.contains("index.html")) return fail(ErrorCode::kNotFound, directory.string() + " has no index.html");
    std::vector<WebFile> served;
    for (auto& [relative, file] : files) {
        if (auto twin = gzipped.find(relative); twin != gzipped.end()) file.gzip = std::move(twin->second);
        if (relative == "index.html") {
            WebFile at_prefix = file;
            at_prefix.path = prefix;
            served.push_back(std::move(at_prefix));
        }
        served.push_back(std::move(file));
    }
    return served;
}

std::vector<Route> web_routes(const std::vector<WebFile>& files) {
    std::vector<Route> routes;
    for (const WebFile& file : files) {
        auto shared = std::make_shared<const WebFile>(file);
        routes.push_back(
            {"GET", file.path, Caller::kAnyone, kNoRoles, false,
             [shared](const HttpRequest& request, const CallContext&) { return serve(*shared, request); }});
    }
    return routes;
}

std::vector<Route> client_routes(const std::vector<WebFile>& files, const std::string& prefix) {
    const auto page = std::ranges::find(files, prefix, &WebFile::path);
    if (page == files.end()) return {};
    auto shared = std::make_shared<const WebFile>(*page);
    // The build's directories ("assets"), whose paths are files or nothing.
    std::set<std::string, std::less<>> directories;
    for (const WebFile& file : files) {
        const std::string_view relative =
            std::string_view(file.path).substr(std::min(file.path.size(), prefix.size() + 1));
        if (const auto slash = relative.find('/'); slash != std::string_view::npos) {
            directories.emplace(relative.substr(0, slash));
        }
    }
    std::vector<Route> routes;
    std::string path = prefix;
    std::vector<std::string> names;
    for (std::size_t depth = 1; depth <= kClientRouteDepthMax; ++depth) {
        names.push_back("segment" + std::to_string(depth));
        path += "/:" + names.back();
        routes.push_back({"GET", path, Caller::kAnyone, kNoRoles, false,
                          [shared, directories, names](const HttpRequest& request, const CallContext&) {
                              const bool client_address =
                                  !directories.contains(request.param("segment1")) &&
                                  std::ranges::all_of(names, [&request](const std::string& name) {
                                      return is_client_segment(request.param(name), name == "segment1");
                                  });
                              if (!client_address) {
                                  return error_response({core::ErrorCode::kNotFound, "no such route", ""});
                              }
                              return serve(*shared, request);
                          }});
    }
    return routes;
}

}  // namespace patron::api
