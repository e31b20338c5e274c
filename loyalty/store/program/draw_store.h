// Prize draws (core/draws.h) as the database keeps them: each campaign with its terms, state and
// sealed seed; the codes printed on packaging; each member's entries by the purchase or code that
// gave them; and, once run, the entrants under their references and the places drawn.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "loyalty/core/draws.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct DrawRecord {
    long long id = 0;
    long long program_id = 0;
    core::DrawTerms terms;
    core::DrawState state = core::DrawState::kDraft;
    std::string master_key_id;
    crypto::Bytes seed_sealed;
    std::string commitment;
    std::optional<core::Timestamp> published_at;
    std::string public_value;  // As it was run with it.
    std::string entries_digest;
    long long tickets = 0;
    std::optional<core::Timestamp> drawn_at;
    core::Timestamp created_at{};
    core::Timestamp updated_at{};
};

long long insert_draw(soci::session& sql, long long program_id, const core::DrawTerms& terms, core::Timestamp now);
// False when the draw is no longer a draft.
bool update_draft_draw(soci::session& sql, long long id, const core::DrawTerms& terms, core::Timestamp now);
// kShare: what earns or takes back entries reads the draw so, so that a run (which locks it for
// update) waits for those in flight and they wait for it: no entry moves once it is drawn.
enum class DrawLock { kNone, kShare, kUpdate };
std::optional<DrawRecord> find_draw(soci::session& sql, long long program_id, long long id, DrawLock lock);
// The programme's draws, newest first; `published` leaves drafts out.
std::vector<DrawRecord> list_draws(soci::session& sql, long long program_id, bool published, std::size_t limit);
// The published draws whose window holds `at` (what a purchase at that moment may enter), read
// with a share lock (DrawLock::kShare).
// Those already closed by Patron's clock `now` (a till whose clock runs behind enters them until
// they are run) are written first, then read (docs/cluster.md, "Row locks"): an entry and the
// draw's run then conflict on Galera too, and two such entries take the row one after the other
// instead of both holding it shared and deadlocking as each writes it.
std::vector<DrawRecord> draws_taking_entries(soci::session& sql, long long program_id, core::Timestamp at,
                                             core::Timestamp now);
// False when the draw is no longer a draft.
bool publish_draw(soci::session& sql, long long id, const std::string& master_key_id, const crypto::Bytes& sealed,
                  const std::string& commitment, core::Timestamp now);
// False when it was drawn or cancelled already.
bool cancel_draw(soci::session& sql, long long id, core::Timestamp now);

// Entries.
enum class DrawEntrySource { kPurchase, kCode };
struct DrawEntryRecord {
    long long id = 0;
    long long draw_id = 0;
    long long member_id = 0;
    DrawEntrySource source = DrawEntrySource::kPurchase;
    std::optional<long long> purchase_id;
    std::optional<long long> code_id;
    long long entries = 0;
    long long earned = 0;
};
long long insert_draw_entry(soci::session& sql, const DrawEntryRecord& entry, core::Timestamp now);
// The entries the member holds in the draw (after returns).
long long member_draw_entries(soci::session& sql, long long draw_id, long long member_id);
// Draw id -> the entries she holds, for every draw she has entries in.
std::map<long long, long long> member_entries_by_draw(soci::session& sql, long long member_id);
// The entries a purchase gave, locked (a return changes them).
std::vector<DrawEntryRecord> purchase_draw_entries(soci::session& sql, long long purchase_id);
void set_draw_entries(soci::session& sql, long long entry_id, long long entries, core::Timestamp now);
// Writes the draw's row (its write mark) for a unit that changes its entries where its run may be
// near: on Galera the share lock that keeps a run and an entry apart holds on one node only, and
// the run writes the row (docs/cluster.md, "Row locks"). With the unit's COMMIT when it defers.
void mark_draw_written(soci::session& sql, long long draw_id);
// Active members with entries in the draw and how many they hold, by member id (an erased
// member's entries stay, and are not drawn).
std::vector<std::pair<long long, long long>> draw_holdings(soci::session& sql, long long draw_id);
struct DrawTotals {
    long long entrants = 0;
    long long entries = 0;
};
DrawTotals draw_totals(soci::session& sql, long long draw_id);
// Draw id -> her reference, in each draw run she was an entrant of.
std::map<long long, std::string> member_draw_references(soci::session& sql, long long member_id);
// The entries a used code gave (a till retrying the entry is answered with them).
long long code_entries(soci::session& sql, long long code_id);
// A merge: the absorbed member's entries in draws not yet run become the survivor's (those draws
// read with a share lock first).
void move_draw_entries(soci::session& sql, long long from, long long into);

