#include "tests/support/tcp_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace patron::testing {

struct TcpProxy::Connection {
    int client = -1;
    int server = -1;
    std::atomic<bool> silenced{false};  // Held while the proxy dropped: cut when it forwards again.
    ~Connection() {
        if (client >= 0) close(client);
        if (server >= 0) close(server);
    }
    void cut() const {
        shutdown(client, SHUT_RDWR);
        shutdown(server, SHUT_RDWR);
    }
};

namespace {

sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

// Waits up to 100 ms for `fd` to be readable.
bool readable(int fd) {
    pollfd watched{fd, POLLIN, 0};
    return poll(&watched, 1, 100) > 0;
}

bool write_all(int fd, const char* data, ssize_t size) {
    while (size > 0) {
        const ssize_t written = send(fd, data, static_cast<std::size_t>(size), MSG_NOSIGNAL);
        if (written <= 0) return false;
        data += written;
        size -= written;
    }
    return true;
}

}  // namespace

int free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address = loopback(0);
    socklen_t length = sizeof(address);
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        close(fd);
        throw std::runtime_error("no free port");
    }
    close(fd);
    return ntohs(address.sin_port);
}

TcpProxy::TcpProxy(int upstream_port) : upstream_port_(upstream_port) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    const int yes = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    sockaddr_in address = loopback(0);
    socklen_t length = sizeof(address);
    if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || listen(listener_, 128) != 0 ||
        getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        close(listener_);
        throw std::runtime_error("the proxy cannot listen");
    }
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
}

TcpProxy::~TcpProxy() {
    stopping_ = true;
    acceptor_.join();
    close(listener_);
    std::vector<std::thread> pumps;
    {
        std::lock_guard lock(mutex_);
        for (const auto& connection : connections_) connection->cut();
        pumps.swap(pumps_);
    }
    for (std::thread& pump : pumps) pump.join();
}

void TcpProxy::pass() {
    delay_ms_ = 0;
    {
        // Cut first: no byte may cross a connection that lost some while the proxy dropped.
        std::lock_guard lock(mutex_);
        for (const auto& connection : connections_) {
            if (connection->silenced) connection->cut();
        }
    }
    dropping_ = false;
}

void TcpProxy::delay(std::chrono::milliseconds chunk) { delay_ms_ = chunk.count(); }

void TcpProxy::drop() {
    dropping_ = true;
    std::lock_guard lock(mutex_);
    for (const auto& connection : connections_) connection->silenced = true;
}

void TcpProxy::accept_loop() {
    while (!stopping_) {
        if (!readable(listener_)) continue;
        const int client = accept(listener_, nullptr, nullptr);
        if (client < 0) continue;
        auto connection = std::make_shared<Connection>();
        connection->client = client;
        connection->server = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in upstream = loopback(upstream_port_);
        if (connect(connection->server, reinterpret_cast<sockaddr*>(&upstream), sizeof(upstream)) != 0) continue;
        connection->silenced = dropping_.load();
        std::lock_guard lock(mutex_);
        connections_.push_back(connection);
        pumps_.emplace_back([this, connection] { pump(connection, true); });
        pumps_.emplace_back([this, connection] { pump(connection, false); });
    }
}

void TcpProxy::pump(std::shared_ptr<Connection> connection, bool upstream) {
    const int from = upstream ? connection->client : connection->server;
    const int to = upstream ? connection->server : connection->client;
    char buffer[16384];
    while (!stopping_) {
        if (!readable(from)) continue;
        const ssize_t got = recv(from, buffer, sizeof(buffer), 0);
        if (got <= 0) break;
        if (dropping_) {
            connection->silenced = true;
            continue;  // Read and forgotten: neither side hears anything.
        }
        if (const long long ms = delay_ms_; ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        if (!write_all(to, buffer, got)) break;
    }
    connection->cut();
}

}  // namespace patron::testing
