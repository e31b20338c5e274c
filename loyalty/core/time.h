// Patron's one notion of an instant: UTC with microsecond precision, the precision of the
// database's DATETIME(6). The core never reads a clock; instants come in as arguments.
#pragma once

#include <chrono>

namespace patron::core {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

}  // namespace patron::core