// Packaging codes.
struct DrawCodeRecord {
    long long id = 0;
    long long draw_id = 0;
    std::string code;
    int batch = 0;
    std::optional<core::Timestamp> used_at;
    std::optional<long long> member_id;
};
int next_draw_code_batch(soci::session& sql, long long draw_id);
// Codes already taken in the programme are skipped: how many were stored.
long long insert_draw_codes(soci::session& sql, long long program_id, long long draw_id, int batch,
                            const std::vector<std::string>& codes, core::Timestamp now);
// The draw's codes (one batch, or all with batch 0), in the order made.
std::vector<DrawCodeRecord> draw_codes(soci::session& sql, long long draw_id, int batch);
struct DrawCodeCounts {
    long long made = 0;
    long long used = 0;
};
DrawCodeCounts draw_code_counts(soci::session& sql, long long draw_id);
std::optional<DrawCodeRecord> find_draw_code(soci::session& sql, long long program_id, const std::string& code,
                                             bool lock);
void use_draw_code(soci::session& sql, long long code_id, long long member_id, core::Timestamp now);

// The run draw.
struct DrawEntrantRecord {
    std::string reference;
    long long member_id = 0;
    long long tickets = 0;
};
struct DrawPlaceRecord {
    long long place = 0;
    std::optional<long long> prize;
    std::string reference;
    long long member_id = 0;
    long long ticket = 0;
    long long attempt = 0;
    core::DrawPlaceState state = core::DrawPlaceState::kReserve;
    std::optional<core::Timestamp> claim_by;
    std::optional<core::Timestamp> claimed_at;
};
struct DrawResult {
    std::string public_value;
    std::string entries_digest;
    long long tickets = 0;
    std::vector<DrawEntrantRecord> entrants;  // In ascending order of reference.
    std::vector<DrawPlaceRecord> places;
};
// Records the result and marks the draw drawn; false (nothing written) when it was not published.
bool record_draw_result(soci::session& sql, long long draw_id, const DrawResult& result, core::Timestamp now);
std::vector<DrawEntrantRecord> draw_entrants(soci::session& sql, long long draw_id);
std::vector<DrawPlaceRecord> draw_places(soci::session& sql, long long draw_id);
// The places the member holds in the programme's draws: draw id -> places.
std::map<long long, std::vector<DrawPlaceRecord>> member_draw_places(soci::session& sql, long long member_id);

// A place's prize, state, claim_by and claimed_at as `place` holds them (a claim recorded, or an
// unclaimed prize passed on).
void set_draw_place(soci::session& sql, long long draw_id, const DrawPlaceRecord& place);
// Run draws with a won place whose claim_by is at or before `now` (program id, draw id), oldest
// first, at most `limit`.
std::vector<std::pair<long long, long long>> draws_with_lapsed_claims(soci::session& sql, core::Timestamp now,
                                                                      std::size_t limit);
// What `patronctl verify` finds wrong with draws, one line each: entries below zero or above what
// was earned; a used code without exactly one entry (or an entry of an unused code); a run draw
// whose entrants' tickets are not its recorded tickets, or whose places name a member other than
// the entrant's; a place whose prize, claim_by or claimed_at does not fit its state.
std::vector<std::string> draw_discrepancies(soci::session& sql);

}  // namespace patron::store
