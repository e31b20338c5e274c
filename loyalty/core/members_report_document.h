// The Members report as clients receive it, the same from the API and from patronctl: a JSON
// document (periods, each with its enrolments, tier moves, buyers and, when asked, its stores; the
// whole range as `total`; the snapshot at the end of the range), or CSV: one row per period and
// scope (the programme "all", each "store"), then a "snapshot" row and a "tier" row per tier;
// numbers as plain integers, money in minor units of the `currency` column. api/openapi.yaml
// describes both.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "loyalty/core/members_report.h"

namespace patron::core {

nlohmann::json members_report_json(const MembersReport& report);
std::string members_report_csv(const MembersReport& report);

}  // namespace patron::core
