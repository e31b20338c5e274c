#include "loyalty/core/exception_class.h"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <typeinfo>

namespace patron::core {
namespace {

using nlohmann::json;

std::string json_kind(const json::exception& error) {
    if (dynamic_cast<const json::parse_error*>(&error) != nullptr) return "parse_error";
    if (dynamic_cast<const json::type_error*>(&error) != nullptr) return "type_error";
    if (dynamic_cast<const json::out_of_range*>(&error) != nullptr) return "out_of_range";
    if (dynamic_cast<const json::invalid_iterator*>(&error) != nullptr) return "invalid_iterator";
    return "other_error";
}

std::string type_name(const std::type_info& type) {
    int status = 0;
    const std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(type.name(), nullptr, nullptr, &status),
                                                           std::free);
    return status == 0 && demangled ? std::string(demangled.get()) : std::string(type.name());
}

}  // namespace

std::string exception_class(const std::exception& error) {
    if (const auto* json_error = dynamic_cast<const json::exception*>(&error)) {
        return "json " + json_kind(*json_error) + " " + std::to_string(json_error->id);
    }
    return type_name(typeid(error));
}

}  // namespace patron::core
