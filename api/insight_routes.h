// Staff routes of insight: a member's scores (RFM, churn risk, value), counts per segment and
// churn band with value totals, and members listed by value as JSON or CSV (member ids and card
// numbers only: personal data stays sealed).
#pragma once

#include <string>
#include <vector>

#include "api/router.h"
#include "loyalty/service/insight/insight_service.h"

namespace patron::api {

std::vector<Route> insight_routes(service::InsightService& insight);

// The customer-value list as CSV (header row, CRLF line ends).
std::string customer_value_csv(const std::vector<store::ValueRow>& rows);

}  // namespace patron::api
