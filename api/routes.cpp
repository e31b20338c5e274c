#include "api/routes.h"

#include "api/audit_log_routes.h"
#include "api/backtest_routes.h"
#include "api/card_routes.h"
#include "api/coupon_routes.h"
#include "api/draw_routes.h"
#include "api/effectiveness_routes.h"
#include "api/feedback_routes.h"
#include "api/fraud_routes.h"
#include "api/insight_routes.h"
#include "api/me_routes.h"
#include "api/member_routes.h"
#include "api/ops_routes.h"
#include "api/pos_routes.h"
#include "api/program_routes.h"
#include "api/referral_routes.h"
#include "api/report_routes.h"
#include "api/rule_routes.h"
#include "api/segment_routes.h"
#include "api/staff_routes.h"
#include "api/terminal_routes.h"
#include "api/tier_routes.h"
#include "api/trigger_routes.h"
#include "api/webhook_routes.h"

namespace patron::api {

std::vector<Route> patron_routes(service::Services& services, Metrics& metrics) {
    std::vector<Route> routes = ops_routes(services.readiness, metrics);
    for (auto&& group :
         {member_routes(services.members, services.adjustments, services.purchases, services.privacy, services.merges),
          card_routes(services.cards),
          pos_routes(services.members, services.purchases, services.returns, services.batches, services.batch_answers),
          tier_routes(services.tiers),
          rule_routes(services.rules),
          backtest_routes(services.backtests),
          program_routes(services.settings),
          terminal_routes(services.terminals, services.receipt_gaps, services.clock),
          staff_routes(services.staff),
          audit_log_routes(services.audit_log),
          me_routes(services.member_sign_in, services.members, services.purchases, services.privacy),
          coupon_routes(services.coupons),
          report_routes(services.reports, services.members_report, services.rewards_reports),
          feedback_routes(services.feedback, services.feedback_reports),
          insight_routes(services.insight),
          effectiveness_routes(services.effectiveness_reports),
          segment_routes(services.segments),
          webhook_routes(services.webhooks),
          trigger_routes(services.triggers),
          fraud_routes(services.fraud),
          referral_routes(services.referrals),
          draw_routes(services.draws)}) {
        routes.insert(routes.end(), group.begin(), group.end());
    }
    return routes;
}

}  // namespace patron::api
