#include "loyalty/service/program/draw_service.h"

#include <soci/soci.h>

#include <algorithm>
#include <chrono>

#include "crypto/aead.h"
#include "crypto/digest.h"
#include "loyalty/core/card_number.h"
#include "loyalty/core/events.h"
#include "loyalty/service/posting/coupon_codes.h"
#include "loyalty/service/posting/pos_operations.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/events/outbox_store.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

constexpr std::size_t kDrawsListed = 200;
constexpr std::size_t kSeedBytes = 32;
constexpr int kCodeDraws = 8;  // Rounds of drawing codes again for the few that clashed.

constexpr core::StaffRoles kManages{core::StaffRole::kAdmin, core::StaffRole::kMarketer};
constexpr core::StaffRoles kHandsOver{core::StaffRole::kAdmin, core::StaffRole::kMarketer, core::StaffRole::kSupport};
constexpr std::size_t kDrawsPassedOnPerRound = 100;
constexpr core::StaffRoles kReads{core::StaffRole::kAdmin, core::StaffRole::kMarketer, core::StaffRole::kSupport,
                                  core::StaffRole::kAnalyst};

core::Result<void> require(const StaffIdentity& staff, core::StaffRoles roles, std::string_view what) {
    if (!may(staff, roles)) return fail(ErrorCode::kForbidden, "only " + std::string(what) + " staff may do this");
    return {};
}

core::Result<store::DrawRecord> found(std::optional<store::DrawRecord> draw) {
    if (!draw) return fail(ErrorCode::kNotFound, "no prize draw with this id", "id");
    return std::move(*draw);
}

void audit(soci::session& sql, const crypto::KeyRing& keys, const StaffIdentity& staff, core::AuditAction action,
           long long id, std::string fields, core::Timestamp now) {
    store::insert_audit(sql, keys, {staff.program_id, audit_actor(staff), action, "draw", id, std::move(fields)}, now);
}

core::DrawStanding standing_of(const store::DrawPlaceRecord& place) {
    return core::DrawStanding{place.place, place.prize, place.state, place.claim_by};
}

// A run draw's prizes unclaimed past their claim_by passed on (core::pass_unclaimed_prizes) and
// written; each reserve now holding a prize is told by a draw_won event (and so a message). How
// many places were forfeited.
long long pass_on(soci::session& sql, const store::DrawRecord& draw, std::vector<store::DrawPlaceRecord>& places,
                  core::Timestamp now) {
    std::vector<core::DrawStanding> standings;
    for (const store::DrawPlaceRecord& place : places) standings.push_back(standing_of(place));
    long long forfeited = 0;
    std::vector<core::Event> events;
    for (const core::DrawStanding& changed : core::pass_unclaimed_prizes(draw.terms, standings, now)) {
        const auto at = std::find_if(places.begin(), places.end(),
                                     [&](const store::DrawPlaceRecord& place) { return place.place == changed.place; });
        if (at == places.end()) continue;
        at->prize = changed.prize;
        at->state = changed.state;
        at->claim_by = changed.claim_by;
        store::set_draw_place(sql, draw.id, *at);
        if (changed.state == core::DrawPlaceState::kForfeited) {
            ++forfeited;
            continue;
        }
        events.push_back(
            core::draw_won_event(core::DrawPlacing{draw.program_id, at->member_id, draw.id, draw.terms.name, at->place,
                                                   draw.terms.prize_name(at->prize), at->claim_by},
                                 now));
    }
    store::add_events(sql, events);
    return forfeited;
}

std::string terms_fields() {
    return "name,description,prizes,opens_at,closes_at,eligibility,entries,caps,reserves,claim_days,public_value";
}

}  // namespace

std::string draw_seed_binding(long long draw_id) { return "patron:draw-seed:" + std::to_string(draw_id); }

DrawService::DrawService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                         crypto::RandomSource& random)
    : database_(database), keys_(keys), clock_(clock), random_(random) {}

