// Prize draws (issue 24) inside the operations that earn and take back entries, in their
// transactions and under the member's account lock (which also keeps her per-member cap): a
// purchase credited to her (at the till, or a receipt claimed for her) enters every published
// draw whose window holds its till time and that admits her and the store; a return or void
// takes back what its lines earned while the draw has not been run; a packaging code enters its
// draw once. Every entry row names the purchase or code that gave it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/draws.h"
#include "loyalty/core/effect.h"
#include "loyalty/core/error.h"
#include "loyalty/core/wording.h"

namespace soci {
class session;
}

namespace patron::service {

struct DrawPurchaseContext {
    long long program_id = 0;
    long long member_id = 0;
    std::string tier;
    std::string store;  // The store's code, as the receipt names it.
    long long purchase_id = 0;
    core::Timestamp pos_time{};  // When the till rang it up: what the window judges.
    core::DrawBasket basket;
    core::Language language = core::Language::kEnglish;
    // What the till's card read saw of the published draws (Holder's fields of the same names): a
    // purchase entered at or after the last close enters none, with no statement. Unread: read here.
    bool draws_read = false;
    std::optional<core::Timestamp> last_draw_close = {};
};
// Writes her entries and answers the effects her receipt tells ("Summer draw (entries): +3").
std::vector<core::Effect> enter_purchase_in_draws(soci::session& sql, const DrawPurchaseContext& context,
                                                  core::Timestamp now);

// After a return or void of `original_id`, whose lines leave `remaining`: each draw not yet run
// keeps no more entries from it than what remains would have earned. The effects her answer tells.
std::vector<core::Effect> take_back_draw_entries(soci::session& sql, long long program_id, long long original_id,
                                                 const core::DrawBasket& remaining, core::Language language,
                                                 core::Timestamp now);

// A packaging code entered for a member (her account locked by the caller): DRAW_CODE_UNKNOWN,
// DRAW_CODE_USED, DRAW_CLOSED, DRAW_NOT_ELIGIBLE or DRAW_CAP_REACHED (the code then stays unused),
// each naming `field`.
struct DrawCodeEntry {
    long long program_id = 0;
    long long member_id = 0;
    std::string tier;
    std::optional<std::string> store;  // The till's store; none from the portal.
    std::string code;                  // As read (core::read_draw_code).
    std::string field = "code";
    core::Language language = core::Language::kEnglish;
    // A till's retry after a lost answer: her own code again is answered as the first time (in the
    // portal she is told it was entered already).
    bool retry_answers = false;
};
struct DrawCodeEntered {
    long long draw_id = 0;
    std::string draw_name;
    long long entries = 0;  // Given by the code.
    long long held = 0;     // Hers in the draw after it.
    core::Effect effect;
};
core::Result<DrawCodeEntered> enter_draw_code(soci::session& sql, const DrawCodeEntry& entry, core::Timestamp now);

}  // namespace patron::service
