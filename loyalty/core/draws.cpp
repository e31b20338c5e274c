#include "loyalty/core/draws.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <set>

#include "loyalty/core/document_reader.h"
#include "loyalty/core/receipt_text.h"
#include "loyalty/core/utf8.h"

namespace patron::core {
namespace {

constexpr std::string_view kDrawPrefix = "draw:";
// The coupon alphabet: no 0, O, 1 or I to misread.
constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

constexpr std::array<std::pair<DrawState, std::string_view>, 4> kStates{{{DrawState::kDraft, "draft"},
                                                                         {DrawState::kPublished, "published"},
                                                                         {DrawState::kDrawn, "drawn"},
                                                                         {DrawState::kCancelled, "cancelled"}}};

std::int64_t optional_bounded(Reader& reader, std::string_view key, std::int64_t minimum, std::int64_t maximum,
                              std::int64_t otherwise) {
    return reader.find(key) == nullptr ? otherwise : bounded(reader, key, minimum, maximum);
}

std::vector<DrawPrize> read_prizes(Reader& reader) {
    std::vector<DrawPrize> prizes;
    const json* list = reader.find("prizes");
    if (list == nullptr || !list->is_array() || list->empty() || list->size() > kDrawPrizesMax) {
        reader.problem("prizes", "must be a list of 1 to " + std::to_string(kDrawPrizesMax) + " prizes",
                       reason(ReasonKind::kCount, 1, static_cast<std::int64_t>(kDrawPrizesMax)));
        return prizes;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        Reader prize((*list)[i], "prizes[" + std::to_string(i) + "]", reader.problems());
        if (!prize.is_object({"name", "count"})) continue;
        prizes.push_back(DrawPrize{prize.words("name", kDrawNameMax, true),
                                   optional_bounded(prize, "count", 1, kDrawPrizeCountMax, 1)});
    }
    return prizes;
}

DrawEntryTerms read_entry_terms(Reader& document) {
    DrawEntryTerms terms;
    if (document.find("entries") == nullptr) {
        document.problem("entries", "is required", reason(ReasonKind::kRequired));
        return terms;
    }
    auto reader = document.child("entries", {"per_purchase", "per_amount", "skus", "min_spend", "per_code"});
    if (!reader) return terms;
    terms.per_purchase = optional_bounded(*reader, "per_purchase", 0, kDrawEntriesPerEarningMax, 0);
    terms.min_spend = optional_bounded(*reader, "min_spend", 0, kDrawSpendMax, 0);
    terms.per_code = optional_bounded(*reader, "per_code", 0, kDrawEntriesPerEarningMax, 0);
    if (auto amount = reader->child("per_amount", {"amount", "entries"})) {
        terms.per_amount = bounded(*amount, "amount", 1, kDrawSpendMax);
        terms.per_amount_entries = bounded(*amount, "entries", 1, kDrawEntriesPerEarningMax);
    }
    if (const json* skus = reader->find("skus")) {
        if (!skus->is_object() || skus->size() > kDrawSkusMax) {
            reader->problem(reader->field("skus"), "must be an object of up to " + std::to_string(kDrawSkusMax) +
                                                       " SKUs, each with its entries per unit");
        } else {
            for (const auto& [sku, entries] : skus->items()) {
                const std::string path = reader->field("skus") + "." + sku;
                if (sku.empty() || sku.size() > 64 || !is_valid_utf8(sku)) {
                    reader->problem(path, "must be a SKU of 1 to 64 bytes");
                } else if (!entries.is_number_integer() || entries.get<std::int64_t>() < 1 ||
                           entries.get<std::int64_t>() > kDrawEntriesPerEarningMax) {
                    reader->problem(path,
                                    "must be a whole number from 1 to " + std::to_string(kDrawEntriesPerEarningMax),
                                    reason(ReasonKind::kRange, 1, kDrawEntriesPerEarningMax));
                } else {
                    terms.skus[sku] = entries.get<std::int64_t>();
                }
            }
        }
    }
    if (terms.per_purchase == 0 && terms.per_amount == 0 && terms.skus.empty() && terms.per_code == 0 &&
        reader->problems().empty()) {
        reader->problem("entries", "must give entries in at least one way (per_purchase, per_amount, skus, per_code)",
                        reason(ReasonKind::kAtLeastOne));
    }
    return terms;
}

}  // namespace

std::optional<std::string> DrawTerms::prize_name(std::optional<long long> index) const {
    if (!index || *index < 0 || static_cast<std::size_t>(*index) >= prizes.size()) return std::nullopt;
    return prizes[static_cast<std::size_t>(*index)].name;
}

std::int64_t DrawTerms::prize_places() const {
    std::int64_t places = 0;
    for (const DrawPrize& prize : prizes) places += prize.count;
    return places;
}

Result<DrawTerms> decode_draw_terms(const json& document) {
    std::vector<Error> problems;
    Reader reader(document, "", problems);
    DrawTerms terms;
    if (!reader.is_object({"name", "description", "prizes", "opens_at", "closes_at", "eligibility", "entries", "caps",
                           "reserves", "claim_days", "public_value"})) {
        return std::unexpected(all_problems(problems));
    }
    terms.name = reader.words("name", kDrawNameMax, true);
    terms.description = reader.words("description", kDrawDescriptionMax, false);
    terms.prizes = read_prizes(reader);
    const auto opens = reader.instant("opens_at");
    const auto closes = reader.instant("closes_at");
    if (reader.find("opens_at") == nullptr) reader.problem("opens_at", "is required", reason(ReasonKind::kRequired));
    if (reader.find("closes_at") == nullptr) reader.problem("closes_at", "is required", reason(ReasonKind::kRequired));
    if (opens && closes) {
        if (*closes <= *opens) {
            reader.problem("closes_at", "must be after opens_at", reason(ReasonKind::kAfterStart));
        } else if (*closes - *opens > kDrawWindowMax) {
            reader.problem("closes_at", "must be at most 366 days after opens_at",
                           reason(ReasonKind::kWithinDays, {}, 366));
        }
        terms.opens_at = *opens;
        terms.closes_at = *closes;
    }
    if (auto eligibility = reader.child("eligibility", {"stores", "tiers", "segments"})) {
        terms.stores = eligibility->names("stores");
        terms.tiers = eligibility->names("tiers");
        terms.segments = eligibility->names("segments");
    }
    terms.entries = read_entry_terms(reader);
    if (reader.find("caps") == nullptr) {
        reader.problem("caps", "is required", reason(ReasonKind::kRequired));
    } else if (auto caps = reader.child("caps", {"per_member", "per_purchase"})) {
        terms.per_member = bounded(*caps, "per_member", 1, kDrawCapMax);
        if (caps->find("per_purchase") != nullptr)
            terms.per_purchase_cap = bounded(*caps, "per_purchase", 1, kDrawCapMax);
    }
    terms.reserves = optional_bounded(reader, "reserves", 0, kDrawReservesMax, 0);
    terms.claim_days = optional_bounded(reader, "claim_days", 1, kDrawClaimDaysMax, 30);
    terms.public_value = reader.words("public_value", kDrawPublicValueMax, true);
    if (!problems.empty()) return std::unexpected(all_problems(problems));
    return terms;
}

namespace {

// "2026-12-01T00:00:00Z": the terms' instants are whole seconds, as they were written.
std::string instant_text(Timestamp at) {
    std::string text = format_utc(at, TimeFormat::kSql).substr(0, 19);  // "2026-12-01 00:00:00"
    text[10] = 'T';
    return text + "Z";
}

}  // namespace

json encode_draw_terms(const DrawTerms& terms) {
    json prizes = json::array();
    for (const DrawPrize& prize : terms.prizes) prizes.push_back(json{{"name", prize.name}, {"count", prize.count}});
    json entries{{"per_purchase", terms.entries.per_purchase},
                 {"min_spend", terms.entries.min_spend},
                 {"per_code", terms.entries.per_code}};
    if (terms.entries.per_amount > 0) {
        entries["per_amount"] =
            json{{"amount", terms.entries.per_amount}, {"entries", terms.entries.per_amount_entries}};
    }
    if (!terms.entries.skus.empty()) entries["skus"] = terms.entries.skus;
    json caps{{"per_member", terms.per_member}};
    if (terms.per_purchase_cap) caps["per_purchase"] = *terms.per_purchase_cap;
    return json{{"name", terms.name},
                {"description", terms.description},
                {"prizes", prizes},
                {"opens_at", instant_text(terms.opens_at)},
                {"closes_at", instant_text(terms.closes_at)},
                {"eligibility", json{{"stores", terms.stores}, {"tiers", terms.tiers}, {"segments", terms.segments}}},
                {"entries", entries},
                {"caps", caps},
                {"reserves", terms.reserves},
                {"claim_days", terms.claim_days},
                {"public_value", terms.public_value}};
}

Result<DrawTerms> parse_stored_draw_terms(std::string_view text) {
    const json document = json::parse(text, nullptr, false);
    if (document.is_discarded()) return fail(ErrorCode::kInternal, "the stored draw terms are not JSON");
    return decode_draw_terms(document);
}

Result<std::int64_t> decode_draw_codes_request(const json& document, std::int64_t most) {
    std::vector<Error> problems;
    Reader reader(document, "", problems);
    if (!reader.is_object({"count"})) return std::unexpected(all_problems(problems));
    const std::int64_t count = bounded(reader, "count", 1, most);
    if (!problems.empty()) return std::unexpected(all_problems(problems));
    return count;
}

Result<std::string> decode_draw_run_request(const json& document) {
    std::vector<Error> problems;
    Reader reader(document, "", problems);
    if (!reader.is_object({"public_value"})) return std::unexpected(all_problems(problems));
    std::string value = reader.words("public_value", kDrawPublicValueLongest, true);
    // One way to write it: no space around it and no control character in it, so that a value
    // cannot be offered in variants that draw differently.
    if (problems.empty() && (value.front() == ' ' || value.back() == ' ' || std::ranges::any_of(value, [](char c) {
                                 return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
                             }))) {
        reader.problem("public_value", "must be the value as published: no space around it, no control character");
    }
    if (!problems.empty()) return std::unexpected(all_problems(problems));
    return value;
}

Result<DrawCodeRequest> decode_draw_code_request(const json& document, bool with_card) {
    std::vector<Error> problems;
    Reader reader(document, "", problems);
    if (!(with_card ? reader.is_object({"card", "code"}) : reader.is_object({"code"}))) {
        return std::unexpected(all_problems(problems));
    }
    DrawCodeRequest request;
    if (with_card) request.card = reader.text("card", true);
    request.code = reader.text("code", true);
    if (!problems.empty()) return std::unexpected(all_problems(problems));
    return request;
}

std::string_view to_string(DrawState state) { return name_of(kStates, state); }

std::optional<DrawState> parse_draw_state(std::string_view text) {
    for (const auto& [state, name] : kStates) {
        if (name == text) return state;
    }
    return std::nullopt;
}

std::string_view shown_draw_state(DrawState state, const DrawTerms& terms, Timestamp now) {
    if (state != DrawState::kPublished) return to_string(state);
    if (now < terms.opens_at) return "scheduled";
    return now < terms.closes_at ? "open" : "closed";
}

bool takes_entries(DrawState state, const DrawTerms& terms, Timestamp at) {
    return state == DrawState::kPublished && at >= terms.opens_at && at < terms.closes_at;
}

bool admits(const DrawTerms& terms, const std::optional<std::string>& store, const std::string& tier,
            const std::vector<std::string>& segments) {
    if (!terms.stores.empty() && (!store || !listed(terms.stores, *store))) return false;
    if (!terms.tiers.empty() && !listed(terms.tiers, tier)) return false;
    return in_any_segment(terms.segments, segments);
}

DrawBasket draw_basket(const Purchase& purchase) {
    DrawBasket basket{purchase.total, {}};
    for (const PurchaseLine& line : purchase.lines) basket.sku_milli[line.sku] += line.quantity_milli;
    return basket;
}

DrawBasket remaining_basket(const std::vector<OriginalLine>& lines, const std::vector<ReturnedLine>& returned,
                            std::int64_t remaining_total) {
    DrawBasket basket{std::max<std::int64_t>(remaining_total, 0), {}};
    for (const OriginalLine& line : lines) basket.sku_milli[line.sku] += line.quantity_milli - line.returned_milli;
    for (const ReturnedLine& back : returned) {
        const auto line = std::ranges::find_if(lines, [&](const OriginalLine& l) { return l.line == back.line; });
        const std::string& sku = back.line == 0 || line == lines.end() ? back.sku : line->sku;
        basket.sku_milli[sku] -= back.quantity_milli;
    }
    return basket;
}

std::int64_t basket_entries(const DrawEntryTerms& terms, const DrawBasket& basket) {
    if (basket.total <= 0 || basket.total < terms.min_spend) return 0;
    // Each part saturates at the cap: a total of 10^18 at 100 entries per minor unit would overflow.
    const auto add = [](std::int64_t& sum, std::int64_t units, std::int64_t each) {
        if (units <= 0 || each <= 0) return;
        sum = units > (kDrawCapMax - sum) / each ? kDrawCapMax : sum + units * each;
    };
    std::int64_t entries = std::min(terms.per_purchase, kDrawCapMax);
    if (terms.per_amount > 0) add(entries, basket.total / terms.per_amount, terms.per_amount_entries);
    for (const auto& [sku, per_unit] : terms.skus) {
        const auto bought = basket.sku_milli.find(sku);
        if (bought != basket.sku_milli.end()) add(entries, bought->second / 1000, per_unit);
    }
    return entries;
}

std::int64_t entries_within_caps(const DrawTerms& terms, std::int64_t wanted, std::int64_t held, bool purchase) {
    std::int64_t given = std::max<std::int64_t>(wanted, 0);
    if (purchase && terms.per_purchase_cap) given = std::min(given, *terms.per_purchase_cap);
    return std::clamp<std::int64_t>(terms.per_member - held, 0, given);
}

std::string draw_rule_id(long long draw_id) { return std::string(kDrawPrefix) + std::to_string(draw_id); }

std::optional<std::string> read_draw_code(std::string_view typed) {
    if (typed.size() > 64) return std::nullopt;
    std::string code;
    for (const char c : typed) {
        if (c == ' ' || c == '-') continue;
        const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (kCodeAlphabet.find(upper) == std::string_view::npos) return std::nullopt;
        code.push_back(upper);
    }
    if (code.size() != kDrawCodeLength) return std::nullopt;
    return code;
}

std::string shown_draw_code(std::string_view code) {
    std::string shown;
    for (std::size_t i = 0; i < code.size(); ++i) {
        if (i > 0 && i % 4 == 0) shown.push_back('-');
        shown.push_back(code[i]);
    }
    return shown;
}

std::string entrants_text(const std::vector<DrawEntrant>& entrants) {
    std::string text;
    for (const DrawEntrant& entrant : entrants) {
        text += entrant.reference + "," + std::to_string(entrant.tickets) + "\n";
    }
    return text;
}

std::string draw_message(std::string_view digest_hex, std::string_view public_value, std::int64_t place,
                         std::int64_t attempt) {
    return "patron-draw-v1\n" + std::string(digest_hex) + "\n" + std::string(public_value) + "\n" +
           std::to_string(place) + "\n" + std::to_string(attempt);
}

namespace {

// Tickets per entrant still in the pool, summed by a Fenwick tree: the entrant holding the k-th
// ticket and an entrant's removal, each in log time.
class TicketPool {
  public:
    explicit TicketPool(const std::vector<DrawEntrant>& entrants) : tree_(entrants.size() + 1, 0) {
        for (std::size_t i = 0; i < entrants.size(); ++i) add(i, entrants[i].tickets);
        total_ = 0;
        for (const DrawEntrant& entrant : entrants) total_ += entrant.tickets;
    }
    std::int64_t total() const { return total_; }
    void add(std::size_t index, std::int64_t tickets) {
        for (std::size_t i = index + 1; i < tree_.size(); i += i & (~i + 1)) tree_[i] += tickets;
    }
    void remove(std::size_t index, std::int64_t tickets) {
        add(index, -tickets);
        total_ -= tickets;
    }
    // The entrant holding ticket `ticket` (0-based over the pool, in entrant order).
    std::size_t holder(std::int64_t ticket) const {
        std::size_t position = 0;
        std::size_t step = 1;
        while (step * 2 < tree_.size()) step *= 2;
        for (; step > 0; step /= 2) {
            if (position + step < tree_.size() && tree_[position + step] <= ticket) {
                position += step;
                ticket -= tree_[position];
            }
        }
        return position;  // The 1-based tree position is the 0-based index of the next entrant.
    }

