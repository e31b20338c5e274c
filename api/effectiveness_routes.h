// The effectiveness report of a rule or coupon campaign with a hold-out over HTTP:
// GET /v1/reports/campaigns/{kind}/{id}/effectiveness (kind rule or coupon), for admins,
// marketers and analysts, JSON or CSV like every report (report_routes.h).
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/insight/effectiveness_report_service.h"

namespace patron::api {

std::vector<Route> effectiveness_routes(service::EffectivenessReportService& reports);

}  // namespace patron::api
