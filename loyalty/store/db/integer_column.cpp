#include "loyalty/store/db/integer_column.h"

#include <soci/soci.h>

namespace patron::store {

long long integer_at(const soci::row& row, std::size_t column) {
    if (row.get_indicator(column) == soci::i_null) return 0;
    switch (row.get_properties(column).get_data_type()) {
        case soci::dt_integer:
            return row.get<int>(column);
        case soci::dt_unsigned_long_long:  // An unsigned column read without a CAST.
            return static_cast<long long>(row.get<unsigned long long>(column));
        default:
            return row.get<long long>(column);
    }
}

}  // namespace patron::store
