#include "tests/support/route_table.h"

#include "api/routes.h"
#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "notify/notifiers.h"

namespace patron::testing {

struct RouteTable::Services {
    crypto::SystemRandom random;
    crypto::KeyRing keys = crypto::KeyRing::parse(crypto::KeyRing::generate(random, "mk1")).value();
    service::SystemClock clock;
    store::Database database{store::DatabaseSettings{"mysql://nobody@localhost/none", 1}};
    std::unique_ptr<service::Notifier> notifier = notify::notifier_from_setting("").value();
    service::Services services{{database, keys, clock, random, *notifier, {}, {}}};
    api::Metrics metrics;
    std::vector<api::Route> routes = api::patron_routes(services, metrics);
};

std::string openapi_path(const std::string& path) {
    std::string out;
    bool in_parameter = false;
    for (char c : path) {
        if (c == ':') {
            out += '{';
            in_parameter = true;
        } else if (c == '/' && in_parameter) {
            out += "}/";
            in_parameter = false;
        } else {
            out += c;
        }
    }
    return in_parameter ? out + "}" : out;
}

RouteTable::RouteTable() : services_(std::make_unique<Services>()) {}
RouteTable::~RouteTable() = default;
const std::vector<api::Route>& RouteTable::routes() const { return services_->routes; }

}  // namespace patron::testing
