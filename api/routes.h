// Every route patrond serves, assembled in one place so that the server and the test that
// holds api/openapi.yaml against the routes see the same table.
#pragma once

#include <vector>

#include "api/metrics.h"
#include "api/router.h"
#include "loyalty/service/batch_answers.h"
#include "loyalty/service/card_service.h"
#include "loyalty/service/coupon_admin.h"
#include "loyalty/service/clock.h"
#include "loyalty/service/member_merge.h"
#include "loyalty/service/member_privacy.h"
#include "loyalty/service/member_service.h"
#include "loyalty/service/member_sign_in.h"
#include "loyalty/service/points_adjustments.h"
#include "loyalty/service/program_settings.h"
#include "loyalty/service/purchase_service.h"
#include "loyalty/service/readiness.h"
#include "loyalty/service/return_service.h"
#include "loyalty/service/rule_admin.h"
#include "loyalty/service/staff_accounts.h"
#include "loyalty/service/terminal_registry.h"
#include "loyalty/service/tier_service.h"

namespace patron::api {

struct RouteServices {
    service::MemberService& members;
    service::MemberPrivacy& privacy;
    service::MemberMerge& merges;
    service::PointsAdjustments& adjustments;
    service::PurchaseService& purchases;
    service::ReturnService& returns;
    service::BatchAnswers& batch_answers;
    service::TierService& tiers;
    service::RuleAdmin& rules;
    service::ProgramSettingsService& settings;
    service::CardService& cards;
    service::TerminalRegistry& registry;
    service::StaffAccounts& staff;
    service::MemberSignIn& member_sign_in;
    service::CouponAdmin& coupons;
    service::Readiness& readiness;
    Metrics& metrics;
    const service::Clock& clock;  // For the batch's lateness flags.
};

std::vector<Route> patron_routes(const RouteServices& services);

}  // namespace patron::api
