#include "loyalty/core/time.h"

#include <cstdio>
#include <regex>

namespace patron::core {

std::string format_utc(Timestamp time, TimeFormat format) {
    using namespace std::chrono;
    const auto day = floor<days>(time);
    const year_month_day date{day};
    const hh_mm_ss clock{time - day};
    const long long micros = clock.subseconds().count();
    const char* pattern = format == TimeFormat::kSql       ? "%04d-%02u-%02u %02lld:%02lld:%02lld.%06lld"
                          : format == TimeFormat::kRfc3339 ? "%04d-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ"
                                                           : "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ";
    char text[40];
    std::snprintf(text, sizeof text, pattern, static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()), static_cast<long long>(clock.hours().count()),
                  static_cast<long long>(clock.minutes().count()), static_cast<long long>(clock.seconds().count()),
                  format == TimeFormat::kRfc3339Ms ? micros / 1000 : micros);
    return text;
}

std::string format_http_date(Timestamp time) {
    using namespace std::chrono;
    static constexpr const char* kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto second = ceil<seconds>(time);
    const auto day = floor<days>(second);
    const year_month_day date{day};
    const hh_mm_ss clock{second - day};
    char text[40];
    std::snprintf(text, sizeof text, "%s, %02u %s %04d %02lld:%02lld:%02lld GMT", kWeekdays[weekday{day}.c_encoding()],
                  static_cast<unsigned>(date.day()), kMonths[static_cast<unsigned>(date.month()) - 1],
                  static_cast<int>(date.year()), static_cast<long long>(clock.hours().count()),
                  static_cast<long long>(clock.minutes().count()), static_cast<long long>(clock.seconds().count()));
    return text;
}

bool is_time_zone_name(const std::string& zone) {
    static const std::regex kZone(
        "UTC|(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)"
        "(/[A-Z][A-Za-z0-9_+-]*){1,2}");
    return zone.size() <= 64 && std::regex_match(zone, kZone);
}

}  // namespace patron::core
