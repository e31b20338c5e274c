#include "api/log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
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

constexpr mode_t kOwnerOnly = S_IRUSR | S_IWUSR;

// Narrows an open regular file to mode 0600; other kinds of file keep theirs.
core::Result<void> make_owner_only(int fd) {
    struct stat status {};
    if (fstat(fd, &status) != 0) return core::fail(core::ErrorCode::kInternal, std::strerror(errno));
    if (!S_ISREG(status.st_mode) || (status.st_mode & 0777) == kOwnerOnly) return {};
    if (fchmod(fd, kOwnerOnly) != 0) {
        return core::fail(core::ErrorCode::kInternal,
                          std::string("cannot make the log readable by its owner only: ") + std::strerror(errno));
    }
    return {};
}

}  // namespace

core::Result<void> open_log(const std::string& path) {
    if (path.empty()) return make_owner_only(STDERR_FILENO);
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, kOwnerOnly);
    if (fd < 0) return core::fail(core::ErrorCode::kInternal, "cannot open " + path + ": " + std::strerror(errno));
    auto owner_only = make_owner_only(fd);
    if (owner_only && dup2(fd, STDERR_FILENO) < 0) {
        owner_only = core::fail(core::ErrorCode::kInternal, std::string("cannot log there: ") + std::strerror(errno));
    }
    close(fd);
    return owner_only;
}

void log_line(const nlohmann::json& fields) {
    nlohmann::json line = {{"time", utc_now()}};
    line.update(fields);
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::lock_guard lock(log_mutex());
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
}

}  // namespace patron::api
