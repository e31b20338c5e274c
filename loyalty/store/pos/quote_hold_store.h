// Quote holds: the points a quote set aside for its commit, and what the quote promised.
#pragma once

#include <optional>
#include <string>

#include "crypto/bytes.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct QuoteHold {
    std::string quote_id;
    long long program_id = 0;
    long long store_id = 0;
    long long member_id = 0;
    long long points = 0;         // Held for the commit: not spendable by anything else meanwhile.
    long long points_earned = 0;  // What the quote said the basket earns.
    int rule_set_version = 0;
    std::string tier;
    crypto::Bytes basket_sha256;
    core::Timestamp expires_at{};
    std::optional<long long> used_by_purchase_id;
};

void insert_quote_hold(soci::session& sql, const QuoteHold& hold, core::Timestamp now);
std::optional<QuoteHold> find_quote_hold(soci::session& sql, const std::string& quote_id, bool for_update);
// The points the member's live holds set aside (not expired at `now`, not used), except `except`'s.
long long held_points(soci::session& sql, long long member_id, core::Timestamp now, const std::string& except = {});
void use_quote_hold(soci::session& sql, const std::string& quote_id, long long purchase_id);
// Ends a live hold at `now` (its till abandoned the sale); false when it was not live.
bool end_quote_hold(soci::session& sql, const std::string& quote_id, core::Timestamp now);
// Deletes holds that ended before `before`, at most `limit`; how many went.
long long purge_quote_holds(soci::session& sql, core::Timestamp before, int limit);

}  // namespace patron::store
