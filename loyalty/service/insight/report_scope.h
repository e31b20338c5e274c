// What every report settles before it reads a figure, inside its snapshot: the programme's time
// zone and currency, the query's dates against today in that zone, and its stores (the one the
// query names must be the programme's, else VALIDATION_FAILED naming store).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "loyalty/core/error.h"
#include "loyalty/core/report_query.h"
#include "loyalty/core/time_zone.h"

namespace soci {
class session;
}

namespace patron::service {

struct ReportScope {
    core::ReportQuery query;
    std::shared_ptr<const core::TimeZone> zone;
    std::string currency;
    std::map<std::int64_t, std::string> store_codes;  // Every store of the programme, by id.
    std::optional<std::int64_t> store_id;             // The store the query names.

    // The first instant of `from` and the end of `to` in the programme's zone.
    core::Timestamp starts() const;
    core::Timestamp ends() const;
};

// NOT_FOUND for a programme that does not exist.
core::Result<ReportScope> settle_report_scope(soci::session& sql, long long program_id,
                                              const core::ReportRequest& request, core::Timestamp now);

}  // namespace patron::service
