// Lists read as one JSON value each: a scalar subquery over JSON_ARRAYAGG(JSON_ARRAY(...)) (or,
// keyed by a unique column, JSON_OBJECTAGG(key, JSON_ARRAY(...))) gives a list's rows as one column, so that a page
// needing several of a member's lists (their balance) reads them in one statement with the member's row, and a caller
// needing one list reads the same expression alone. Every value in it is one of our own columns, formatted by MariaDB.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace soci {
class session;
}

namespace patron::store {

// The value of one scalar expression (a subquery), as text; none when it is NULL.
std::optional<std::string> select_value(soci::session& sql, const std::string& expression);

// The rows of a JSON_ARRAYAGG: an array of arrays, empty when the aggregate was NULL (no rows);
// std::runtime_error when the text is not an array. MariaDB cuts a JSON_ARRAYAGG longer than
// group_concat_max_len (Database's sessions set it to 1 MiB), mostly into text that is no array,
// but a cut just after a row would read as a shorter list: every such list has a LIMIT of rows
// that keeps it far below the cap (lot instants: 500 of about 45 bytes; coupon codes: 200).
nlohmann::json json_rows(const std::optional<std::string>& text);

// The rows of a JSON_OBJECTAGG by their keys, in the keys' order, empty when NULL. MariaDB builds a
// JSON_ARRAYAGG (as GROUP_CONCAT) through a much slower path (about 0.3 ms a read) once its rows may
// be long (a TEXT column, or a VARCHAR(200) among others); JSON_OBJECTAGG has no such path.
nlohmann::json json_keyed_rows(const std::optional<std::string>& text);

// A row's value at `index`: text, a number, or a JSON column's document; an integer also from its
// digits as text, or from true or false.
std::string json_text(const nlohmann::json& row, std::size_t index);
long long json_integer(const nlohmann::json& row, std::size_t index);

}  // namespace patron::store
