#include "loyalty/core/fraud.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "loyalty/core/document_reader.h"
#include "loyalty/core/receipt_text.h"

namespace patron::core {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<FraudKind, std::string_view>, 8> kKinds{
    {{FraudKind::kCardVelocity, "card_velocity"},
     {FraudKind::kRedemptionAfterEnrolment, "redemption_after_enrolment"},
     {FraudKind::kReturnCycling, "return_cycling"},
     {FraudKind::kSpentPointsReturned, "spent_points_returned"},
     {FraudKind::kStaffAdjustment, "staff_adjustment"},
     {FraudKind::kClaimHarvesting, "claim_harvesting"},
     {FraudKind::kTerminalOutlier, "terminal_outlier"},
     {FraudKind::kTrigger, "trigger"}}};
constexpr std::array<std::pair<FraudAction, std::string_view>, 3> kActions{
    {{FraudAction::kFlag, "flag"}, {FraudAction::kHold, "hold"}, {FraudAction::kBlock, "block"}}};
constexpr std::array<std::pair<FraudSignalState, std::string_view>, 4> kStates{
    {{FraudSignalState::kOpen, "open"},
     {FraudSignalState::kReleased, "released"},
     {FraudSignalState::kConfirmed, "confirmed"},
     {FraudSignalState::kDismissed, "dismissed"}}};
constexpr std::array<std::pair<FraudDecision, std::string_view>, 3> kDecisions{
    {{FraudDecision::kRelease, "release"}, {FraudDecision::kConfirm, "confirm"}, {FraudDecision::kDismiss, "dismiss"}}};

FraudAction read_action(Reader& reader) {
    const auto action = lookup(kActions, reader.find("action"));
    if (!action) reader.problem(reader.field("action"), "must be flag, hold or block", reason(ReasonKind::kOneOf));
    return action.value_or(FraudAction::kFlag);
}

// A whole number in [1, maximum] at `key`, or 0 when absent.
int optional_bound(Reader& reader, std::string_view key, int maximum) {
    return reader.find(key) == nullptr ? 0 : static_cast<int>(bounded(reader, key, 1, maximum));
}

CardVelocityWatch read_velocity(Reader& reader) {
    CardVelocityWatch watch;
    watch.action = read_action(reader);
    watch.purchases_per_hour = optional_bound(reader, "purchases_per_hour", kVelocityPurchasesMax);
    watch.other_store_minutes = optional_bound(reader, "other_store_minutes", kOtherStoreMinutesMax);
    if (reader.find("purchases_per_hour") == nullptr && reader.find("other_store_minutes") == nullptr) {
        reader.problem(reader.path(), "give purchases_per_hour, other_store_minutes or both",
                       reason(ReasonKind::kAtLeastOne));
    }
    return watch;
}

EnrolmentRedemptionWatch read_enrolment(Reader& reader) {
    EnrolmentRedemptionWatch watch;
    watch.action = read_action(reader);
    watch.within_hours = static_cast<int>(bounded(reader, "within_hours", 1, kEnrolmentHoursMax));
    return watch;
}

StaffAdjustmentWatch read_adjustments(Reader& reader) {
    StaffAdjustmentWatch watch;
    watch.action = read_action(reader);
    if (reader.find("points_over") != nullptr) watch.points_over = bounded(reader, "points_over", 1, kFraudPointsMax);
    watch.per_user_per_day = optional_bound(reader, "per_user_per_day", kAdjustmentsPerDayMax);
    if (reader.find("points_over") == nullptr && reader.find("per_user_per_day") == nullptr) {
        reader.problem(reader.path(), "give points_over, per_user_per_day or both", reason(ReasonKind::kAtLeastOne));
    }
    return watch;
}

constexpr std::array<std::string_view, 4> kClaimCounts{"claims_per_member_per_day", "failed_per_member_per_day",
                                                       "claims_per_address_per_day", "claims_per_terminal_per_day"};

ClaimHarvestingWatch read_claims(Reader& reader) {
    ClaimHarvestingWatch watch;
    watch.action = read_action(reader);
    watch.claims_per_member_per_day = optional_bound(reader, kClaimCounts[0], kClaimsPerDayMax);
    watch.failed_per_member_per_day = optional_bound(reader, kClaimCounts[1], kClaimsPerDayMax);
    watch.claims_per_address_per_day = optional_bound(reader, kClaimCounts[2], kClaimsPerDayMax);
    watch.claims_per_terminal_per_day = optional_bound(reader, kClaimCounts[3], kClaimsPerDayMax);
    if (std::ranges::none_of(kClaimCounts, [&](std::string_view key) { return reader.find(key) != nullptr; })) {
        reader.problem(reader.path(),
                       "give one or more of claims_per_member_per_day, failed_per_member_per_day,"
                       " claims_per_address_per_day and claims_per_terminal_per_day",
                       reason(ReasonKind::kAtLeastOne));
    }
    return watch;
}

TerminalOutlierWatch read_outlier(Reader& reader) {
    TerminalOutlierWatch watch;
    watch.action = read_action(reader);
    if (watch.action != FraudAction::kFlag) {
        reader.problem(reader.field("action"), "must be flag: a till's signal holds no member's points");
    }
    watch.times_usual = static_cast<int>(bounded(reader, "times_usual", 2, kOutlierTimesMax));
    if (reader.find("points_min") != nullptr) watch.points_min = bounded(reader, "points_min", 1, kFraudPointsMax);
    if (reader.find("cashback_min") != nullptr) {
        watch.cashback_min = bounded(reader, "cashback_min", 1, kFraudCashbackMax);
    }
    if (reader.find("history_days") != nullptr) {
        watch.history_days = static_cast<int>(bounded(reader, "history_days", 1, kOutlierHistoryDaysMax));
    }
    if (reader.find("points_min") == nullptr && reader.find("cashback_min") == nullptr) {
        reader.problem(reader.path(), "give points_min, cashback_min or both", reason(ReasonKind::kAtLeastOne));
    }
    return watch;
}

// The day of an instant in UTC, as a window's key ("2026-12-03").
std::string day_key(Timestamp at) { return format_utc(at, TimeFormat::kRfc3339).substr(0, 10); }

// The hour of an instant in UTC, as a window's key ("2026-12-03T14").
std::string hour_key(Timestamp at) { return format_utc(at, TimeFormat::kRfc3339).substr(0, 13); }

}  // namespace

