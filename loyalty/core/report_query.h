// What every report is asked for (issue 17): a range of local dates of the programme's time zone,
// how to cut it into periods, an optional store, and whether the answer is JSON or CSV; and the
// periods themselves. Every report shares these rules, so a marketer asks them all the same way:
//   from, to   YYYY-MM-DD, both inclusive; default the 30 days ending today; at most 366 days
//   by         day | week (Monday to Sunday, named by its Monday) | month | jalali_month (1405-09)
//              | total; default month. Periods are cut at `from` and `to`.
//   store      a store code: only that store's rows
//   by_store   true: a row per store in each period as well
//   format     json | csv; without it, Accept: text/csv asks for CSV
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/time_zone.h"

namespace patron::core {

enum class PeriodSize { kDay, kWeek, kMonth, kJalaliMonth, kTotal };
enum class ReportFormat { kJson, kCsv };

std::optional<PeriodSize> parse_period_size(std::string_view text);
std::string_view to_string(PeriodSize size);

inline constexpr int kReportDaysMax = 366;
inline constexpr int kReportDaysDefault = 30;

// The query as sent: dates still optional (their default needs today's date in the programme's zone).
struct ReportRequest {
    std::optional<LocalDate> from;
    std::optional<LocalDate> to;
    std::optional<PeriodSize> by;  // None: not asked, month (a report cut otherwise can tell).
    std::optional<std::string> store;
    bool by_store = false;
    ReportFormat format = ReportFormat::kJson;
};

// The date parameter `name` (YYYY-MM-DD), nullopt when it is absent; VALIDATION_FAILED naming it.
// Every query of local dates reads its dates so (reports, the audit log).
Result<std::optional<LocalDate>> parse_date_parameter(const std::map<std::string, std::string>& parameters,
                                                      const std::string& name);

// The query parameters (percent-decoded) and the Accept header, read and checked by form; every
// refusal is VALIDATION_FAILED naming its parameter. Other parameters are left to the report that
// reads them.
Result<ReportRequest> parse_report_request(const std::map<std::string, std::string>& parameters,
                                           const std::optional<std::string>& accept);

// The request with its dates settled against `today`: both given or defaulted, `from` not after
// `to` (else VALIDATION_FAILED naming from) and at most kReportDaysMax days (else naming to).
struct ReportQuery {
    LocalDate from;
    LocalDate to;
    PeriodSize by = PeriodSize::kMonth;
    std::optional<std::string> store;
    bool by_store = false;
    ReportFormat format = ReportFormat::kJson;

    // Whether rows per store are wanted (by_store, or a store named).
    bool per_store() const { return by_store || store.has_value(); }
};
Result<ReportQuery> settle_report_dates(const ReportRequest& request, LocalDate today);

struct ReportPeriod {
    std::string
        name;  // "2026-11-29", "2026-11-23" (a week by its Monday), "2026-11", "1405-09", "2026-11-01/2026-11-30".
    LocalDate first;  // Within the query's range.
    LocalDate last;
};

// The whole period of size `by` that `date` falls in (a week from its Monday; a Jalali month as the
// Persian calendar has it); kTotal: the day alone.
ReportPeriod whole_period(LocalDate date, PeriodSize by);

// The periods that cover from..to in order, each cut to the range.
std::vector<ReportPeriod> report_periods(LocalDate from, LocalDate to, PeriodSize by);

// The index of the period (of report_periods) that holds `day`; nullopt when none does.
std::optional<std::size_t> period_index(const std::vector<ReportPeriod>& periods, LocalDate day);

}  // namespace patron::core
