#include "loyalty/service/posting/draw_postings.h"

#include <soci/soci.h>

#include <algorithm>

#include "loyalty/core/receipt_text.h"
#include "loyalty/store/insight/segment_store.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/program/draw_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

std::string count_text(char sign, long long count, core::Language language) {
    return core::localized_digits(core::signed_number(sign, count), language);
}

core::Effect entries_effect(const store::DrawRecord& draw, long long entries, long long held, core::Language language) {
    core::Effect effect{core::EffectKind::kDrawEntries, core::draw_rule_id(draw.id), 1, entries,
                        core::receipt_line(draw.terms.name, core::draw_entries_note(false, language),
                                           count_text('+', entries, language))};
    effect.count_after = held;
    return effect;
}

bool names_segments(const std::vector<store::DrawRecord>& draws) {
    return std::ranges::any_of(draws, [](const store::DrawRecord& draw) { return !draw.terms.segments.empty(); });
}

}  // namespace

std::vector<core::Effect> enter_purchase_in_draws(soci::session& sql, const DrawPurchaseContext& context,
                                                  core::Timestamp now) {
    std::vector<core::Effect> effects;
    const core::Timestamp moment = core::entry_moment(context.pos_time, now);
    // No published draw closes after her moment: none takes her entry, and none is marked (the mark
    // is for draws that do). A draw published since the card read is as if published after this sale.
    if (context.draws_read && (!context.last_draw_close || *context.last_draw_close <= moment)) return effects;
    std::vector<store::DrawRecord> draws = store::draws_taking_entries(sql, context.program_id, moment, now);
    if (draws.empty()) return effects;
    const std::vector<std::string> segments =
        names_segments(draws) ? store::member_segment_codes(sql, context.member_id) : std::vector<std::string>{};
    for (const store::DrawRecord& draw : draws) {
        if (!core::admits(draw.terms, context.store, context.tier, segments)) continue;
        const long long wanted = core::basket_entries(draw.terms.entries, context.basket);
        if (wanted <= 0) continue;
        const long long held = store::member_draw_entries(sql, draw.id, context.member_id);
        const long long given = core::entries_within_caps(draw.terms, wanted, held, true);
        if (given <= 0) continue;
        store::insert_draw_entry(
            sql,
            store::DrawEntryRecord{0, draw.id, context.member_id, store::DrawEntrySource::kPurchase,
                                   context.purchase_id, std::nullopt, given, given},
            now);
        effects.push_back(entries_effect(draw, given, held + given, context.language));
    }
    return effects;
}

std::vector<core::Effect> take_back_draw_entries(soci::session& sql, long long program_id, long long original_id,
                                                 const core::DrawBasket& remaining, core::Language language,
                                                 core::Timestamp now) {
    std::vector<core::Effect> effects;
    for (const store::DrawEntryRecord& entry : store::purchase_draw_entries(sql, original_id)) {
        if (entry.entries <= 0) continue;
        const auto draw = store::find_draw(sql, program_id, entry.draw_id, store::DrawLock::kShare);
        // Once run, a draw's result stands: a later return changes nothing in it.
        if (!draw || draw->state != core::DrawState::kPublished) continue;
        const long long kept = std::min<long long>(entry.entries, core::basket_entries(draw->terms.entries, remaining));
        if (kept >= entry.entries) continue;
        store::set_draw_entries(sql, entry.id, kept, now);
        // A draw closed but not run yet may be run on another node meanwhile: written (Galera).
        if (now >= draw->terms.closes_at) store::mark_draw_written(sql, draw->id);
        const long long taken = entry.entries - kept;
        core::Effect effect{core::EffectKind::kDrawEntriesRemoved, core::draw_rule_id(draw->id), 1, -taken,
                            core::receipt_line(draw->terms.name, core::draw_entries_note(true, language),
                                               count_text('-', taken, language))};
        effect.count_after = store::member_draw_entries(sql, draw->id, entry.member_id);
        effects.push_back(std::move(effect));
    }
    return effects;
}

core::Result<DrawCodeEntered> enter_draw_code(soci::session& sql, const DrawCodeEntry& entry, core::Timestamp now) {
    const auto code = store::find_draw_code(sql, entry.program_id, entry.code, true);
    if (!code) return fail(ErrorCode::kDrawCodeUnknown, "no prize draw has this code", entry.field);
    const auto draw = store::find_draw(sql, entry.program_id, code->draw_id, store::DrawLock::kShare);
    if (code->used_at && draw && entry.retry_answers && code->member_id == entry.member_id) {
        // Her own code again (a till's retry after a lost answer): answered as it was, nothing added.
        const long long given = store::code_entries(sql, code->id);
        const long long held = store::member_draw_entries(sql, draw->id, entry.member_id);
        return DrawCodeEntered{draw->id, draw->terms.name, given, held,
                               entries_effect(*draw, given, held, entry.language)};
    }
    if (code->used_at) return fail(ErrorCode::kDrawCodeUsed, "this code was entered already", entry.field);
    if (!draw || draw->terms.entries.per_code <= 0 || !core::takes_entries(draw->state, draw->terms, now)) {
        return fail(ErrorCode::kDrawClosed, "the draw this code is for takes no entries now", entry.field);
    }
    const std::vector<std::string> segments =
        draw->terms.segments.empty() ? std::vector<std::string>{} : store::member_segment_codes(sql, entry.member_id);
    if (!core::admits(draw->terms, entry.store, entry.tier, segments)) {
        return fail(ErrorCode::kDrawNotEligible, "this draw is not open to this member here", entry.field);
    }
    const long long held = store::member_draw_entries(sql, draw->id, entry.member_id);
    const long long given = core::entries_within_caps(draw->terms, draw->terms.entries.per_code, held, false);
    if (given <= 0) {
        return fail(ErrorCode::kDrawCapReached, "the member holds the most entries this draw allows", entry.field);
    }
    store::use_draw_code(sql, code->id, entry.member_id, now);
    // Decided under the account's lock (the member's caps): written (Galera). Codes enter only
    // before the close by Patron's clock, when no run can be under way.
    store::mark_account_written(sql, entry.member_id);
    store::insert_draw_entry(sql,
                             store::DrawEntryRecord{0, draw->id, entry.member_id, store::DrawEntrySource::kCode,
                                                    std::nullopt, code->id, given, given},
                             now);
    return DrawCodeEntered{draw->id, draw->terms.name, given, held + given,
                           entries_effect(*draw, given, held + given, entry.language)};
}

}  // namespace patron::service
