// What every report's JSON document begins with: which report, the query it answers (dates, periods,
// store) and the time zone and currency its figures are in.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "loyalty/core/report_query.h"

namespace patron::core {

nlohmann::json report_heading(std::string_view report, const ReportQuery& query, const std::string& time_zone,
                              const std::string& currency);

}  // namespace patron::core
