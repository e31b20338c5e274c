#include "loyalty/store/db/database_error.h"

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include "loyalty/core/exception_class.h"

namespace patron::store {
namespace {

const char* category_name(soci::soci_error::error_category category) {
    switch (category) {
        case soci::soci_error::connection_error:
            return "connection_error";
        case soci::soci_error::invalid_statement:
            return "invalid_statement";
        case soci::soci_error::no_privilege:
            return "no_privilege";
        case soci::soci_error::no_data:
            return "no_data";
        case soci::soci_error::constraint_violation:
            return "constraint_violation";
        case soci::soci_error::unknown_transaction_state:
            return "unknown_transaction_state";
        case soci::soci_error::system_error:
            return "system_error";
        case soci::soci_error::unknown:
            break;
    }
    return "unknown";
}

}  // namespace

std::string database_error_class(const soci::soci_error& error) {
    std::string text = std::string("soci_error ") + category_name(error.get_error_category());
    if (const auto* mysql = dynamic_cast<const soci::mysql_soci_error*>(&error)) {
        text += ", MariaDB " + std::to_string(mysql->err_num_);
    }
    return text;
}

std::string failure_class(const std::exception& error) {
    if (const auto* database = dynamic_cast<const soci::soci_error*>(&error)) return database_error_class(*database);
    return core::exception_class(error);
}

}  // namespace patron::store
