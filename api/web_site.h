// The web pages patrond serves (the member portal, the staff console, the API reference): the
// files a front-end build left in a directory, read once at start-up and held in memory, each
// served at its own fixed route. Only the files found at start-up exist, so no request path can
// reach anything else ("..", encoded slashes and symbolic links name nothing). Every page carries
// a strict Content-Security-Policy: scripts, styles, images and API calls from patrond's own
// origin only, nothing inline, no framing. Hashed asset names are cached for a year; the HTML page
// never, so a new build is seen at once. A file's gzip twin (`x.js.gz`, written by the build) is
// sent to clients that take gzip.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "api/router.h"
#include "loyalty/core/error.h"

namespace patron::api {

struct WebFile {
    std::string path;  // Where it is served: "/portal/assets/index-4f2a.js".
    std::string content_type;
    std::string body;
    std::optional<std::string> gzip;  // The same bytes gzip-compressed, when the build wrote them.
    bool immutable = false;           // Its name carries its content's hash: cache it for good.
};

inline constexpr std::size_t kWebFilesMax = 2000;
inline constexpr std::size_t kWebBytesMax = 64 * 1024 * 1024;

// The files under `directory`, served under `prefix` ("/portal"); `index.html` also at the prefix
// itself. Fails (with the reason) when the directory is missing, has no index.html, or is too big.
core::Result<std::vector<WebFile>> load_web_files(const std::filesystem::path& directory, const std::string& prefix);

// One GET route per file, for anyone.
std::vector<Route> web_routes(const std::vector<WebFile>& files);

inline constexpr std::size_t kClientRouteDepthMax = 3;

// For a page that keeps its own addresses under `prefix` ("/console/members/42"): GET routes for
// anyone that answer those addresses with the page itself (index.html, not cached), so a reload or
// a bookmark opens the page where it was. A client address is up to kClientRouteDepthMax segments:
// the first of lower-case letters, digits and hyphens naming no directory of the build (so a file
// name, with its dot, or a missing asset stays 404), the others of RFC 3986's unreserved
// characters (a store "S001", a rule "happy_hour"), never "." or "..". `files` must hold the page at `prefix`.
std::vector<Route> client_routes(const std::vector<WebFile>& files, const std::string& prefix);

}  // namespace patron::api
