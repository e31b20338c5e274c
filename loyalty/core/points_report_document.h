// The Points & cashback report as clients receive it, the same from the API and from patronctl:
// a JSON document (periods, each with its movements, closing balances, liability and, when asked,
// its stores; then the whole range as `total`), or CSV with one row per period and scope: the
// programme ("all"), each store ("store"), the movements of no store ("none"); numbers as plain
// integers, money in minor units of the `currency` column. api/openapi.yaml describes both.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "loyalty/core/points_report.h"

namespace patron::core {

nlohmann::json points_report_json(const PointsReport& report);
std::string points_report_csv(const PointsReport& report);

}  // namespace patron::core
