// A database URL (mysql://user:password@host:port/database?socket=...) with its database replaced:
// the tests and benchmarks make a database of their own on a server they were given.
#pragma once

#include <string>

namespace patron::testing {

inline std::string with_database(const std::string& url, const std::string& database) {
    const auto authority_end = url.find('/', std::string("mysql://").size());
    const auto query = url.find('?', authority_end);
    return url.substr(0, authority_end + 1) + database + (query == std::string::npos ? "" : url.substr(query));
}

}  // namespace patron::testing
