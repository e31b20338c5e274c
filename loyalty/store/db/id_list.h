// An IN list of ids ("1,2,3") written into a statement. Only for ids Patron read from its own
// tables: they are integers, so nothing needs escaping, and a list of any length stays one
// statement (SOCI binds no arrays to IN).
#pragma once

#include <span>
#include <string>

namespace patron::store {

std::string id_list(std::span<const long long> ids);

}  // namespace patron::store
