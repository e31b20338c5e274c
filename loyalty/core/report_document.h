// What every report's JSON document begins with: which report, the query it answers (dates,
// periods, store, by_store) and the time zone its days are in.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "loyalty/core/report_query.h"

namespace patron::core {

nlohmann::json report_heading(std::string_view report, const ReportQuery& query, const std::string& time_zone);

}  // namespace patron::core
