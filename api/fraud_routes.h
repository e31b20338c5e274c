// Staff routes of fraud (core/fraud.h, service/fraud/fraud_service.h): the programme's fraud
// policy (set by admins; read by support and analysts too) and the review queue of the signals it
// raised (read by admin, support and analyst staff; reviewed by admin and support staff).
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/fraud/fraud_service.h"

namespace patron::api {

std::vector<Route> fraud_routes(service::FraudService& fraud);

}  // namespace patron::api
