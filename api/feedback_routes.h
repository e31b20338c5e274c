// Post-purchase feedback over HTTP: the member's purchases awaiting an answer and the answer
// (/v1/me/...), the public feedback link's topic and answer (/v1/feedback/{token}, no bearer:
// the signed token is the credential, and tokens that are not Patron's are rate-limited per client
// address), and the staff report (NPS, CSAT, CES per store and period, JSON or CSV) with its comments.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/insight/feedback_report_service.h"
#include "loyalty/service/insight/feedback_service.h"

namespace patron::api {

std::vector<Route> feedback_routes(service::FeedbackService& feedback, service::FeedbackReportService& reports);

}  // namespace patron::api