std::string card_last_four(const std::string& card) { return card.size() > 4 ? card.substr(card.size() - 4) : card; }

std::string_view to_string(FraudKind kind) { return name_of(kKinds, kind); }
std::optional<FraudKind> parse_fraud_kind(std::string_view name) {
    const json value = std::string(name);
    return lookup(kKinds, &value);
}
std::string_view to_string(FraudAction action) { return name_of(kActions, action); }
std::optional<FraudAction> parse_fraud_action(std::string_view name) {
    const json value = std::string(name);
    return lookup(kActions, &value);
}
std::string_view to_string(FraudSignalState state) { return name_of(kStates, state); }
std::optional<FraudSignalState> parse_fraud_signal_state(std::string_view name) {
    const json value = std::string(name);
    return lookup(kStates, &value);
}
std::string_view to_string(FraudDecision decision) { return name_of(kDecisions, decision); }

Result<FraudPolicy> decode_fraud_policy(const json& document) {
    std::vector<Error> problems;
    Reader reader(document, "", problems);
    FraudPolicy policy;
    if (!reader.is_object({"card_velocity", "redemption_after_enrolment", "return_cycling", "spent_points_returned",
                           "staff_adjustment", "claim_harvesting", "terminal_outlier"})) {
        return std::unexpected(all_problems(problems));
    }
    if (auto velocity = reader.child("card_velocity", {"action", "purchases_per_hour", "other_store_minutes"})) {
        policy.card_velocity = read_velocity(*velocity);
    }
    if (auto enrolment = reader.child("redemption_after_enrolment", {"action", "within_hours"})) {
        policy.redemption_after_enrolment = read_enrolment(*enrolment);
    }
    if (auto cycling = reader.child("return_cycling", {"action", "returns", "days"})) {
        policy.return_cycling = ReturnCyclingWatch{
            read_action(*cycling), static_cast<int>(bounded(*cycling, "returns", 1, kCyclingReturnsMax)),
            static_cast<int>(bounded(*cycling, "days", 1, kCyclingDaysMax))};
    }
    if (auto spent = reader.child("spent_points_returned", {"action", "points_min"})) {
        policy.spent_points_returned =
            SpentReturnWatch{read_action(*spent), bounded(*spent, "points_min", 1, kFraudPointsMax)};
    }
    if (auto adjustments = reader.child("staff_adjustment", {"action", "points_over", "per_user_per_day"})) {
        policy.staff_adjustment = read_adjustments(*adjustments);
    }
    if (auto claims = reader.child("claim_harvesting",
                                   {"action", kClaimCounts[0], kClaimCounts[1], kClaimCounts[2], kClaimCounts[3]})) {
        policy.claim_harvesting = read_claims(*claims);
    }
    if (auto outlier =
            reader.child("terminal_outlier", {"action", "times_usual", "points_min", "cashback_min", "history_days"})) {
        policy.terminal_outlier = read_outlier(*outlier);
    }
    if (!problems.empty()) return std::unexpected(all_problems(problems));
    return policy;
}

