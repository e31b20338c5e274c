// Prize draws (issue 24): a campaign with a prize list and an entry window, entries earned at the
// till (per purchase, per amount spent, per unit of named SKUs) or by a code printed on a
// product's packaging, capped per member; and a draw anyone can recompute from what Patron
// publishes. Pure: the campaign's document read (every problem by its path), who may enter, the
// entries a basket earns, the packaging codes as typed, and the draw itself, given the keyed hash
// (HMAC-SHA-256 keyed by the draw's seed) the service computes.
//
// Campaign document (POST /v1/draws, PUT /v1/draws/{id} while a draft):
//   {"name": "Summer draw",                       // 1..80 characters, shown to members and on receipts
//    "description": "...",                        // optional, up to 1000 characters
//    "prizes": [{"name": "Bicycle", "count": 1}], // 1..20 prizes, each 1..1000 of them, drawn in this order
//    "opens_at": RFC 3339, "closes_at": RFC 3339, // entries for purchases made in [opens_at, closes_at)
//    "eligibility": {"stores": [CODE], "tiers": [NAME], "segments": [CODE]},   // none named: all
//    "entries": {"per_purchase": N,               // 0..100 for each purchase of at least min_spend
//                "per_amount": {"amount": A, "entries": E},  // E for every whole A spent (minor units)
//                "skus": {"SKU": N},              // N for each whole unit of the SKU bought (up to 200 SKUs)
//                "min_spend": M,                  // the least total a purchase enters with (minor units)
//                "per_code": N},                  // 0..100 a packaging code gives (0: no codes)
//    "caps": {"per_member": N, "per_purchase": N}, // the most entries a member holds / a purchase gives
//    "reserves": K,                               // 0..100 reserve places drawn after the prizes
//    "claim_days": D,                             // 1..366 days a winner has to claim her prize
//    "public_value": "..."}                       // 1..300 characters: the public value the draw will
//                                                 // use, fixed after the close (say which, and where it
//                                                 // is published, e.g. a named lottery's result)
//
// The draw (docs/draws.md has it for anyone to recompute): when a draw is published Patron draws a
// 32-byte secret seed and publishes its SHA-256, the commitment. After the close, the draw is run
// once with the public value as it came out. Each member holding entries is an entrant under a
// reference the seed fixes (draw_reference); entrants in ascending order of reference hold consecutive tickets, as many
// as their entries. The entries' digest is the SHA-256 (hex) of the lines "REFERENCE,TICKETS\n" in that order. For
// place p (0-based: every prize's places in the prize list's order, then the reserves), attempt a = 0, 1, ...: h =
// HMAC-SHA-256(key = seed, message = "patron-draw-v1\n" + digest + "\n" + public value + "\n" + p + "\n" + a), x = the
// first 8 bytes of h as a big-endian unsigned number; with N the tickets of the entrants not yet placed, x is refused
// when x >= 2^64 - (2^64 mod N) (so that every ticket is equally likely) and the next attempt is tried; otherwise
// ticket x mod N, counted over the entrants not yet placed in the same order, names the entrant of place p, who then
// leaves the pool. Places run out when entrants do.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/returns.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/core/time.h"
#include "loyalty/core/wording.h"

namespace patron::core {

inline constexpr std::size_t kDrawNameMax = 80;
inline constexpr std::size_t kDrawDescriptionMax = 1000;
inline constexpr std::size_t kDrawPrizesMax = 20;
inline constexpr std::int64_t kDrawPrizeCountMax = 1000;
inline constexpr std::int64_t kDrawEntriesPerEarningMax = 100;
inline constexpr std::size_t kDrawSkusMax = 200;
inline constexpr std::int64_t kDrawCapMax = 1'000'000;
inline constexpr std::int64_t kDrawReservesMax = 100;
inline constexpr std::int64_t kDrawClaimDaysMax = 366;
inline constexpr std::size_t kDrawPublicValueMax = 300;
inline constexpr std::int64_t kDrawSpendMax = 1'000'000'000'000'000;
inline constexpr auto kDrawWindowMax = std::chrono::days(366);

struct DrawPrize {
    std::string name;
    std::int64_t count = 1;
    bool operator==(const DrawPrize&) const = default;
};

struct DrawEntryTerms {
    std::int64_t per_purchase = 0;
    std::int64_t per_amount = 0;          // Minor units; 0: no entries by amount.
    std::int64_t per_amount_entries = 0;  // Entries for each whole per_amount.
    std::map<std::string, std::int64_t> skus;
    std::int64_t min_spend = 0;
    std::int64_t per_code = 0;
    bool operator==(const DrawEntryTerms&) const = default;
};

struct DrawTerms {
    std::string name;
    std::string description;
    std::vector<DrawPrize> prizes;
    Timestamp opens_at{};
    Timestamp closes_at{};
    std::vector<std::string> stores;
    std::vector<std::string> tiers;
    std::vector<std::string> segments;
    DrawEntryTerms entries;
    std::int64_t per_member = 0;
    std::optional<std::int64_t> per_purchase_cap;
    std::int64_t reserves = 0;
    std::int64_t claim_days = 30;
    std::string public_value;
    bool operator==(const DrawTerms&) const = default;

