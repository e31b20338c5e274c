#include "loyalty/core/report_document.h"

#include "loyalty/core/member_profile.h"

namespace patron::core {

nlohmann::json report_heading(std::string_view report, const ReportQuery& query, const std::string& time_zone) {
    return {{"report", std::string(report)},
            {"from", format_date(query.from)},
            {"to", format_date(query.to)},
            {"by", std::string(to_string(query.by))},
            {"store", query.store ? nlohmann::json(*query.store) : nlohmann::json(nullptr)},
            {"by_store", query.by_store},
            {"time_zone", time_zone}};
}

}  // namespace patron::core
