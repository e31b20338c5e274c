#include "loyalty/store/db/insert_id.h"

#include <soci/soci.h>

#include <stdexcept>

namespace patron::store {

long long last_insert_id(soci::session& sql) {
    long long id = 0;
    if (!sql.get_last_insert_id("", id)) throw std::logic_error("the MySQL backend always knows its last insert id");
    return id;
}

}  // namespace patron::store
