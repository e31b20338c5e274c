// A text value written into a statement as a quoted literal, escaped by the MariaDB client library
// (mysql_real_escape_string, for the connection's character set), in a session whose sql_mode has no
// NO_BACKSLASH_ESCAPES (Database's sessions never have it; others throw). For statements of many rows:
// SOCI binds each named value at a cost that grew with a basket's lines (its own copy, conversion
// and substitution per value), while the escaped literal is what SOCI's MySQL backend sends anyway.
#pragma once

#include <concepts>
#include <optional>
#include <string>
#include <string_view>

namespace soci {
class session;
}
struct st_mysql;  // The MariaDB client library's MYSQL.

namespace patron::store {

std::string sql_text(soci::session& sql, std::string_view value);  // 'value', escaped.
// NULL, or the value: 'value' escaped, or the integer's digits.
std::string sql_text_or_null(soci::session& sql, const std::optional<std::string>& value);
template <std::integral Number>
std::string sql_number_or_null(const std::optional<Number>& value) {
    return value ? std::to_string(*value) : std::string("NULL");
}

// The client library's connection under a SOCI MariaDB session (std::logic_error for another backend).
st_mysql* mysql_connection(soci::session& sql);

}  // namespace patron::store
