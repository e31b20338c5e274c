#include "loyalty/store/db/sql_time.h"

#include <soci/soci.h>

#include <cstdio>

namespace patron::store {

std::string to_sql_time(core::Timestamp time) { return core::format_utc(time, core::TimeFormat::kSql); }

std::optional<core::Timestamp> from_sql_time(const std::string& text) {
    using namespace std::chrono;
    int y = 0;
    unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
    char fraction[8] = {0};
    const int fields = std::sscanf(text.c_str(), "%d-%u-%u %u:%u:%u.%6[0-9]", &y, &mo, &d, &h, &mi, &s, fraction);
    if (fields < 6) return std::nullopt;
    long long micros = 0;
    for (int i = 0; i < 6; ++i)
        micros = micros * 10 + (fraction[i] >= '0' && fraction[i] <= '9' ? fraction[i] - '0' : 0);
    const year_month_day date{year{y}, month{mo}, day{d}};
    if (!date.ok()) return std::nullopt;
    return sys_days{date} + hours{h} + minutes{mi} + seconds{s} + microseconds{micros};
}

std::string time_column(const char* column) {
    return std::string("DATE_FORMAT(") + column + ", " + kSqlTimeFormat + ")";
}

std::optional<core::Timestamp> time_at(const soci::row& row, std::size_t column) {
    if (row.get_indicator(column) != soci::i_ok) return std::nullopt;
    return from_sql_time(row.get<std::string>(column));
}

}  // namespace patron::store
