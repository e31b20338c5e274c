// Patron's HTTP server: Pistache's TCP reactor carries the bytes; requests are read by
// api/http_wire (bounded, every refusal a JSON envelope), answered in the order they came on
// each connection (pipelining), cut when they arrive too slowly, routed by the route table
// (404/405 for everything else), authenticated, and run on the bounded worker pool (password
// hashing on a small pool of its own). Every handler runs behind one guard, one JSON log line
// per request, metrics recorded. Shutdown finishes the work in flight and waits (2 s at most)
// for its answers to be written.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/metrics.h"
#include "api/router.h"
#include "api/terminal_gate.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/access/write_once_service.h"

namespace patron::api {

struct ApiSettings {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0 picks a free port; port() tells which.
    std::size_t http_threads = 2;
    std::size_t workers = 16;
    std::size_t queue_max = 1024;
    std::size_t body_max = 1024 * 1024;
    std::size_t password_workers = 2;     // Sign-ins and password changes hash on these alone.
    std::size_t password_queue_max = 32;
    std::size_t report_workers = 2;  // Reports run on these alone.
    std::size_t report_queue_max = 8;
    std::size_t connections_max = 4096;   // More are closed as soon as they are accepted.
    std::size_t pipeline_max = 16;        // Requests of one connection waiting for their answers.
    std::chrono::milliseconds header_timeout{10'000};   // From a request's first byte to its last header.
    std::chrono::milliseconds request_timeout{30'000};  // From a request's first byte to its last.
    std::chrono::milliseconds idle_timeout{30'000};     // A kept-alive connection with nothing to do.
    std::string metrics_token;  // When set, /metrics also answers `Authorization: Bearer <token>` from anywhere.
};

struct ApiServices {
    service::AccessService& access;
    service::WriteOnceService& write_once;
    api::TerminalGate& terminals;
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