DrawView DrawService::summary(soci::session& sql, store::DrawRecord draw) {
    DrawView view;
    view.codes = store::draw_code_counts(sql, draw.id);
    const store::DrawTotals totals = store::draw_totals(sql, draw.id);
    view.entrants = totals.entrants;
    view.entries = totals.entries;
    view.draw = std::move(draw);
    view.now = clock_.now();
    return view;
}

core::Result<DrawView> DrawService::view(soci::session& sql, long long program_id, long long id) {
    auto draw = found(store::find_draw(sql, program_id, id, store::DrawLock::kNone));
    if (!draw) return std::unexpected(draw.error());
    DrawView view = summary(sql, std::move(*draw));
    view.places = store::draw_places(sql, id);
    return view;
}

core::Result<DrawView> DrawService::create(const StaffIdentity& staff, const core::DrawTerms& terms) {
    if (auto allowed = require(staff, kManages, "admin and marketer"); !allowed)
        return std::unexpected(allowed.error());
    return database_.transact_for<DrawView>([&](soci::session& sql) -> core::Result<DrawView> {
        const core::Timestamp now = clock_.now();
        const long long id = store::insert_draw(sql, staff.program_id, terms, now);
        audit(sql, keys_, staff, core::AuditAction::kDrawCreate, id, terms_fields(), now);
        return view(sql, staff.program_id, id);
    });
}

core::Result<DrawView> DrawService::change(const StaffIdentity& staff, long long id, const DrawChange& work) {
    return change_as(staff, kManages, "admin and marketer", id, work);
}

core::Result<DrawView> DrawService::change_as(const StaffIdentity& staff, core::StaffRoles roles, std::string_view who,
                                              long long id, const DrawChange& work) {
    if (auto allowed = require(staff, roles, who); !allowed) {
        return std::unexpected(allowed.error());
    }
    return database_.transact_for<DrawView>([&](soci::session& sql) -> core::Result<DrawView> {
        const core::Timestamp now = clock_.now();
        auto draw = found(store::find_draw(sql, staff.program_id, id, store::DrawLock::kUpdate));
        if (!draw) return std::unexpected(draw.error());
        if (auto done = work(sql, *draw, now); !done) return std::unexpected(done.error());
        return view(sql, staff.program_id, id);
    });
}

core::Result<DrawView> DrawService::update(const StaffIdentity& staff, long long id, const core::DrawTerms& terms) {
    return change(staff, id, [&](soci::session& sql, const store::DrawRecord& draw, core::Timestamp now) {
        if (!store::update_draft_draw(sql, id, terms, now)) {
            return core::Result<void>(
                fail(ErrorCode::kDrawPublished,
                     "the draw was " + std::string(core::to_string(draw.state)) + ": its terms are fixed"));
        }
        audit(sql, keys_, staff, core::AuditAction::kDrawChange, id, terms_fields(), now);
        return core::Result<void>();
    });
}

core::Result<DrawView> DrawService::publish(const StaffIdentity& staff, long long id) {
    return change(
        staff, id, [&](soci::session& sql, const store::DrawRecord& draw, core::Timestamp now) -> core::Result<void> {
            if (draw.state != core::DrawState::kDraft) {
                return fail(ErrorCode::kDrawPublished, "the draw was " + std::string(core::to_string(draw.state)));
            }
            if (draw.terms.closes_at <= now) {
                return fail(ErrorCode::kDrawClosed, "the draw's window has passed: set a later closes_at first",
                            "closes_at");
            }
            // The seed, sealed to this draw; its SHA-256 is the commitment published from now on.
            crypto::SecretBytes seed(kSeedBytes);
            random_.fill(std::span<std::uint8_t>(seed.data(), seed.size()));
            const auto masters = keys_.masters();
            const crypto::Bytes sealed = crypto::seal(masters->active(), seed.view(), draw_seed_binding(id), random_);
            const std::string commitment = crypto::to_hex(crypto::sha256(seed.view()));
            (void)store::publish_draw(sql, id, masters->active_id, sealed, commitment, now);  // Locked as a draft.
            audit(sql, keys_, staff, core::AuditAction::kDrawPublish, id, "state,commitment", now);
            return {};
        });
}

