// A TCP proxy for fault tests: between patrond and MariaDB it forwards, delays every chunk, or
// drops everything both ways while keeping the connections open (a silent network), and cuts the
// connections it held silent when it forwards again.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace patron::testing {

// A port on 127.0.0.1 nothing listens on just now.
int free_port();

class TcpProxy {
  public:
    explicit TcpProxy(int upstream_port);  // Listens on 127.0.0.1, a port of its own.
    ~TcpProxy();
    TcpProxy(const TcpProxy&) = delete;
    TcpProxy& operator=(const TcpProxy&) = delete;

    int port() const { return port_; }
    void pass();                                  // Forwards; cuts the connections held silent.
    void delay(std::chrono::milliseconds chunk);  // Forwards each chunk after this long.
    void drop();                                  // Forwards nothing, either way, new connections too.

    struct Connection;

  private:
    void accept_loop();
    void pump(std::shared_ptr<Connection> connection, bool upstream);

    int listener_ = -1;
    int port_ = 0;
    int upstream_port_;
    std::atomic<bool> dropping_{false};
    std::atomic<long long> delay_ms_{0};
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::vector<std::shared_ptr<Connection>> connections_;
    std::vector<std::thread> pumps_;
    std::thread acceptor_;
};

}  // namespace patron::testing
