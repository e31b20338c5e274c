// The name of an exception's class, for logs and incident details: never its message, which may
// quote what caused it (a JSON parse error quotes the input it read, a database error the
// statement and the values bound to it), and so could carry a member's personal data.
#pragma once

#include <exception>
#include <string>

namespace patron::core {

// "json type_error 302" for nlohmann/json's exceptions (their kind and stable number), else the
// class's C++ name ("std::out_of_range", "std::bad_alloc").
std::string exception_class(const std::exception& error);

}  // namespace patron::core
