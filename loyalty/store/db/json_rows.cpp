#include "loyalty/store/db/json_rows.h"

#include <soci/soci.h>

#include <stdexcept>

namespace patron::store {

std::optional<std::string> select_value(soci::session& sql, const std::string& expression) {
    std::string value;
    soci::indicator present = soci::i_null;
    sql << "SELECT CAST(" + expression + " AS CHAR)", soci::into(value, present);
    if (present != soci::i_ok) return std::nullopt;
    return value;
}

nlohmann::json json_rows(const std::optional<std::string>& text) {
    if (!text) return nlohmann::json::array();
    nlohmann::json rows = nlohmann::json::parse(*text, nullptr, false);
    if (!rows.is_array()) throw std::runtime_error("a list read as JSON is not an array (cut short?)");
    return rows;
}

nlohmann::json json_keyed_rows(const std::optional<std::string>& text) {
    if (!text) return nlohmann::json::object();
    nlohmann::json rows = nlohmann::json::parse(*text, nullptr, false);
    if (!rows.is_object()) throw std::runtime_error("rows read as a JSON object are not an object");
    return rows;
}

std::string json_text(const nlohmann::json& row, std::size_t index) {
    const nlohmann::json& value = row.at(index);
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return {};
    return value.dump();
}

long long json_integer(const nlohmann::json& row, std::size_t index) {
    const nlohmann::json& value = row.at(index);
    if (value.is_number_integer()) return value.get<long long>();
    if (value.is_boolean()) return value.get<bool>() ? 1 : 0;
    if (value.is_string()) return std::stoll(value.get<std::string>());
    throw std::runtime_error("a list read as JSON holds no integer where one was expected");
}

}  // namespace patron::store
