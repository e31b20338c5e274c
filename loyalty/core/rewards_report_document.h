// The Rewards report as clients receive it, the same from the API and from patronctl: a JSON
// document (the query, a row per source and store with what it gave and whom it touched, and the
// total), or CSV with the same rows, one per source and scope: the programme ("all") or a store
// ("store"); numbers as plain integers, a figure a row does not have blank. api/openapi.yaml
// describes both.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "loyalty/core/rewards_report.h"

namespace patron::core {

nlohmann::json rewards_report_json(const RewardsReport& report);
std::string rewards_report_csv(const RewardsReport& report);

}  // namespace patron::core
