// Staff routes for backtests of the draft rule set: start one (answered at once when it ends
// within two seconds, else 202 with where to follow it), read a job's progress and result, cancel it.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/program/backtest_service.h"

namespace patron::api {

std::vector<Route> backtest_routes(service::BacktestService& backtests);

}  // namespace patron::api