  private:
    std::vector<std::int64_t> tree_;
    std::int64_t total_ = 0;
};

std::uint64_t leading_number(const std::array<std::uint8_t, 32>& hash) {
    std::uint64_t number = 0;
    for (std::size_t i = 0; i < 8; ++i) number = (number << 8) | hash[i];
    return number;
}

}  // namespace

std::vector<DrawnPlace> draw_places(const std::vector<DrawEntrant>& entrants, std::int64_t places,
                                    std::string_view digest_hex, std::string_view public_value,
                                    const KeyedHash& keyed_hash) {
    std::vector<DrawnPlace> drawn;
    TicketPool pool(entrants);
    for (std::int64_t place = 0; place < places && pool.total() > 0; ++place) {
        const auto tickets = static_cast<std::uint64_t>(pool.total());
        // 2^64 mod N: numbers from 2^64 - that on would favour the lowest tickets.
        const std::uint64_t excess = (std::numeric_limits<std::uint64_t>::max() % tickets + 1) % tickets;
        for (std::int64_t attempt = 0;; ++attempt) {
            const std::uint64_t number =
                leading_number(keyed_hash(draw_message(digest_hex, public_value, place, attempt)));
            if (excess != 0 && number > std::numeric_limits<std::uint64_t>::max() - excess) continue;
            const auto ticket = static_cast<std::int64_t>(number % tickets);
            const std::size_t entrant = pool.holder(ticket);
            drawn.push_back(DrawnPlace{place, entrant, ticket, attempt});
            pool.remove(entrant, entrants[entrant].tickets);
            break;
        }
    }
    return drawn;
}

std::vector<DrawEntrant> draw_entrants(const std::vector<std::pair<long long, long long>>& holdings,
                                       const KeyedHash& keyed_hash) {
    std::vector<DrawEntrant> entrants;
    std::set<std::string> taken;
    for (const auto& [member_id, tickets] : holdings) {
        std::string reference;
        for (int round = 0; reference.empty() || !taken.insert(reference).second; ++round) {
            reference = draw_reference(keyed_hash(draw_reference_message(member_id, round)));
        }
        entrants.push_back(DrawEntrant{std::move(reference), tickets, member_id});
    }
    std::ranges::sort(entrants, {}, &DrawEntrant::reference);
    return entrants;
}

std::vector<DrawnPlace> run_draw(const DrawTerms& terms, const std::vector<DrawEntrant>& entrants,
                                 std::string_view digest_hex, std::string_view public_value,
                                 const KeyedHash& keyed_hash, Timestamp drawn_at) {
    std::vector<DrawnPlace> places = draw_places(entrants, terms.places(), digest_hex, public_value, keyed_hash);
    for (DrawnPlace& place : places) {
        place.prize = prize_of_place(terms, place.place);
        if (place.prize) place.claim_by = drawn_at + std::chrono::days(terms.claim_days);
    }
    return places;
}

std::optional<std::size_t> prize_of_place(const DrawTerms& terms, std::int64_t place) {
    for (std::size_t i = 0; i < terms.prizes.size(); ++i) {
        if (place < terms.prizes[i].count) return i;
        place -= terms.prizes[i].count;
    }
    return std::nullopt;
}

std::string_view to_string(DrawPlaceState state) {
    switch (state) {
        case DrawPlaceState::kWon:
            return "won";
        case DrawPlaceState::kClaimed:
            return "claimed";
        case DrawPlaceState::kForfeited:
            return "forfeited";
        case DrawPlaceState::kReserve:
            return "reserve";
    }
    return "reserve";
}

std::optional<DrawPlaceState> parse_draw_place_state(std::string_view text) {
    for (const DrawPlaceState state :
         {DrawPlaceState::kWon, DrawPlaceState::kClaimed, DrawPlaceState::kForfeited, DrawPlaceState::kReserve}) {
        if (to_string(state) == text) return state;
    }
    return std::nullopt;
}

Result<void> claimable(const DrawStanding& standing, Timestamp now) {
    const auto refuse = [](std::string message) {
        return std::unexpected(Error{ErrorCode::kDrawPrizeNotClaimable, std::move(message), "place"});
    };
    switch (standing.state) {
        case DrawPlaceState::kReserve:
            return refuse("this place is a reserve's and holds no prize");
        case DrawPlaceState::kClaimed:
            return refuse("this place's prize was claimed already");
        case DrawPlaceState::kForfeited:
            return refuse("this place's prize was forfeited and passed on");
        case DrawPlaceState::kWon:
            break;
    }
    if (standing.claim_by && *standing.claim_by <= now) {
        return refuse("this place's time to claim has passed; the prize passes to the first reserve waiting");
    }
    return {};
}

std::vector<DrawStanding> pass_unclaimed_prizes(const DrawTerms& terms, const std::vector<DrawStanding>& places,
                                                Timestamp now) {
    std::vector<DrawStanding> after = places;
    std::sort(after.begin(), after.end(),
              [](const DrawStanding& a, const DrawStanding& b) { return a.place < b.place; });
    std::vector<std::size_t> lapsed;
    for (std::size_t i = 0; i < after.size(); ++i) {
        if (after[i].state == DrawPlaceState::kWon && after[i].claim_by && *after[i].claim_by <= now) {
            lapsed.push_back(i);
        }
    }
    std::stable_sort(lapsed.begin(), lapsed.end(),
                     [&after](std::size_t a, std::size_t b) { return *after[a].claim_by < *after[b].claim_by; });
    std::vector<bool> changed(after.size(), false);
    std::size_t next_reserve = 0;
    for (const std::size_t i : lapsed) {
        after[i].state = DrawPlaceState::kForfeited;
        changed[i] = true;
        while (next_reserve < after.size() &&
               (after[next_reserve].state != DrawPlaceState::kReserve || after[next_reserve].prize)) {
            ++next_reserve;
        }
        if (next_reserve == after.size()) continue;  // No reserve left: the prize stays with the programme.
        DrawStanding& reserve = after[next_reserve];
        reserve.prize = after[i].prize;
        reserve.state = DrawPlaceState::kWon;
        reserve.claim_by = now + std::chrono::days(terms.claim_days);
        changed[next_reserve] = true;
    }
    std::vector<DrawStanding> changes;
    for (std::size_t i = 0; i < after.size(); ++i) {
        if (changed[i]) changes.push_back(after[i]);
    }
    return changes;
}

std::string_view draw_entries_note(bool removed, Language language) {
    if (language == Language::kPersian) return removed ? "شانس پس‌گرفته" : "شانس";
    return removed ? "entries returned" : "entries";
}

std::string draw_reference_message(long long member_id, int round) {
    return "patron-draw-reference-v1\n" + std::to_string(member_id) + "\n" + std::to_string(round);
}

std::string draw_reference(const std::array<std::uint8_t, 32>& hash) {
    std::string reference;
    for (std::size_t i = 0; i < kDrawReferenceLength; ++i) reference.push_back(kCodeAlphabet[hash[i] & 31U]);
    return reference;
}

}  // namespace patron::core
