// What a database failure may say in a log, an incident or an error message: SOCI's error class
// and category and MariaDB's error number, never the error's text, which quotes the statement
// and every value bound to it (a phone or a name in a failed INSERT would reach the log).
#pragma once

#include <exception>
#include <string>

namespace soci {
class soci_error;
}

namespace patron::store {

// "soci_error unknown, MariaDB 1062"; "soci_error connection_error, MariaDB 2013"; for SOCI's own
// errors (no server error number) just the class and category: "soci_error no_data".
std::string database_error_class(const soci::soci_error& error);

// The same for anything thrown inside a unit of work: a database error as above, any other
// exception by its class ("json type_error 302", "std::out_of_range").
std::string failure_class(const std::exception& error);

}  // namespace patron::store
