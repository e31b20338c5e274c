#include "api/log.h"

#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

#include "loyalty/core/time.h"

namespace patron::api {
namespace {

std::mutex& log_mutex() {
    static std::mutex mutex;
    return mutex;
}

std::string utc_now() {
    using namespace std::chrono;
    return core::format_utc(floor<microseconds>(system_clock::now()), core::TimeFormat::kRfc3339Ms);
}

}  // namespace

void log_line(const nlohmann::json& fields) {
    nlohmann::json line = {{"time", utc_now()}};
    line.update(fields);
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::lock_guard lock(log_mutex());
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
}

}  // namespace patron::api
