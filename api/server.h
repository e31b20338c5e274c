// Patron's HTTP server on Pistache: registers the route table (and 404/405 answers for
// everything else), authenticates callers, runs database work on the bounded worker pool,
// guards every handler so that no exception reaches Pistache (which would answer with its
// text), logs one JSON line per request and records metrics. Shutdown drains in-flight work.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/metrics.h"
#include "api/router.h"
#include "loyalty/service/access_service.h"
#include "pos-adapter/terminal_gate.h"

namespace patron::api {

struct ApiSettings {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0 picks a free port; port() tells which.
    std::size_t http_threads = 2;
    std::size_t workers = 16;
    std::size_t queue_max = 1024;
    std::size_t body_max = 1024 * 1024;
};

struct ApiServices {
    service::AccessService& access;
    pos::TerminalGate& terminals;
    Metrics& metrics;
};

class ApiServer {
  public:
    ApiServer(ApiSettings settings, std::vector<Route> routes, ApiServices services);
    ~ApiServer();
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    // Binds and serves on Pistache's own threads; returns at once.
    void start();
    std::uint16_t port() const;
    // Answers new requests with 503, finishes the work in flight, then closes the listener.
    void shutdown();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace patron::api
