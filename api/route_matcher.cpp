#include "api/route_matcher.h"

#include <stdexcept>

namespace patron::api {

struct RouteMatcher::Node {
    std::map<std::string, std::unique_ptr<Node>, std::less<>> fixed;
    std::unique_ptr<Node> parameter;
    std::map<std::string, const Route*> methods;
    std::string path_template;
};

std::optional<std::vector<std::string_view>> path_segments(std::string_view path, std::size_t segments_max) {
    std::vector<std::string_view> segments;
    std::size_t at = 0;
    while (at < path.size()) {
        const std::size_t slash = path.find('/', at);
        const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
        if (end > at) {
            if (segments.size() == segments_max) return std::nullopt;
            segments.push_back(path.substr(at, end - at));
        }
        at = end + 1;
    }
    return segments;
}

RouteMatcher::RouteMatcher(const std::vector<Route>& routes) : root_(std::make_unique<Node>()) {
    for (const Route& route : routes) {
        if (route.token_in_read && route.method != "GET") {
            // Such a route may be run twice for one request (Route::token_in_read).
            throw std::logic_error(route.method + " " + route.path +
                                   ": only a GET route may check its token in its read");
        }
        Node* node = root_.get();
        const auto segments = path_segments(route.path, kSegmentsMax).value();
        for (std::string_view segment : segments) {
            std::unique_ptr<Node>& next =
                segment.starts_with(':') ? node->parameter : node->fixed[std::string(segment)];
            if (!next) next = std::make_unique<Node>();
            node = next.get();
        }
        node->methods[route.method] = &route;
        node->path_template = route.path;
    }
}

RouteMatcher::~RouteMatcher() = default;

namespace {

// Depth-first over at most kSegmentsMax levels: a fixed segment first, then a parameter.
template <typename Node>
const Node* walk(const Node& node, const std::vector<std::string_view>& segments, std::size_t depth,
                 std::vector<std::string_view>& values) {
    if (depth == segments.size()) return node.methods.empty() ? nullptr : &node;
    if (const auto fixed = node.fixed.find(segments[depth]); fixed != node.fixed.end()) {
        if (const Node* found = walk(*fixed->second, segments, depth + 1, values)) return found;
    }
    if (node.parameter) {
        values.push_back(segments[depth]);
        if (const Node* found = walk(*node.parameter, segments, depth + 1, values)) return found;
        values.pop_back();
    }
    return nullptr;
}

}  // namespace

std::optional<RouteMatcher::Match> RouteMatcher::find(std::string_view method, std::string_view path) const {
    const auto segments = path_segments(path, kSegmentsMax);
    if (!segments) return std::nullopt;
    std::vector<std::string_view> values;
    const Node* node = walk(*root_, *segments, 0, values);
    if (node == nullptr) return std::nullopt;
    Match match;
    match.path_template = node->path_template;
    for (const auto& [name, route] : node->methods) match.allow += (match.allow.empty() ? "" : ", ") + name;
    const auto served = node->methods.find(std::string(method));
    if (served == node->methods.end()) return match;
    match.route = served->second;
    std::size_t index = 0;
    const auto template_segments = path_segments(match.route->path, kSegmentsMax).value();
    for (std::string_view segment : template_segments) {
        if (segment.starts_with(':')) match.params[std::string(segment.substr(1))] = std::string(values[index++]);
    }
    return match;
}

}  // namespace patron::api