core::Result<DrawView> DrawService::cancel(const StaffIdentity& staff, long long id) {
    return change(staff, id,
                  [&](soci::session& sql, const store::DrawRecord& draw, core::Timestamp now) -> core::Result<void> {
                      if (draw.state == core::DrawState::kDrawn) {
                          return fail(ErrorCode::kDrawAlreadyRun, "the draw was run: its result stands");
                      }
                      if (!store::cancel_draw(sql, id, now))
                          return fail(ErrorCode::kDrawClosed, "the draw was cancelled already");
                      audit(sql, keys_, staff, core::AuditAction::kDrawCancel, id, "state", now);
                      return {};
                  });
}

core::Result<DrawCodesMade> DrawService::make_codes(const StaffIdentity& staff, long long id, long long count) {
    if (auto allowed = require(staff, kManages, "admin and marketer"); !allowed)
        return std::unexpected(allowed.error());
    if (count < 1 || count > kDrawCodesPerRequestMax) {
        return fail(ErrorCode::kValidationFailed,
                    "must be a whole number from 1 to " + std::to_string(kDrawCodesPerRequestMax), "count");
    }
    return database_.transact_for<DrawCodesMade>([&](soci::session& sql) -> core::Result<DrawCodesMade> {
        const core::Timestamp now = clock_.now();
        auto draw = found(store::find_draw(sql, staff.program_id, id, store::DrawLock::kNone));
        if (!draw) return std::unexpected(draw.error());
        if (draw->terms.entries.per_code <= 0) {
            return fail(ErrorCode::kValidationFailed, "this draw gives no entries for codes (entries.per_code is 0)",
                        "entries.per_code");
        }
        if (draw->state == core::DrawState::kDrawn) return fail(ErrorCode::kDrawAlreadyRun, "the draw was run");
        if (draw->state == core::DrawState::kCancelled || draw->terms.closes_at <= now) {
            return fail(ErrorCode::kDrawClosed, "the draw takes no more entries");
        }
        DrawCodesMade made{id, store::next_draw_code_batch(sql, id), 0};
        for (int round = 0; round < kCodeDraws && made.made < count; ++round) {
            const auto codes = generate_coupon_codes(random_, static_cast<std::size_t>(count - made.made),
                                                     static_cast<int>(core::kDrawCodeLength), "");
            made.made += store::insert_draw_codes(sql, staff.program_id, id, made.batch, codes, now);
        }
        if (made.made < count) return fail(ErrorCode::kUnavailable, "codes kept clashing; try again");
        audit(sql, keys_, staff, core::AuditAction::kDrawCodes, id, "codes", now);
        return made;
    });
}

core::Result<std::vector<store::DrawCodeRecord>> DrawService::export_codes(const StaffIdentity& staff, long long id,
                                                                           int batch) {
    if (auto allowed = require(staff, kManages, "admin and marketer"); !allowed)
        return std::unexpected(allowed.error());
    using Codes = std::vector<store::DrawCodeRecord>;
    return database_.transact_for<Codes>([&](soci::session& sql) -> core::Result<Codes> {
        auto draw = found(store::find_draw(sql, staff.program_id, id, store::DrawLock::kNone));
        if (!draw) return std::unexpected(draw.error());
        if (batch == 0 && store::draw_code_counts(sql, id).made > kDrawCodesPerRequestMax) {
            return fail(ErrorCode::kValidationFailed,
                        "the draw has more than " + std::to_string(kDrawCodesPerRequestMax) +
                            " codes: export them a batch at a time",
                        "batch");
        }
        audit(sql, keys_, staff, core::AuditAction::kDrawCodesExport, id, batch > 0 ? "batch" : "codes", clock_.now());
        return store::draw_codes(sql, id, batch);
    });
}

