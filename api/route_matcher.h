// Finds the route of a request: the route table's templates ("/v1/members/:id") held as a tree
// of path segments, fixed segments tried before parameters, empty segments ignored (so
// "/v1//members/" is "/v1/members"). Iterative splitting and a bounded number of segments, so
// no path, however long or odd, costs more than a look-up.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/router.h"

namespace patron::api {

class RouteMatcher {
  public:
    static constexpr std::size_t kSegmentsMax = 32;

    struct Match {
        const Route* route = nullptr;  // Null when the path is served, but not with this method.
        std::string path_template;     // The route table's path, for logs and metrics.
        std::string allow;             // The methods the path serves: "GET, POST".
        std::map<std::string, std::string> params;  // Route parameters, raw as sent.
    };

    // `routes` must outlive the matcher.
    explicit RouteMatcher(const std::vector<Route>& routes);
    ~RouteMatcher();
    RouteMatcher(const RouteMatcher&) = delete;
    RouteMatcher& operator=(const RouteMatcher&) = delete;

    // nullopt: no route has this path.
    std::optional<Match> find(std::string_view method, std::string_view path) const;

  private:
    struct Node;
    std::unique_ptr<Node> root_;
};

// The segments of a path, empty ones dropped; nullopt past `segments_max`.
std::optional<std::vector<std::string_view>> path_segments(std::string_view path, std::size_t segments_max);

}  // namespace patron::api