json encode_fraud_policy(const FraudPolicy& policy) {
    json document = json::object();
    if (const auto& watch = policy.card_velocity) {
        json entry{{"action", to_string(watch->action)}};
        if (watch->purchases_per_hour > 0) entry["purchases_per_hour"] = watch->purchases_per_hour;
        if (watch->other_store_minutes > 0) entry["other_store_minutes"] = watch->other_store_minutes;
        document["card_velocity"] = std::move(entry);
    }
    if (const auto& watch = policy.redemption_after_enrolment) {
        document["redemption_after_enrolment"] =
            json{{"action", to_string(watch->action)}, {"within_hours", watch->within_hours}};
    }
    if (const auto& watch = policy.return_cycling) {
        document["return_cycling"] =
            json{{"action", to_string(watch->action)}, {"returns", watch->returns}, {"days", watch->days}};
    }
    if (const auto& watch = policy.spent_points_returned) {
        document["spent_points_returned"] =
            json{{"action", to_string(watch->action)}, {"points_min", watch->points_min}};
    }
    if (const auto& watch = policy.staff_adjustment) {
        json entry{{"action", to_string(watch->action)}};
        if (watch->points_over > 0) entry["points_over"] = watch->points_over;
        if (watch->per_user_per_day > 0) entry["per_user_per_day"] = watch->per_user_per_day;
        document["staff_adjustment"] = std::move(entry);
    }
    if (const auto& watch = policy.claim_harvesting) {
        json entry{{"action", to_string(watch->action)}};
        const std::array<int, 4> counts{watch->claims_per_member_per_day, watch->failed_per_member_per_day,
                                        watch->claims_per_address_per_day, watch->claims_per_terminal_per_day};
        for (std::size_t i = 0; i < counts.size(); ++i) {
            if (counts[i] > 0) entry[std::string(kClaimCounts[i])] = counts[i];
        }
        document["claim_harvesting"] = std::move(entry);
    }
    if (const auto& watch = policy.terminal_outlier) {
        json entry{{"action", to_string(watch->action)},
                   {"times_usual", watch->times_usual},
                   {"history_days", watch->history_days}};
        if (watch->points_min > 0) entry["points_min"] = watch->points_min;
        if (watch->cashback_min > 0) entry["cashback_min"] = watch->cashback_min;
        document["terminal_outlier"] = std::move(entry);
    }
    return document;
}

Result<FraudPolicy> parse_stored_fraud_policy(std::string_view text, int version) {
    if (text.empty()) return FraudPolicy{.version = version};
    const json document = json::parse(text, nullptr, false);
    auto policy = document.is_discarded() ? fail(ErrorCode::kInternal, "the stored fraud policy is not JSON")
                                          : decode_fraud_policy(document);
    if (policy) policy->version = version;
    return policy;
}

std::optional<SignalDraft> card_velocity_signal(const CardVelocityWatch& watch, const CardUse& use) {
    const bool busy = watch.purchases_per_hour > 0 && use.purchases_last_hour >= watch.purchases_per_hour;
    const bool elsewhere = watch.other_store_minutes > 0 && use.elsewhere.has_value();
    if (!busy && !elsewhere) return std::nullopt;
    SignalDraft draft{FraudKind::kCardVelocity, "card:" + use.card + ":" + hour_key(use.received_at), watch.action,
                      json{{"card_last4", card_last_four(use.card)},
                           {"purchase_id", use.purchase_id},
                           {"store", use.store},
                           {"pos_time", format_utc(use.pos_time, TimeFormat::kRfc3339)}}};
    if (busy) {
        draft.evidence["purchases_last_hour"] = use.purchases_last_hour;
        draft.evidence["purchases_per_hour"] = watch.purchases_per_hour;
    }
    if (elsewhere) {
        const auto apart = std::chrono::abs(use.pos_time - use.elsewhere->pos_time);
        draft.evidence["other_store"] =
            json{{"purchase_id", use.elsewhere->purchase_id},
                 {"store", use.elsewhere->store},
                 {"pos_time", format_utc(use.elsewhere->pos_time, TimeFormat::kRfc3339)},
                 {"minutes_apart", std::chrono::duration_cast<std::chrono::minutes>(apart).count()},
                 {"other_store_minutes", watch.other_store_minutes}};
    }
    return draft;
}

