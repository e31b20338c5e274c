#include "tests/support/balancer.h"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/patrond_process.h"
#include "tests/support/tcp_proxy.h"

namespace patron::testing {
namespace {

// Debian installs it in /usr/sbin, which a test's PATH may not name.
std::string haproxy_path() {
    std::string dirs = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
    dirs += ":/usr/sbin:/sbin:/usr/local/sbin";
    std::size_t at = 0;
    while (at <= dirs.size()) {
        const std::size_t colon = std::min(dirs.find(':', at), dirs.size());
        const std::string candidate = dirs.substr(at, colon - at) + "/haproxy";
        if (colon > at && std::filesystem::exists(candidate)) return candidate;
        at = colon + 1;
    }
    throw std::runtime_error("haproxy is not installed (scripts/cluster installs it)");
}

}  // namespace

Balancer::Balancer(const std::vector<std::string>& instances, const std::string& dir, int check_ms)
    : port_(free_port()) {
    const std::string config_path = dir + "/haproxy.cfg";
    std::ofstream config(config_path);
    config << "global\n    maxconn 4000\n"
              "defaults\n    mode http\n    timeout connect 2s\n    timeout client 60s\n    timeout server 60s\n"
              "    option redispatch\n    retries 2\n"
              // As scripts/cluster's: the balancer's own 503 reads as patrond's.
              "    http-error status 503 content-type application/json hdr Retry-After 1 string "
              "'{\"error\": {\"code\": \"UNAVAILABLE\", \"message\": \"no Patron instance is ready; try again "
              "shortly\", \"field\": null}}'\n"
              "frontend patron\n    bind 127.0.0.1:"
           << port_
           << "\n    default_backend patrond\n"
              "backend patrond\n    balance roundrobin\n    option httpchk GET /readyz\n"
              "    http-check expect status 200\n    default-server inter "
           << check_ms << "ms fall 2 rise 2\n";
    for (std::size_t i = 0; i < instances.size(); ++i) {
        const std::string& instance = instances[i];
        const std::string address = instance.substr(instance.find("://") + 3);
        config << "    server patrond" << i + 1 << " " << address.substr(0, address.find('/')) << " check\n";
    }
    config.close();
    pid_ = spawn_process({haproxy_path(), "-f", config_path, "-db"}, {}, dir + "/haproxy.log");
    for (int i = 0; i < 100; ++i) {
        try {
            if (http({"GET", url("/readyz"), "", {}}).status == 200) return;
        } catch (const std::exception&) {
            // Not listening yet.
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    throw std::runtime_error("HAProxy did not serve; see " + dir + "/haproxy.log");
}

Balancer::~Balancer() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
}

std::string Balancer::url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

}  // namespace patron::testing
