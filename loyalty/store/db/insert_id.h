// The id MariaDB gave the last row this session inserted, read from the client library
// (mysql_insert_id) rather than with another round trip.
#pragma once

namespace soci {
class session;
}

namespace patron::store {

long long last_insert_id(soci::session& sql);

}  // namespace patron::store
