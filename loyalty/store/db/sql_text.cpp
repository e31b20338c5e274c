#include "loyalty/store/db/sql_text.h"

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <stdexcept>

namespace patron::store {

MYSQL* mysql_connection(soci::session& sql) {
    // libsoci_mysql exports no type information to check the cast with: the backend's name instead.
    if (sql.get_backend_name() != "mysql") throw std::logic_error("a MariaDB session is needed here");
    return static_cast<soci::mysql_session_backend*>(sql.get_backend())->conn_;
}

std::string sql_text(soci::session& sql, std::string_view value) {
    MYSQL* connection = mysql_connection(sql);
    // Without backslash escapes, the library escapes quotes by doubling them, and SOCI, which skips
    // \' inside literals when it looks for :placeholders, would misread the statement's text.
    if ((connection->server_status & SERVER_STATUS_NO_BACKSLASH_ESCAPES) != 0) {
        throw std::logic_error("sql_text needs a session without NO_BACKSLASH_ESCAPES");
    }
    std::string literal(value.size() * 2 + 3, '\0');  // The client library's bound for the escaped text.
    literal[0] = '\'';
    const unsigned long written = mysql_real_escape_string(connection, literal.data() + 1, value.data(), value.size());
    if (written == static_cast<unsigned long>(-1)) throw std::runtime_error("a text value could not be escaped");
    literal[written + 1] = '\'';
    literal.resize(written + 2);
    return literal;
}

std::string sql_text_or_null(soci::session& sql, const std::optional<std::string>& value) {
    return value ? sql_text(sql, *value) : std::string("NULL");
}

}  // namespace patron::store