    // Prize places and then reserve places, in the order they are drawn.
    std::int64_t prize_places() const;
    std::int64_t places() const { return prize_places() + reserves; }
    // The name of the prize at `index` in the list; none for a reserve place (no index) or an index
    // the list does not have.
    std::optional<std::string> prize_name(std::optional<long long> index) const;
};

// The document above, every problem at once by its path; no other field is taken.
Result<DrawTerms> decode_draw_terms(const nlohmann::json& document);
nlohmann::json encode_draw_terms(const DrawTerms& terms);
// A stored document read back (it was valid when stored).
Result<DrawTerms> parse_stored_draw_terms(std::string_view text);

// The small requests: {"count": N} (codes to make, 1..`most`), {"public_value": "..."} (running
// the draw: 1..1200 characters, as published), {"code": "..."} (a member's) and {"card", "code"}
// (a till's). The code is read as typed (read_draw_code) by the use case.
Result<std::int64_t> decode_draw_codes_request(const nlohmann::json& document, std::int64_t most);
inline constexpr std::size_t kDrawPublicValueLongest = 1200;
Result<std::string> decode_draw_run_request(const nlohmann::json& document);
struct DrawCodeRequest {
    std::string card;  // Empty for a member's own.
    std::string code;
};
Result<DrawCodeRequest> decode_draw_code_request(const nlohmann::json& document, bool with_card);

// Where a draw stands. Stored: draft (its terms may change), published (its commitment made; the
// window decides whether it takes entries), drawn, cancelled. Shown, a published draw is
// "scheduled" before opens_at, "open" in its window and "closed" after it.
enum class DrawState { kDraft, kPublished, kDrawn, kCancelled };
std::string_view to_string(DrawState state);
std::optional<DrawState> parse_draw_state(std::string_view text);
std::string_view shown_draw_state(DrawState state, const DrawTerms& terms, Timestamp now);
// Whether the draw takes an entry for something that happened at `at` (a purchase's time at the
// till, or the moment a code is entered).
bool takes_entries(DrawState state, const DrawTerms& terms, Timestamp at);

// The moment a purchase enters draws at: its till time, but no later than Patron received it (a
// till whose clock runs ahead cannot enter a draw that has not opened yet).
inline Timestamp entry_moment(Timestamp till_time, Timestamp received) { return std::min(till_time, received); }

// Who may enter: the store (when the entry comes from a till), her tier and her segments.
bool admits(const DrawTerms& terms, const std::optional<std::string>& store, const std::string& tier,
            const std::vector<std::string>& segments);

// A basket's entries before the caps: whole units of each listed SKU over its lines; nothing for a
// total under min_spend.
struct DrawBasket {
    std::int64_t total = 0;
    std::map<std::string, std::int64_t> sku_milli;  // Quantity per SKU, in thousandths.
};
DrawBasket draw_basket(const Purchase& purchase);
// What a purchase keeps once a return takes `returned` of its lines (returned before included in
// each line's returned_milli), with `remaining_total` left of its total.
DrawBasket remaining_basket(const std::vector<OriginalLine>& lines, const std::vector<ReturnedLine>& returned,
                            std::int64_t remaining_total);
std::int64_t basket_entries(const DrawEntryTerms& terms, const DrawBasket& basket);
// What a member is given of `wanted` entries holding `held` already: within the per-purchase cap
// (for a purchase) and what the per-member cap leaves.
std::int64_t entries_within_caps(const DrawTerms& terms, std::int64_t wanted, std::int64_t held, bool purchase);

// The rule id a draw's entries are effects under ("draw:12").
std::string draw_rule_id(long long draw_id);

// Packaging codes: 12 symbols of the coupon alphabet (60 random bits), shown "XXXX-XXXX-XXXX";
// typed with any case, spaces and dashes. None when it cannot be one.
inline constexpr std::size_t kDrawCodeLength = 12;
std::optional<std::string> read_draw_code(std::string_view typed);
std::string shown_draw_code(std::string_view code);

// The draw. An entrant, by her reference, and her tickets (entries).
struct DrawEntrant {
    std::string reference;
    std::int64_t tickets = 0;
    long long member_id = {};  // Never published: the proof names her by reference only.
};
// "REFERENCE,TICKETS\n" for each entrant, in the order given (ascending reference): what the
// entries' digest is the SHA-256 of.
std::string entrants_text(const std::vector<DrawEntrant>& entrants);
// HMAC-SHA-256 keyed by the seed, of a message.
using KeyedHash = std::function<std::array<std::uint8_t, 32>(std::string_view message)>;
std::string draw_message(std::string_view digest_hex, std::string_view public_value, std::int64_t place,
                         std::int64_t attempt);
struct DrawnPlace {
    std::int64_t place = 0;    // 0-based, prizes' places first.
    std::size_t entrant = 0;   // Index into the entrants.
    std::int64_t ticket = 0;   // Among the tickets still in the pool.
    std::int64_t attempt = 0;  // The attempt that was taken.
    // What the place is (run_draw): a prize's (its index) with the last moment to claim it, or a
    // reserve's (neither).
    std::optional<std::size_t> prize = {};
    std::optional<Timestamp> claim_by = {};
};
// The places drawn (at most `places`, and no more than there are entrants); entrants must be in
// ascending order of reference, each with at least one ticket.
std::vector<DrawnPlace> draw_places(const std::vector<DrawEntrant>& entrants, std::int64_t places,
                                    std::string_view digest_hex, std::string_view public_value,
                                    const KeyedHash& keyed_hash);
// The prize of a 0-based place (its index in the prize list), none for a reserve place.
std::optional<std::size_t> prize_of_place(const DrawTerms& terms, std::int64_t place);

// The entrants of a run: each member holding entries (member id, tickets) under the reference the
// keyed hash gives her (draw_reference; the next round's when two came out alike), in ascending
// order of reference.
std::vector<DrawEntrant> draw_entrants(const std::vector<std::pair<long long, long long>>& holdings,
                                       const KeyedHash& keyed_hash);
// The run itself once the entries' digest is known: every place drawn (draw_places) with its prize
// and, for a prize, claim_by `claim_days` after `drawn_at`.
std::vector<DrawnPlace> run_draw(const DrawTerms& terms, const std::vector<DrawEntrant>& entrants,
                                 std::string_view digest_hex, std::string_view public_value,
                                 const KeyedHash& keyed_hash, Timestamp drawn_at);

// A drawn place's standing: won (told, waiting for her claim until claim_by), claimed (the prize
// handed over), forfeited (claim_by passed unclaimed; the prize went on to the first reserve
// waiting) or reserve (waiting in line, or holding a prize passed on to her: then won).
enum class DrawPlaceState { kWon, kClaimed, kForfeited, kReserve };
std::string_view to_string(DrawPlaceState state);
std::optional<DrawPlaceState> parse_draw_place_state(std::string_view text);
struct DrawStanding {
    std::int64_t place = 0;             // 0-based, as drawn.
    std::optional<std::int64_t> prize;  // Index in the prize list; none while a reserve waits.
    DrawPlaceState state = DrawPlaceState::kReserve;
    std::optional<Timestamp> claim_by;
    bool operator==(const DrawStanding&) const = default;
};
// Whether staff may record the place's prize as claimed now: a won place before its claim_by;
// DRAW_PRIZE_NOT_CLAIMABLE (field "place") saying why not otherwise.
Result<void> claimable(const DrawStanding& standing, Timestamp now);
// The rule for unclaimed prizes: each won place whose claim_by is at or before `now` is forfeited,
// and its prize passes to the first reserve still waiting (in the order drawn), who has claim_days
// from `now` to claim it; the forfeits are taken in order of claim_by, then place. A prize with no
// reserve left stays with the programme. The places that change, as they become, in place order.
std::vector<DrawStanding> pass_unclaimed_prizes(const DrawTerms& terms, const std::vector<DrawStanding>& places,
                                                Timestamp now);

// The note of a receipt's line for entries given ("Summer draw (entries): +3") or taken back
// ("Summer draw (entries returned): -2"); Persian "Summer draw (شانس): +۳". The draw's name is
// what is shortened to fit, never the note.
std::string_view draw_entries_note(bool removed, Language language);

// An entrant's reference, fixed by the seed and her member id: the first 12 symbols (5 bits each,
// of the coupon alphabet) of HMAC-SHA-256(seed, "patron-draw-reference-v1\n" + member id + "\n" +
// round), round 0 unless two entrants' came out alike. Nobody holding the seed can re-roll the
// entrants' order (and so the places) once the seed is committed to.
inline constexpr std::size_t kDrawReferenceLength = 12;
std::string draw_reference_message(long long member_id, int round);
std::string draw_reference(const std::array<std::uint8_t, 32>& hash);

}  // namespace patron::core