core::Result<DrawView> DrawService::run(const StaffIdentity& staff, long long id, const std::string& public_value) {
    return change(
        staff, id,
        [&](soci::session& sql, const store::DrawRecord& found_draw, core::Timestamp now) -> core::Result<void> {
            const store::DrawRecord* draw = &found_draw;
            if (draw->state == core::DrawState::kDrawn) {
                return fail(ErrorCode::kDrawAlreadyRun, "the draw was run already; its result stands");
            }
            if (draw->state != core::DrawState::kPublished || now < draw->terms.closes_at) {
                return fail(ErrorCode::kDrawNotClosed,
                            draw->state == core::DrawState::kPublished
                                ? "the draw's window has not closed yet"
                                : "the draw is " + std::string(core::to_string(draw->state)));
            }
            const auto masters = keys_.masters_holding(draw->master_key_id);
            const auto seed = masters == nullptr ? std::nullopt
                                                 : crypto::open(*masters->find(draw->master_key_id), draw->seed_sealed,
                                                                draw_seed_binding(id));
            if (!seed) return fail(ErrorCode::kInternal, "the draw's seed does not open with the keys file");

            const core::KeyedHash keyed = [&seed](std::string_view message) {
                const crypto::Bytes mac = crypto::hmac_sha256(seed->view(), crypto::as_bytes(message));
                std::array<std::uint8_t, 32> hash{};
                std::copy_n(mac.begin(), hash.size(), hash.begin());
                return hash;
            };
            const std::vector<core::DrawEntrant> entrants = core::draw_entrants(store::draw_holdings(sql, id), keyed);
            store::DrawResult result;
            for (const core::DrawEntrant& entrant : entrants) {
                result.entrants.push_back(
                    store::DrawEntrantRecord{entrant.reference, entrant.member_id, entrant.tickets});
                result.tickets += entrant.tickets;
            }
            result.public_value = public_value;
            result.entries_digest = crypto::to_hex(crypto::sha256(crypto::as_bytes(core::entrants_text(entrants))));
            // Each placed member hears of it (winners are told; a reserve's event says she waits).
            std::vector<core::Event> events;
            for (const core::DrawnPlace& drawn :
                 core::run_draw(draw->terms, entrants, result.entries_digest, public_value, keyed, now)) {
                const core::DrawEntrant& entrant = entrants[drawn.entrant];
                const std::optional<long long> prize =
                    drawn.prize ? std::optional(static_cast<long long>(*drawn.prize)) : std::nullopt;
                result.places.push_back(store::DrawPlaceRecord{
                    drawn.place, prize, entrant.reference, entrant.member_id, drawn.ticket, drawn.attempt,
                    prize ? core::DrawPlaceState::kWon : core::DrawPlaceState::kReserve, drawn.claim_by, std::nullopt});
                events.push_back(
                    core::draw_won_event(core::DrawPlacing{staff.program_id, entrant.member_id, id, draw->terms.name,
                                                           drawn.place, draw->terms.prize_name(prize), drawn.claim_by},
                                         now));
            }
            (void)store::record_draw_result(sql, id, result, now);  // Locked as published above.
            store::add_events(sql, events);
            audit(sql, keys_, staff, core::AuditAction::kDrawRun, id, "state,public_value,entries_digest,places", now);
            return {};
        });
}

