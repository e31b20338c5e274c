// An integer column of a result row as MariaDB typed it: a CAST(... AS SIGNED) or a constant comes
// back as an int or a long long by the value's width, a count as a long long, an unsigned column
// read as it is as an unsigned long long. NULL reads as 0.
#pragma once

#include <cstddef>

namespace soci {
class row;
}

namespace patron::store {

long long integer_at(const soci::row& row, std::size_t column);

}  // namespace patron::store
