// Columns that keep a core enum by its spelling (a staff role, a card's or a member's state) are
// read back through the core's parse_* function. A spelling this build has no name for (written by
// a newer version, or by hand) is never guessed at: reading it throws, so the unit of work fails,
// rolled back, with INTERNAL, and the incident names the exception's class, not the value.
#pragma once

#include <optional>
#include <stdexcept>

namespace patron::store {

class UnknownStoredValue : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The value read; UnknownStoredValue when its spelling is none the core knows.
template <typename Enum>
Enum known_value(std::optional<Enum> parsed) {
    if (!parsed) throw UnknownStoredValue("a stored value this build has no name for");
    return *parsed;
}

}  // namespace patron::store
