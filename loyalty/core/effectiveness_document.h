// The effectiveness report as clients receive it, the same from the API and from patronctl: JSON
// (the campaign, the range, both groups, and per figure the targeted and held-out values, the
// uplift, its 95% interval and whether it is significant), or CSV with a row per figure. Money in
// whole minor units; visits per member x1000; shares (purchase rate, relative uplift) in tenths of
// a percent (x10); the reward cost per unit of uplift x1000. api/openapi.yaml describes both.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "loyalty/core/effectiveness.h"

namespace patron::core {

nlohmann::json effectiveness_report_json(const EffectivenessReport& report);
std::string effectiveness_report_csv(const EffectivenessReport& report);

}  // namespace patron::core