std::optional<SignalDraft> enrolment_redemption_signal(const EnrolmentRedemptionWatch& watch, const EarlySpend& spend) {
    if (spend.points_redeemed <= 0 && spend.cashback_spent <= 0) return std::nullopt;
    const auto since = spend.at - spend.enrolled_at;
    if (since >= std::chrono::hours(watch.within_hours)) return std::nullopt;
    return SignalDraft{
        FraudKind::kRedemptionAfterEnrolment, "member:" + std::to_string(spend.member_id), watch.action,
        json{{"purchase_id", spend.purchase_id},
             {"enrolled_at", format_utc(spend.enrolled_at, TimeFormat::kRfc3339)},
             {"minutes_after_enrolment",
              std::chrono::duration_cast<std::chrono::minutes>(std::max(since, decltype(since){})).count()},
             {"within_hours", watch.within_hours},
             {"points_redeemed", spend.points_redeemed},
             {"cashback_spent", spend.cashback_spent}}};
}

std::optional<SignalDraft> return_cycling_signal(const ReturnCyclingWatch& watch, const MemberReturn& taken) {
    if (taken.points_taken_back <= 0 || taken.returns_in_window < watch.returns) return std::nullopt;
    return SignalDraft{FraudKind::kReturnCycling,
                       "member:" + std::to_string(taken.member_id) + ":" + day_key(taken.received_at), watch.action,
                       json{{"return_id", taken.return_id},
                            {"purchase_id", taken.original_id},
                            {"void", taken.is_void},
                            {"points_taken_back", taken.points_taken_back},
                            {"returns_in_window", taken.returns_in_window},
                            {"returns", watch.returns},
                            {"days", watch.days}}};
}

std::optional<SignalDraft> spent_points_signal(const SpentReturnWatch& watch, const MemberReturn& taken) {
    if (taken.points_already_spent < watch.points_min) return std::nullopt;
    return SignalDraft{FraudKind::kSpentPointsReturned, "return:" + std::to_string(taken.return_id), watch.action,
                       json{{"return_id", taken.return_id},
                            {"purchase_id", taken.original_id},
                            {"void", taken.is_void},
                            {"points_taken_back", taken.points_taken_back},
                            {"points_already_spent", taken.points_already_spent},
                            {"points_min", watch.points_min}}};
}

std::vector<SignalDraft> staff_adjustment_signals(const StaffAdjustmentWatch& watch,
                                                  const StaffAdjustment& adjustment) {
    std::vector<SignalDraft> drafts;
    const json evidence{{"at", format_utc(adjustment.at, TimeFormat::kRfc3339)},
                        {"points", adjustment.points},
                        {"staff", adjustment.staff},
                        {"staff_user_id", adjustment.staff_user_id ? json(*adjustment.staff_user_id) : json(nullptr)}};
    if (watch.points_over > 0 && adjustment.points > watch.points_over) {
        SignalDraft draft{FraudKind::kStaffAdjustment,
                          "adjustment:" + std::to_string(adjustment.member_id) + ":" +
                              format_utc(adjustment.at, TimeFormat::kRfc3339),
                          watch.action, evidence};
        draft.evidence["points_over"] = watch.points_over;
        drafts.push_back(std::move(draft));
    }
    if (watch.per_user_per_day > 0 && adjustment.by_staff_today >= watch.per_user_per_day) {
        const std::string who = adjustment.staff_user_id ? std::to_string(*adjustment.staff_user_id) : adjustment.staff;
        SignalDraft draft{FraudKind::kStaffAdjustment, "staff:" + who + ":" + day_key(adjustment.at), watch.action,
                          evidence};
        draft.evidence["adjustments_today"] = adjustment.by_staff_today;
        draft.evidence["per_user_per_day"] = watch.per_user_per_day;
        drafts.push_back(std::move(draft));
    }
    return drafts;
}

std::vector<SignalDraft> claim_harvesting_signals(const ClaimHarvestingWatch& watch, const ReceiptClaim& claim) {
    std::vector<SignalDraft> drafts;
    const std::string day = day_key(claim.at);
    const auto raise = [&](std::string_view subject, std::string key, long long counted, int threshold) {
        if (threshold <= 0 || counted < threshold) return;
        json evidence{{"subject", subject}, {"claims", counted}, {"threshold", threshold}};
        if (claim.purchase_id) {
            evidence["purchase_id"] = *claim.purchase_id;
            evidence["store"] = claim.store;
            evidence["terminal"] = claim.terminal;
        }
        if (subject == "address") evidence["address_digest"] = claim.address->substr(0, 8);
        drafts.push_back(
            SignalDraft{FraudKind::kClaimHarvesting, std::move(key) + ":" + day, watch.action, std::move(evidence)});
    };
    // An address's or a till's signal is about the member whose claim reached the count: each
    // member claiming from there beyond it is signalled, once a day, and only her points are held.
    const std::string member = std::to_string(claim.member_id);
    if (claim.purchase_id) {
        raise("member", "member:" + member, claim.member_claims, watch.claims_per_member_per_day);
        raise("terminal", "till:" + std::to_string(claim.store_id) + ":" + claim.terminal + ":" + member,
              claim.terminal_claims, watch.claims_per_terminal_per_day);
    } else {
        raise("failed", "failed:" + member, claim.member_failures, watch.failed_per_member_per_day);
    }
    if (claim.address) {
        raise("address", "address:" + claim.address->substr(0, 8) + ":" + member, claim.address_claims,
              watch.claims_per_address_per_day);
    }
    return drafts;
}

