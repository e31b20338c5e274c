#include "loyalty/store/db/integer_column.h"

#include <soci/soci.h>

namespace patron::store {

long long integer_at(const soci::row& row, std::size_t column) {
    if (row.get_indicator(column) == soci::i_null) return 0;
    return row.get_properties(column).get_data_type() == soci::dt_integer ? row.get<int>(column)
                                                                          : row.get<long long>(column);
}

}  // namespace patron::store
