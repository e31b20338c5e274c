#include "loyalty/service/events/member_message_service.h"

#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "loyalty/service/posting/member_vault.h"
#include "loyalty/service/program/tier_service.h"
#include "loyalty/service/runtime/forget_in_batches.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using nlohmann::json;

// How long a message is claimed while it is being sent: a sender that dies leaves it to the next.
constexpr std::chrono::minutes kClaim{5};

// What a programme's messages need, read once a round.
struct ProgramContext {
    store::ProgramRecord program;
    core::MessagePolicy policy;
    std::shared_ptr<const core::TimeZone> zone;
    core::TierPolicy tiers;
};

// What is decided about one message before anything is sent.
struct Decision {
    store::MessageOutcome outcome;         // When it is not to be sent now.
    std::optional<MemberMessage> message;  // When it is.
};

Decision skipped(std::string reason, core::Timestamp now) {
    return Decision{{store::MessageState::kSkipped, std::move(reason), std::nullopt, false, now}, std::nullopt};
}

Decision put_off(std::string reason, core::Timestamp until) {
    return Decision{{store::MessageState::kPending, std::move(reason), std::nullopt, false, until}, std::nullopt};
}

Decision decide(soci::session& sql, const crypto::KeyRing& keys, const store::DueMessage& due,
                const ProgramContext& context, core::Timestamp now) {
    const auto kind = core::parse_message_kind(due.kind);
    if (!kind) return skipped("unknown_kind", now);  // Written by a newer version.
    json data = json::parse(due.data, nullptr, false);
    if (core::message_out_of_date(*kind, data, *context.zone, now)) return skipped("out_of_date", now);
    if (*kind == core::MessageKind::kTierReached &&
        !core::tier_reached_is_news(context.tiers, data.value("from", std::string()),
                                    data.value("to", std::string()))) {
        return skipped("not_news", now);
    }
    const auto member = store::find_member(sql, due.member_id);
    if (!member || member->status != core::MemberStatus::kActive) return skipped("member_inactive", now);
    // A tier at risk told as it stands now: gone out of date when she holds another tier or period,
    // or has since earned what keeps it; otherwise with what she still needs today.
    if (*kind == core::MessageKind::kTierAtRisk) {
        auto now_told =
            tier_warning_now(sql, due.member_id, context.tiers, *context.zone, context.program.currency, now);
        if (!now_told || now_told->value("tier", "") != data.value("tier", "") ||
            now_told->value("period_end", "") != data.value("period_end", "")) {
            return skipped("out_of_date", now);
        }
        data = std::move(*now_told);
    }
    // A tier she no longer holds (a review lowered it while the message waited).
    if (*kind == core::MessageKind::kTierReached) {
        const auto account = store::find_account(sql, due.member_id, false);
        if (!account || context.tiers.index_of(account->tier) < context.tiers.index_of(data.value("to", ""))) {
            return skipped("out_of_date", now);
        }
    }
    if (context.policy.weekly_cap <= 0) return skipped("messages_off", now);
    const auto profile = open_profile(keys, *member);
    if (!profile) return skipped("member_inactive", now);
    const core::Consents consents = store::find_consents(sql, due.member_id);
    const auto channel = core::message_channel(consents, profile->phone.has_value(), profile->email.has_value());
    if (!channel) return skipped("no_consent", now);
    const std::string language = member->language.value_or(context.program.language);
    const auto words = core::compose_message(
        *kind, data, core::MessageContext{core::language_from_code(language), context.program.name});
    if (!words) return skipped("incomplete", now);
    // Her night, where she lives when she said so (and the zone database still knows it), else the
    // programme's.
    const auto zone = profile->time_zone && is_known_time_zone(*profile->time_zone)
                          ? locate_time_zone(*profile->time_zone)
                          : context.zone;
    if (const auto quiet = core::quiet_until(context.policy, *zone, now)) return put_off("quiet_hours", *quiet);
    if (!core::message_passes_cap(*kind, context.policy)) {
        const auto frees = core::weekly_cap_frees_at(store::sent_since(sql, due.member_id, now - std::chrono::days(7)),
                                                     context.policy.weekly_cap);
        if (frees) {
            if (*frees - due.created_at > core::kMessageWaitMax) return skipped("weekly_cap", now);
            return put_off("weekly_cap", *frees);
        }
    }
    MemberMessage message;
    message.id = due.id;
    message.channel = std::string(core::to_string(*channel));
    message.to = *channel == core::MessageChannel::kSms ? *profile->phone : *profile->email;
    message.kind = due.kind;
    message.language = language;
    message.subject = words->subject;
    message.text = words->text;
    message.program = context.program.code;
    Decision decision;
    decision.outcome.channel = channel;
    decision.message = std::move(message);
    return decision;
}

}  // namespace

MemberMessageService::MemberMessageService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                                           Notifier& notifier)
    : database_(database), keys_(keys), clock_(clock), notifier_(notifier), lease_(database, kMessageLease) {}

core::Result<bool> MemberMessageService::take_lease(const std::string& holder, int seconds) {
    return lease_.take(holder, seconds);
}

core::Result<void> MemberMessageService::give_up_lease(const std::string& holder) { return lease_.give_up(holder); }