std::optional<SignalDraft> terminal_outlier_signal(const TerminalOutlierWatch& watch, const TillHour& hour) {
    const long long hours = std::max(hour.history_hours, 1LL);
    const std::int64_t usual_points = hour.history_points / hours;
    const std::int64_t usual_cashback = hour.history_cashback / hours;
    // More than times_usual times the usual hour (history / hours), exactly and without overflow.
    const auto above = [&](std::int64_t amount, std::int64_t minimum, std::int64_t history) {
        if (minimum <= 0 || amount < minimum) return false;
        return hour.history_hours == 0 ||
               static_cast<__int128>(amount) * hour.history_hours > static_cast<__int128>(watch.times_usual) * history;
    };
    json over = json::array();
    if (above(hour.points, watch.points_min, hour.history_points)) over.push_back("points");
    if (above(hour.cashback, watch.cashback_min, hour.history_cashback)) over.push_back("cashback");
    if (over.empty()) return std::nullopt;
    json evidence{{"store", hour.store},
                  {"terminal", hour.terminal},
                  {"from", format_utc(hour.until - std::chrono::hours(1), TimeFormat::kRfc3339)},
                  {"until", format_utc(hour.until, TimeFormat::kRfc3339)},
                  {"purchases", hour.purchases},
                  {"points", hour.points},
                  {"cashback", hour.cashback},
                  {"usual_points_per_hour", usual_points},
                  {"usual_cashback_per_hour", usual_cashback},
                  {"history_hours", hour.history_hours},
                  {"history_days", watch.history_days},
                  {"times_usual", watch.times_usual},
                  {"over", std::move(over)}};
    if (watch.points_min > 0) evidence["points_min"] = watch.points_min;
    if (watch.cashback_min > 0) evidence["cashback_min"] = watch.cashback_min;
    return SignalDraft{FraudKind::kTerminalOutlier,
                       "till:" + std::to_string(hour.store_id) + ":" + hour.terminal + ":" + hour_key(hour.until),
                       FraudAction::kFlag, std::move(evidence)};
}

SignalDraft trigger_signal(const TriggerFiring& firing) {
    return SignalDraft{
        FraudKind::kTrigger,
        "trigger:" + std::to_string(firing.trigger_id) + ":" + std::to_string(firing.member_id) + ":" + firing.window,
        firing.policy, json{{"trigger_id", firing.trigger_id}, {"trigger", firing.name}, {"window", firing.window}}};
}

Result<FraudReview> decode_fraud_review(const json& document) {
    std::vector<Error> problems;
    Reader reader(document, "", problems);
    FraudReview review;
    if (!reader.is_object({"decision", "note"})) return std::unexpected(all_problems(problems));
    if (const auto decision = lookup(kDecisions, reader.find("decision"))) {
        review.decision = *decision;
    } else {
        reader.problem("decision", "must be release, confirm or dismiss", reason(ReasonKind::kOneOf));
    }
    if (const json* note = reader.find("note"); note != nullptr) {
        if (!note->is_string() || code_points(note->get_ref<const std::string&>()) > kFraudNoteMax) {
            reader.problem("note", "must be a text of at most " + std::to_string(kFraudNoteMax) + " characters",
                           reason(ReasonKind::kTextLength, {}, static_cast<std::int64_t>(kFraudNoteMax)));
        } else {
            review.note = note->get<std::string>();
        }
    }
    if (!problems.empty()) return std::unexpected(all_problems(problems));
    return review;
}

FraudSignalState state_after(FraudDecision decision) {
    switch (decision) {
        case FraudDecision::kRelease:
            return FraudSignalState::kReleased;
        case FraudDecision::kConfirm:
            return FraudSignalState::kConfirmed;
        case FraudDecision::kDismiss:
            return FraudSignalState::kDismissed;
    }
    return FraudSignalState::kReleased;
}

}  // namespace patron::core
