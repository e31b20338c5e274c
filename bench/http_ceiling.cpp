// The HTTP ceiling of this machine for issue 19's harness: a minimal Pistache endpoint answering
// every request with the same small JSON document, on the I/O threads patrond would use, so that
// a load generator measures what HTTP alone costs here in the same run as Patron. Prints the port
// it listens on (127.0.0.1, chosen by the system) and serves until SIGINT or SIGTERM.
//   http_ceiling [threads=2]
#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>

namespace {

class FixedAnswer final : public Pistache::Http::Handler {
  public:
    HTTP_PROTOTYPE(FixedAnswer)

    void onRequest(const Pistache::Http::Request&, Pistache::Http::ResponseWriter response) override {
        response.headers().add<Pistache::Http::Header::ContentType>(MIME(Application, Json));
        response.send(Pistache::Http::Code::Ok, R"({"points_available":1250,"points_pending":0})");
    }
};

}  // namespace

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::max(1, std::atoi(argv[1])) : 2;
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // Pistache's threads inherit the mask.

    Pistache::Http::Endpoint endpoint(Pistache::Address(Pistache::Ipv4::loopback(), Pistache::Port(0)));
    endpoint.init(Pistache::Http::Endpoint::options().threads(threads).flags(Pistache::Tcp::Options::ReuseAddr));
    endpoint.setHandler(Pistache::Http::make_handler<FixedAnswer>());
    endpoint.serveThreaded();
    std::printf("%u\n", static_cast<unsigned>(endpoint.getPort()));
    std::fflush(stdout);
    int signal = 0;
    sigwait(&signals, &signal);
    endpoint.shutdown();
    return 0;
}
