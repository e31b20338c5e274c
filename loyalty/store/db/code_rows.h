// Many generated codes stored in a few statements: coupon codes and prize draw packaging codes are
// made by the thousand, each row its code (bound) and fixed values the caller writes (numbers and
// times it made itself, never text from a request).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace patron::store {

// Runs `head` ("INSERT IGNORE INTO t (code, a, b) VALUES ") with one row "(:cN" + rest_of(i) for
// each code i ("rest" ends the row with its ")"), a thousand rows a statement; how many rows went in
// (a code taken already is skipped by IGNORE).
long long insert_code_rows(soci::session& sql, const std::string& head, const std::vector<std::string>& codes,
                           const std::function<std::string(std::size_t)>& rest_of);

}  // namespace patron::store