core::Result<DrawView> DrawService::claim(const StaffIdentity& staff, long long id, long long place) {
    return change_as(staff, kHandsOver, "admin, marketer and support", id,
                     [&](soci::session& sql, const store::DrawRecord& draw, core::Timestamp now) -> core::Result<void> {
                         if (draw.state != core::DrawState::kDrawn) {
                             return fail(ErrorCode::kDrawPrizeNotClaimable, "the draw has not been run", "place");
                         }
                         std::vector<store::DrawPlaceRecord> places = store::draw_places(sql, id);
                         (void)pass_on(sql, draw, places, now);
                         const auto at =
                             std::find_if(places.begin(), places.end(),
                                          [&](const store::DrawPlaceRecord& held) { return held.place + 1 == place; });
                         if (at == places.end())
                             return fail(ErrorCode::kNotFound, "the draw has no such place", "place");
                         if (auto claimable = core::claimable(standing_of(*at), now); !claimable) {
                             return std::unexpected(claimable.error());
                         }
                         at->state = core::DrawPlaceState::kClaimed;
                         at->claimed_at = now;
                         store::set_draw_place(sql, id, *at);
                         audit(sql, keys_, staff, core::AuditAction::kDrawPrizeHandOver, id, "places", now);
                         return {};
                     });
}

core::Result<long long> DrawService::pass_unclaimed_prizes() {
    const core::Timestamp now = clock_.now();
    using Due = std::vector<std::pair<long long, long long>>;
    const auto due = database_.run_for<Due>([&](soci::session& sql) -> core::Result<Due> {
        return store::draws_with_lapsed_claims(sql, now, kDrawsPassedOnPerRound);
    });
    if (!due) return std::unexpected(due.error());
    long long forfeited = 0;
    for (const auto& [program_id, id] : *due) {
        const auto passed = database_.transact_for<long long>([&](soci::session& sql) -> core::Result<long long> {
            const auto draw = store::find_draw(sql, program_id, id, store::DrawLock::kUpdate);
            if (!draw || draw->state != core::DrawState::kDrawn) return 0LL;
            std::vector<store::DrawPlaceRecord> places = store::draw_places(sql, id);
            return pass_on(sql, *draw, places, now);
        });
        if (!passed) return std::unexpected(passed.error());
        forfeited += *passed;
    }
    return forfeited;
}

core::Result<DrawView> DrawService::get(const StaffIdentity& staff, long long id) {
    if (auto allowed = require(staff, kReads, "admin, marketer, support and analyst"); !allowed) {
        return std::unexpected(allowed.error());
    }
    return database_.run_for<DrawView>(
        [&](soci::session& sql) -> core::Result<DrawView> { return view(sql, staff.program_id, id); });
}

core::Result<std::vector<DrawView>> DrawService::list(const StaffIdentity& staff) {
    if (auto allowed = require(staff, kReads, "admin, marketer, support and analyst"); !allowed) {
        return std::unexpected(allowed.error());
    }
    using Views = std::vector<DrawView>;
    return database_.run_for<Views>([&](soci::session& sql) -> core::Result<Views> {
        Views views;
        for (store::DrawRecord& draw : store::list_draws(sql, staff.program_id, false, kDrawsListed)) {
            views.push_back(summary(sql, std::move(draw)));
        }
        return views;
    });
}

core::Result<DrawProof> DrawService::proof_of(long long program_id, long long id, bool staff) {
    return database_.run_for<DrawProof>([&](soci::session& sql) -> core::Result<DrawProof> {
        auto draw = found(store::find_draw(sql, program_id, id, store::DrawLock::kNone));
        if (!draw) return std::unexpected(draw.error());
        if (!staff && draw->state == core::DrawState::kDraft)
            return fail(ErrorCode::kNotFound, "no prize draw with this id", "id");
        DrawProof proof;
        if (draw->state == core::DrawState::kDrawn) {
            const auto masters = keys_.masters_holding(draw->master_key_id);
            const auto seed = masters == nullptr ? std::nullopt
                                                 : crypto::open(*masters->find(draw->master_key_id), draw->seed_sealed,
                                                                draw_seed_binding(id));
            if (!seed) return fail(ErrorCode::kInternal, "the draw's seed does not open with the keys file");
            proof.seed.assign(seed->view().begin(), seed->view().end());
            proof.entrants = store::draw_entrants(sql, id);
            proof.places = store::draw_places(sql, id);
        }
        proof.draw = std::move(*draw);
        proof.now = clock_.now();
        return proof;
    });
}