core::Result<MessageRound> MemberMessageService::send_due(int limit) {
    if (stopping_.load()) return MessageRound{};
    const core::Timestamp now = clock_.now();
    auto claimed = database_.transact_for<std::vector<store::DueMessage>>(
        [&](soci::session& sql) -> core::Result<std::vector<store::DueMessage>> {
            return store::claim_due_messages(sql, now, now + kClaim, limit);
        });
    if (!claimed) return std::unexpected(claimed.error());
    MessageRound round;
    round.more = static_cast<int>(claimed->size()) == limit;
    std::map<long long, ProgramContext> programs;
    int failures_in_a_row = 0;
    for (std::size_t at = 0; at < claimed->size(); ++at) {
        const store::DueMessage& due = (*claimed)[at];
        // Stopping, or a gateway that keeps failing: the rest are left, due again now or in a minute.
        const bool stop = stopping_.load();
        if (stop || failures_in_a_row >= kMessageFailuresInARowMax) {
            const core::Timestamp again = stop ? clock_.now() : clock_.now() + std::chrono::minutes(1);
            auto left = database_.run_for<int>([&](soci::session& sql) -> core::Result<int> {
                int count = 0;
                for (std::size_t rest = at; rest < claimed->size(); ++rest) {
                    const store::DueMessage& other = (*claimed)[rest];
                    if (store::extend_claim(sql, other.id, other.claimed_until, again)) ++count;
                }
                return count;
            });
            if (!left) return std::unexpected(left.error());
            round.deferred += *left;
            round.more = false;
            break;
        }
        // Decided on what is committed now, one message after the other: the weekly cap counts
        // the ones this round sent before it.
        auto decided = database_.run_for<Decision>([&](soci::session& sql) -> core::Result<Decision> {
            auto found = programs.find(due.program_id);
            if (found == programs.end()) {
                ProgramContext context;
                context.program = store::find_program(sql, due.program_id).value_or(store::ProgramRecord{});
                context.policy = store::find_message_policy(sql, due.program_id);
                context.zone = program_time_zone(sql, due.program_id);
                context.tiers = load_tier_policy(sql, due.program_id).value_or(core::TierPolicy{});
                found = programs.emplace(due.program_id, std::move(context)).first;
            }
            // Each decided at its own time: a round may last until a gateway's time-outs add up.
            return decide(sql, keys_, due, found->second, clock_.now());
        });
        if (!decided) return std::unexpected(decided.error());
        store::MessageOutcome outcome = decided->outcome;
        core::Timestamp claim = due.claimed_until;
        if (decided->message) {
            // The claim renewed just before the message goes: one withdrawn (its purchase voided)
            // or taken by another sender since the round began is not sent.
            const core::Timestamp renewed = clock_.now() + kClaim;
            auto held = database_.run_for<bool>([&](soci::session& sql) -> core::Result<bool> {
                return store::extend_claim(sql, due.id, claim, renewed);
            });
            if (!held) return std::unexpected(held.error());
            if (!*held) {
                ++round.withdrawn;
                continue;
            }
            claim = renewed;
            // Outside any transaction: a gateway's time is no lock's.
            const auto handed = notifier_.send(*decided->message);
            const core::Timestamp after = clock_.now();
            outcome.attempted = true;
            failures_in_a_row = handed ? 0 : failures_in_a_row + 1;
            if (handed) {
                outcome.state = store::MessageState::kSent;
                outcome.at = after;
            } else if (due.attempts + 1 >= kMessageAttemptsMax) {
                outcome.state = store::MessageState::kFailed;
                outcome.reason = "notifier";
                outcome.at = after;
            } else {
                outcome.state = store::MessageState::kPending;
                outcome.reason = "notifier";
                outcome.at = after + std::chrono::minutes(1 << due.attempts);
            }
        }
        auto written = database_.run_for<bool>([&](soci::session& sql) -> core::Result<bool> {
            return store::finish_message(sql, due.id, claim, outcome);
        });
        if (!written) return std::unexpected(written.error());
        if (!*written) {
            ++(outcome.attempted ? round.unrecorded : round.withdrawn);
            continue;
        }
        switch (outcome.state) {
            case store::MessageState::kSent:
                ++round.sent;
                break;
            case store::MessageState::kSkipped:
                ++round.skipped;
                break;
            case store::MessageState::kFailed:
                ++round.failed;
                break;
            case store::MessageState::kPending:
                ++(outcome.attempted ? round.retrying : round.deferred);
                break;
        }
    }
    return round;
}

core::Result<long long> MemberMessageService::forget_old() {
    // Nothing waits longer than the weekly cap lets it (14 days) unless no instance can send.
    const core::Timestamp now = clock_.now();
    const core::Timestamp stale = now - core::kMessageWaitMax - std::chrono::days(1);
    auto expired = forget_in_batches(database_, 500, [&](soci::session& sql, int limit) {
        return store::expire_stale_messages(sql, stale, now, limit);
    });
    if (!expired) return expired;
    const core::Timestamp before = now - std::chrono::days(kMessageKeepDays);
    return forget_in_batches(
        database_, 500, [&](soci::session& sql, int limit) { return store::forget_old_messages(sql, before, limit); });
}

}  // namespace patron::service
