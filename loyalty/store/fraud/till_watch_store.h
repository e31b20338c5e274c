// What the fraud policy's terminal_outlier scan reads (core/fraud.h): the tills of a programme
// with what their purchases gave within an hour, and a till's history of hours with a sale. Points
// are the purchases' points earned (a claim's once claimed), cashback their cashback credited, at
// the time they were received; returns and voids later are not taken off.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

// The programmes whose fraud policy was ever set (the scan reads each one's policy).
std::vector<long long> programs_with_fraud_policy(soci::session& sql);

struct TillTotals {
    long long store_id = 0;
    std::string store;  // Its code.
    std::string terminal;
    long long purchases = 0;
    std::int64_t points = 0;
    std::int64_t cashback = 0;
};
// The programme's tills whose purchases received in (from, until] gave at least points_min points
// or cashback_min cashback (either 0: not that measure), at most `limit` of them, most points first.
std::vector<TillTotals> till_totals(soci::session& sql, long long program_id, core::Timestamp from,
                                    core::Timestamp until, std::int64_t points_min, std::int64_t cashback_min,
                                    int limit);

struct TillHistory {
    long long hours = 0;  // Hours with a purchase.
    long long points = 0;
    long long cashback = 0;
};
// A till's purchases received in (since, before].
TillHistory till_history(soci::session& sql, long long store_id, const std::string& terminal, core::Timestamp since,
                         core::Timestamp before);

// Whether the programme raised a terminal_outlier signal for the till after `since`.
bool till_signalled_since(soci::session& sql, long long program_id, long long store_id, const std::string& terminal,
                          core::Timestamp since);

}  // namespace patron::store
