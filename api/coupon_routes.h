// Marketers' coupon routes: campaigns (draft, publish, end), their codes (bulk generation, one
// public code, CSV export) and assigning a code to a member.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/program/coupon_campaign_service.h"

namespace patron::api {

std::vector<Route> coupon_routes(service::CouponCampaignService& coupons);

// The codes as CSV (core::CsvWriter, as the reports write it: RFC 4180, a code that starts with
// - prefixed with ' against formulas): code, campaign_id, single_use, member_id, redemptions.
std::string coupon_codes_csv(const std::vector<store::CouponCodeRecord>& codes);

}  // namespace patron::api
