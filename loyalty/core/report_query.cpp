#include "loyalty/core/report_query.h"

#include <algorithm>
#include <array>

#include "loyalty/core/jalali.h"
#include "loyalty/core/member_profile.h"

namespace patron::core {
namespace {

using namespace std::chrono;

struct PeriodSizeName {
    PeriodSize size;
    std::string_view name;
};

constexpr std::array<PeriodSizeName, 5> kPeriodSizes = {{
    {PeriodSize::kDay, "day"},
    {PeriodSize::kWeek, "week"},
    {PeriodSize::kMonth, "month"},
    {PeriodSize::kJalaliMonth, "jalali_month"},
    {PeriodSize::kTotal, "total"},
}};

std::optional<std::string> parameter(const std::map<std::string, std::string>& parameters, const std::string& name) {
    const auto found = parameters.find(name);
    return found == parameters.end() ? std::nullopt : std::optional(found->second);
}

Result<ReportFormat> format_of(const std::map<std::string, std::string>& parameters,
                               const std::optional<std::string>& accept) {
    const auto format = parameter(parameters, "format");
    if (format == "json") return ReportFormat::kJson;
    if (format == "csv") return ReportFormat::kCsv;
    if (format) return fail(ErrorCode::kValidationFailed, "format is json or csv", "format");
    const bool asks_csv = accept && accept->find("text/csv") != std::string::npos;
    return asks_csv ? ReportFormat::kCsv : ReportFormat::kJson;
}

}  // namespace

// The period `date` falls in, not yet cut to the range: its name, first and last day.
ReportPeriod whole_period(LocalDate date, PeriodSize by) {
    switch (by) {
        case PeriodSize::kDay:
            return {format_date(date), date, date};
        case PeriodSize::kWeek: {
            const sys_days day{date};
            const sys_days monday = day - (weekday{day} - Monday);
            return {format_date(LocalDate{monday}), LocalDate{monday}, LocalDate{monday + days{6}}};
        }
        case PeriodSize::kMonth: {
            const LocalDate first = date.year() / date.month() / 1;
            return {format_date(first).substr(0, 7), first, date.year() / date.month() / last};
        }
        case PeriodSize::kJalaliMonth: {
            const auto jalali = to_jalali(date);
            if (!jalali) return {format_date(date), date, date};  // Beyond year 3177 AP: never a real date.
            const JalaliDate first{jalali->year, jalali->month, 1};
            const JalaliDate last{jalali->year, jalali->month, jalali_month_days(jalali->year, jalali->month)};
            return {jalali_month_name(first), *from_jalali(first), *from_jalali(last)};
        }
        case PeriodSize::kTotal:
            break;
    }
    return {"", date, date};
}

Result<std::optional<LocalDate>> parse_date_parameter(const std::map<std::string, std::string>& parameters,
                                                      const std::string& name) {
    const auto text = parameter(parameters, name);
    if (!text) return std::optional<LocalDate>{};
    const auto date = parse_date(*text);
    if (!date) return fail(ErrorCode::kValidationFailed, name + " must be a date YYYY-MM-DD", name);
    return std::optional<LocalDate>{*date};
}

std::optional<PeriodSize> parse_period_size(std::string_view text) {
    for (const PeriodSizeName& entry : kPeriodSizes) {
        if (entry.name == text) return entry.size;
    }
    return std::nullopt;
}

std::string_view to_string(PeriodSize size) {
    for (const PeriodSizeName& entry : kPeriodSizes) {
        if (entry.size == size) return entry.name;
    }
    return "";
}

Result<ReportRequest> parse_report_request(const std::map<std::string, std::string>& parameters,
                                           const std::optional<std::string>& accept) {
    ReportRequest request;
    const auto from = parse_date_parameter(parameters, "from");
    if (!from) return std::unexpected(from.error());
    const auto to = parse_date_parameter(parameters, "to");
    if (!to) return std::unexpected(to.error());
    request.from = *from;
    request.to = *to;
    if (const auto by = parameter(parameters, "by")) {
        const auto size = parse_period_size(*by);
        if (!size) return fail(ErrorCode::kValidationFailed, "by is day, week, month, jalali_month or total", "by");
        request.by = *size;
    }
    if (const auto store = parameter(parameters, "store")) {
        if (store->empty()) return fail(ErrorCode::kValidationFailed, "store is a store code", "store");
        request.store = *store;
    }
    if (const auto by_store = parameter(parameters, "by_store")) {
        if (*by_store != "true" && *by_store != "false") {
            return fail(ErrorCode::kValidationFailed, "by_store is true or false", "by_store");
        }
        request.by_store = *by_store == "true";
    }
    const auto format = format_of(parameters, accept);
    if (!format) return std::unexpected(format.error());
    request.format = *format;
    return request;
}

Result<ReportQuery> settle_report_dates(const ReportRequest& request, LocalDate today) {
    const LocalDate to = request.to.value_or(today);
    const LocalDate from = request.from.value_or(add_days(to, 1 - kReportDaysDefault));
    if (sys_days{from} > sys_days{to}) return fail(ErrorCode::kValidationFailed, "from is after to", "from");
    if ((sys_days{to} - sys_days{from}).count() + 1 > kReportDaysMax) {
        return fail(ErrorCode::kValidationFailed,
                    "a report covers at most " + std::to_string(kReportDaysMax) + " days from `from`", "to");
    }
    const PeriodSize by = request.by.value_or(PeriodSize::kMonth);
    return ReportQuery{from, to, by, request.store, request.by_store, request.format};
}

std::vector<ReportPeriod> report_periods(LocalDate from, LocalDate to, PeriodSize by) {
    if (by == PeriodSize::kTotal) return {{format_date(from) + "/" + format_date(to), from, to}};
    std::vector<ReportPeriod> periods;
    for (sys_days day{from}; day <= sys_days{to};) {
        ReportPeriod period = whole_period(LocalDate{day}, by);
        if (sys_days{period.first} < sys_days{from}) period.first = from;
        if (sys_days{period.last} > sys_days{to}) period.last = to;
        day = sys_days{period.last} + days{1};
        periods.push_back(std::move(period));
    }
    return periods;
}

std::optional<std::size_t> period_index(const std::vector<ReportPeriod>& periods, LocalDate day) {
    const auto after =
        std::upper_bound(periods.begin(), periods.end(), sys_days{day},
                         [](sys_days date, const ReportPeriod& period) { return date < sys_days{period.first}; });
    if (after == periods.begin() || sys_days{std::prev(after)->last} < sys_days{day}) return std::nullopt;
    return static_cast<std::size_t>(std::distance(periods.begin(), after)) - 1;
}

}  // namespace patron::core