core::Result<DrawProof> DrawService::proof(const StaffIdentity& staff, long long id) {
    if (auto allowed = require(staff, kReads, "admin, marketer, support and analyst"); !allowed) {
        return std::unexpected(allowed.error());
    }
    return proof_of(staff.program_id, id, true);
}

core::Result<DrawProof> DrawService::proof(const MemberIdentity& member, long long id) {
    return proof_of(member.program_id, id, false);
}

core::Result<MemberDraws> DrawService::mine(const MemberIdentity& member) {
    return database_.run_for<MemberDraws>([&](soci::session& sql) -> core::Result<MemberDraws> {
        MemberDraws page;
        page.now = clock_.now();
        if (const auto profile = store::find_program_profile(sql, member.program_id, false)) {
            page.language = profile->language;
            page.time_zone = profile->time_zone;
        }
        const std::map<long long, long long> entries = store::member_entries_by_draw(sql, member.member_id);
        std::map<long long, std::vector<store::DrawPlaceRecord>> places =
            store::member_draw_places(sql, member.member_id);
        const std::map<long long, std::string> references = store::member_draw_references(sql, member.member_id);
        for (store::DrawRecord& draw : store::list_draws(sql, member.program_id, true, kDrawsListed)) {
            MemberDraw shown;
            if (const auto held = entries.find(draw.id); held != entries.end()) shown.entries = held->second;
            if (auto won = places.find(draw.id); won != places.end()) shown.places = std::move(won->second);
            // A cancelled draw she never entered is nothing to her.
            if (draw.state == core::DrawState::kCancelled && shown.entries == 0) continue;
            if (const auto reference = references.find(draw.id); reference != references.end()) {
                shown.reference = reference->second;
            }
            shown.draw = std::move(draw);
            page.draws.push_back(std::move(shown));
        }
        return page;
    });
}

core::Result<DrawCodeEntered> DrawService::enter_code(const MemberIdentity& member, const std::string& typed) {
    const auto code = core::read_draw_code(typed);
    if (!code) return fail(ErrorCode::kValidationFailed, "must be a code of 12 letters and digits", "code");
    return database_.transact_for<DrawCodeEntered>([&](soci::session& sql) -> core::Result<DrawCodeEntered> {
        const auto account = store::find_account(sql, member.member_id, true);
        const auto record = store::find_member(sql, member.member_id);
        if (!account || !record || record->status != core::MemberStatus::kActive) {
            return fail(ErrorCode::kMemberNotFound, "no such member");
        }
        const store::ProgramPolicies policies = store::find_program_policies(sql, member.program_id);
        return enter_draw_code(sql,
                               DrawCodeEntry{member.program_id, member.member_id, account->tier, std::nullopt, *code,
                                             "code", core::language_from_code(policies.language)},
                               clock_.now());
    });
}

core::Result<DrawCodeEntered> DrawService::enter_code_at_till(const TerminalIdentity& terminal, const std::string& card,
                                                              const std::string& typed) {
    if (!core::is_valid_card_number(card)) {
        return fail(ErrorCode::kCardNumberInvalid, "this is not a valid card number (check digit)", "card");
    }
    const auto code = core::read_draw_code(typed);
    if (!code) return fail(ErrorCode::kValidationFailed, "must be a code of 12 letters and digits", "code");
    return database_.transact_for<DrawCodeEntered>([&](soci::session& sql) -> core::Result<DrawCodeEntered> {
        auto holder = lock_holder(sql, terminal.program_id, card, true);
        if (!holder) return std::unexpected(holder.error());
        const store::ProgramPolicies policies = store::find_program_policies(sql, terminal.program_id);
        return enter_draw_code(
            sql,
            DrawCodeEntry{terminal.program_id, holder->member.id, holder->account.tier, terminal.store_code, *code,
                          "code", core::language_from_code(policies.language), true},
            clock_.now());
    });
}

}  // namespace patron::service
