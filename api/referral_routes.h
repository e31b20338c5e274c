// Routes of referrals (core/referrals.h, service/members/referral_service.h): the programme's
// terms (set by admins and marketers; read by support and analysts too), a member's own referral
// page in the portal, and the same on her member page for admin, support and marketer staff.
// Enrolling with a code is POST /v1/members's referral_code.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/members/referral_service.h"

namespace patron::api {

std::vector<Route> referral_routes(service::ReferralService& referrals);

}  // namespace patron::api
