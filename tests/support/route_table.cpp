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
    service::MemberService members{database, keys, clock, random};
    service::MemberPrivacy privacy{database, keys, clock};
    service::MemberMerge merges{database, clock};
    service::PurchaseService purchases{database, keys, clock, random};
    service::ReturnService returns{database, keys, clock};
    service::BatchAnswers batch_answers{database, clock};
    service::TierService tiers{database, clock};
    service::RuleAdmin rules{database, keys, clock};
    service::ProgramSettingsService settings{database, clock};
    service::CardService cards{database, clock, random};
    service::TerminalRegistry registry{database, keys, clock, random};
    service::StaffAccounts staff{database, keys, clock, random};
    service::Readiness readiness{database, {}};
    service::PointsAdjustments adjustments{database, clock};
    std::unique_ptr<service::Notifier> notifier = notify::notifier_from_setting("").value();
    service::MemberSignIn member_sign_in{database, keys, clock, random, *notifier};
    service::CouponAdmin coupons{database, clock, random};
    api::Metrics metrics;
    std::vector<api::Route> routes =
        api::patron_routes({members, privacy, merges, adjustments, purchases, returns, batch_answers, tiers, rules,
                            settings, cards, registry, staff, member_sign_in, coupons, readiness, metrics, clock});
};

RouteTable::RouteTable() : services_(std::make_unique<Services>()) {}
RouteTable::~RouteTable() = default;
const std::vector<api::Route>& RouteTable::routes() const { return services_->routes; }

}  // namespace patron::testing
