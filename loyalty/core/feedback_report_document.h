// The feedback report as clients receive it, the same from the API and from patronctl: a JSON
// document (the query, then a row per period and store with its counts and figures), or CSV with
// the same rows, one per period and scope: the programme ("all") or a store ("store"); numbers as
// plain integers, a figure without answers blank; with rows per RFM segment, a last column names
// the row's segment (blank: every segment). api/openapi.yaml describes both.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "loyalty/core/feedback_report.h"

namespace patron::core {

nlohmann::json feedback_report_json(const FeedbackReport& report);
std::string feedback_report_csv(const FeedbackReport& report);

}  // namespace patron::core
