// Routes for POS terminals (signed requests): card look-up, purchase commit, returns and voids.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/members/member_service.h"
#include "loyalty/service/pos/batch_answer_service.h"
#include "loyalty/service/pos/batch_service.h"
#include "loyalty/service/pos/purchase_service.h"
#include "loyalty/service/pos/return_service.h"
#include "loyalty/service/runtime/clock.h"

namespace patron::api {

std::vector<Route> pos_routes(service::MemberService& members, service::PurchaseService& purchases,
                              service::ReturnService& returns, service::BatchService& batches,
                              service::BatchAnswerService& batch_answers);

// A committed operation's answer (201 or 200, Idempotent-Replayed on a replay), or the error.
HttpResponse commit_response(const core::Result<service::CommitOutcome>& outcome);

}  // namespace patron::api
