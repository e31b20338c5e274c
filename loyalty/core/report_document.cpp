#include "loyalty/core/report_document.h"

#include "loyalty/core/member_profile.h"

namespace patron::core {

nlohmann::json report_heading(std::string_view report, const ReportQuery& query, const std::string& time_zone,
                              const std::string& currency) {
    return {{"report", std::string(report)},
            {"from", format_date(query.from)},
            {"to", format_date(query.to)},
            {"by", std::string(to_string(query.by))},
            {"store", query.store ? nlohmann::json(*query.store) : nlohmann::json(nullptr)},
            {"time_zone", time_zone},
            {"currency", currency}};
}

}  // namespace patron::core
