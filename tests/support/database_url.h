// A database URL (mysql://user:password@host:port/database?socket=...) with its database replaced:
// the tests and benchmarks make a database of their own on a server they were given.
#pragma once

#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace patron::testing {

inline std::string with_database(const std::string& url, const std::string& database) {
    const auto authority_end = url.find('/', std::string("mysql://").size());
    const auto query = url.find('?', authority_end);
    return url.substr(0, authority_end + 1) + database + (query == std::string::npos ? "" : url.substr(query));
}

// The three node URLs scripts/cluster names in PATRON_CLUSTER_NODES (database "mysql" in each).
inline std::vector<std::string> cluster_node_urls() {
    const char* text = std::getenv("PATRON_CLUSTER_NODES");
    if (text == nullptr)
        throw std::runtime_error("PATRON_CLUSTER_NODES is not set: run scripts/cluster --test or --bench");
    std::istringstream words(text);
    std::vector<std::string> urls;
    for (std::string url; words >> url;) urls.push_back(url);
    if (urls.size() != 3) throw std::runtime_error("PATRON_CLUSTER_NODES must name three nodes");
    return urls;
}

}  // namespace patron::testing
