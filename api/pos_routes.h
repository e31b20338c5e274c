// Routes for POS terminals (signed requests): card look-up, purchase commit, returns and voids.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/batch_answers.h"
#include "loyalty/service/clock.h"
#include "loyalty/service/member_service.h"
#include "loyalty/service/purchase_service.h"
#include "loyalty/service/return_service.h"

namespace patron::api {

std::vector<Route> pos_routes(service::MemberService& members, service::PurchaseService& purchases,
                              service::ReturnService& returns, service::BatchAnswers& batch_answers,
                              const service::Clock& clock);

}  // namespace patron::api
