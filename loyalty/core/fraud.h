// Fraud signals (issue 21; OWASP API6, abuse of business flows). Pure: the programme's fraud
// policy (which patterns to watch, at what thresholds, and what to do on one) read from its JSON
// document with every problem by its path; whether the facts a till's operation read show a pattern,
// and the signal it raises then (its kind, the subject and window it is raised once for, what the
// policy does, its evidence); and what a reviewer's decision makes of an open signal. The service
// reads the facts, writes the signal and carries out the action in the operation's transaction.
//
// Policy document ({} watches nothing; each pattern is watched when present):
//   {"card_velocity": {"action": "flag" | "hold" | "block",
//                      "purchases_per_hour": N,      // a card used for N purchases within an hour
//                      "other_store_minutes": M},    // or at two stores less than M minutes apart
//    "redemption_after_enrolment": {"action": ..., "within_hours": H},  // points or cashback spent
//                                                                       // within H hours of joining
//    "return_cycling": {"action": ..., "returns": N, "days": D},   // her Nth return or void taking
//                                                                  // back points within D days
//    "spent_points_returned": {"action": ..., "points_min": P},    // a return taking back P or more
//                                                                  // points she had spent already
//    "staff_adjustment": {"action": ..., "points_over": P,         // a staff grant of more than P
//                         "per_user_per_day": N},                  // or a staff user's Nth in a day
//    "claim_harvesting": {"action": ...,                           // within 24 hours:
//                         "claims_per_member_per_day": N,          // the Nth receipt claimed for her,
//                         "failed_per_member_per_day": N,          // her Nth failed portal claim,
//                         "claims_per_address_per_day": N,         // the Nth portal claim from one
//                                                                  // network address,
//                         "claims_per_terminal_per_day": N},       // the Nth claimed receipt of a till
//    "terminal_outlier": {"action": "flag",                        // a till whose last hour gave
//                         "times_usual": K,                        // more than K times its usual
//                         "points_min": P, "cashback_min": C,      // hour, and P points or C cashback
//                         "history_days": D}}                      // at least (usual: over D days)
// flag: the signal is only recorded (and raised as an event). hold: the member's points from the
// operation on are held pending review; staff release them, or confirm the fraud and forfeit them.
// block: hold, and her active cards are blocked until the signal is released or dismissed. A
// till's signal is about no member: terminal_outlier only flags.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/time.h"

namespace patron::core {

enum class FraudKind {
    kCardVelocity,
    kRedemptionAfterEnrolment,
    kReturnCycling,
    kSpentPointsReturned,
    kStaffAdjustment,
    kClaimHarvesting,
    kTerminalOutlier,
    kTrigger,  // A marketer's trigger whose action is to raise one (triggers.h).
};
// "card_velocity", "redemption_after_enrolment", "return_cycling", "spent_points_returned",
// "staff_adjustment", "claim_harvesting", "terminal_outlier", "trigger"
std::string_view to_string(FraudKind kind);
std::optional<FraudKind> parse_fraud_kind(std::string_view name);

enum class FraudAction { kFlag, kHold, kBlock };
std::string_view to_string(FraudAction action);  // "flag", "hold", "block"
std::optional<FraudAction> parse_fraud_action(std::string_view name);
// Whether the action holds the member's points (hold and block do).
constexpr bool holds_points(FraudAction action) { return action != FraudAction::kFlag; }

enum class FraudSignalState { kOpen, kReleased, kConfirmed, kDismissed };
std::string_view to_string(FraudSignalState state);  // "open", "released", "confirmed", "dismissed"
std::optional<FraudSignalState> parse_fraud_signal_state(std::string_view name);

inline constexpr int kVelocityPurchasesMax = 1000;
inline constexpr int kOtherStoreMinutesMax = 24 * 60;
inline constexpr int kEnrolmentHoursMax = 24 * 366;
inline constexpr int kCyclingReturnsMax = 1000;
inline constexpr int kCyclingDaysMax = 366;
inline constexpr std::int64_t kFraudPointsMax = 1'000'000'000;
inline constexpr int kAdjustmentsPerDayMax = 10'000;
inline constexpr int kClaimsPerDayMax = 1'000'000;
inline constexpr int kOutlierTimesMax = 1000;
inline constexpr int kOutlierHistoryDaysMax = 90;
inline constexpr int kOutlierHistoryDaysDefault = 28;
inline constexpr std::int64_t kFraudCashbackMax = 1'000'000'000'000;  // Minor units.
inline constexpr std::size_t kFraudNoteMax = 500;

struct CardVelocityWatch {
    FraudAction action = FraudAction::kFlag;
    int purchases_per_hour = 0;   // 0: not counted.
    int other_store_minutes = 0;  // 0: stores not compared.
    bool operator==(const CardVelocityWatch&) const = default;
};

struct EnrolmentRedemptionWatch {
    FraudAction action = FraudAction::kFlag;
    int within_hours = 0;
    bool operator==(const EnrolmentRedemptionWatch&) const = default;
};

struct ReturnCyclingWatch {
    FraudAction action = FraudAction::kFlag;
    int returns = 0;
    int days = 0;
    bool operator==(const ReturnCyclingWatch&) const = default;
};

struct SpentReturnWatch {
    FraudAction action = FraudAction::kFlag;
    std::int64_t points_min = 0;
    bool operator==(const SpentReturnWatch&) const = default;
};

struct StaffAdjustmentWatch {
    FraudAction action = FraudAction::kFlag;
    std::int64_t points_over = 0;  // 0: grants not measured.
    int per_user_per_day = 0;      // 0: not counted.
    bool operator==(const StaffAdjustmentWatch&) const = default;
};

// Claims of receipts within 24 hours (0: that count is not watched).
struct ClaimHarvestingWatch {
    FraudAction action = FraudAction::kFlag;
    int claims_per_member_per_day = 0;    // Receipts credited to one member, by her or by staff.
    int failed_per_member_per_day = 0;    // Her failed portal claims.
    int claims_per_address_per_day = 0;   // Portal claims, credited or failed, from one address.
    int claims_per_terminal_per_day = 0;  // Receipts of one till credited by claims.
    bool operator==(const ClaimHarvestingWatch&) const = default;
};

// A till's last hour against its usual hour (0: that measure is not watched).
struct TerminalOutlierWatch {
    FraudAction action = FraudAction::kFlag;  // Always flag: a till's signal is about no member.
    int times_usual = 0;
    std::int64_t points_min = 0;
    std::int64_t cashback_min = 0;  // Minor units of the programme's currency.
    int history_days = kOutlierHistoryDaysDefault;
    bool operator==(const TerminalOutlierWatch&) const = default;
};

struct FraudPolicy {
    int version = 0;  // programs.fraud_policy_version; 0: none was ever set.
    std::optional<CardVelocityWatch> card_velocity = {};
    std::optional<EnrolmentRedemptionWatch> redemption_after_enrolment = {};
    std::optional<ReturnCyclingWatch> return_cycling = {};
    std::optional<SpentReturnWatch> spent_points_returned = {};
    std::optional<StaffAdjustmentWatch> staff_adjustment = {};
    std::optional<ClaimHarvestingWatch> claim_harvesting = {};
    std::optional<TerminalOutlierWatch> terminal_outlier = {};

    bool watches_nothing() const {
        return !card_velocity && !redemption_after_enrolment && !return_cycling && !spent_points_returned &&
               !staff_adjustment && !claim_harvesting && !terminal_outlier;
    }
};

// PUT /v1/fraud/policy: the document above, every problem at once by its path. No other field is
// taken, and no threshold outside its range (1 to the maximum above).
Result<FraudPolicy> decode_fraud_policy(const nlohmann::json& document);
// The document as GET /v1/fraud/policy answers it and the database keeps it (compact).
nlohmann::json encode_fraud_policy(const FraudPolicy& policy);
// The stored document read back (it was valid when stored); an empty text is the empty policy.
Result<FraudPolicy> parse_stored_fraud_policy(std::string_view text, int version);

// A signal to raise: its kind, the subject and window it is raised once for (the key), what the
// policy does, and the evidence staff review it by (ids, counts, times; never personal data).
struct SignalDraft {
    FraudKind kind = FraudKind::kCardVelocity;
    std::string subject_key;
    FraudAction action = FraudAction::kFlag;
    nlohmann::json evidence = nlohmann::json::object();
};

// How a signal names a card to those who review it (evidence, blocked cards): its last four
// digits, never the whole number (analysts read signals too).
std::string card_last_four(const std::string& card);

// A purchase made with a card, as the till's commit read it.
struct CardUse {
    long long member_id = 0;
    long long purchase_id = 0;
    std::string card;  // The number; the evidence keeps its last four digits only.
    std::string store;
    Timestamp pos_time{};
    Timestamp received_at{};
    std::int64_t purchases_last_hour = 0;  // With this card, received within the hour up to this one, it included.
    // The card's previous purchase, at another store and within the watch's minutes of this one.
    struct Elsewhere {
        long long purchase_id = 0;
        std::string store;
        Timestamp pos_time{};
    };
    std::optional<Elsewhere> elsewhere;
};
// card_velocity, raised once per card and hour of receipt ("card:<number>:2026-12-03T14").
std::optional<SignalDraft> card_velocity_signal(const CardVelocityWatch& watch, const CardUse& use);

// A purchase that spent points or cashback, by a member who joined at `enrolled_at`.
struct EarlySpend {
    long long member_id = 0;
    long long purchase_id = 0;
    Timestamp enrolled_at{};
    Timestamp at{};  // When the till's purchase was received.
    std::int64_t points_redeemed = 0;
    std::int64_t cashback_spent = 0;
};
// redemption_after_enrolment, raised once per member ("member:<id>").
std::optional<SignalDraft> enrolment_redemption_signal(const EnrolmentRedemptionWatch& watch, const EarlySpend& spend);

// A return or void that took points back from a member's purchase, as its commit read it.
struct MemberReturn {
    long long member_id = 0;
    long long return_id = 0;
    long long original_id = 0;
    bool is_void = false;
    Timestamp received_at{};
    std::int64_t points_taken_back = 0;     // From the purchase's lots and charged: what it had earned.
    std::int64_t points_already_spent = 0;  // Of those, what she had spent: charged to her other points or lost.
    // Her returns and voids that took points back, received within the watch's days up to this one
    // (it included), counted up to the watch's returns.
    std::int64_t returns_in_window = 0;
};
// return_cycling, raised once per member and UTC day of receipt ("member:<id>:2026-12-03").
std::optional<SignalDraft> return_cycling_signal(const ReturnCyclingWatch& watch, const MemberReturn& taken);
// spent_points_returned, raised once per return ("return:<id>").
std::optional<SignalDraft> spent_points_signal(const SpentReturnWatch& watch, const MemberReturn& taken);

// Points staff are adding to or taking from a member's balance (watched before they are posted, so
// that a grant the policy holds goes into a held lot).
struct StaffAdjustment {
    long long member_id = 0;
    std::string staff;                       // Who, as the audit log names them.
    std::optional<long long> staff_user_id;  // Their account, when one acted (a token's label otherwise).
    std::int64_t points = 0;                 // Signed.
    std::int64_t by_staff_today = 0;  // Their adjustments this UTC day, this one included, counted up to the watch's.
    Timestamp at{};
};
// staff_adjustment: a grant of more than points_over (once per adjustment: "adjustment:<member>:<its
// instant>", the member's account lock keeping two adjustments of hers apart),
// and a staff user's per_user_per_day-th adjustment of a UTC day (once per user and day,
// "staff:<user id or name>:2026-12-03"); none, one or both.
std::vector<SignalDraft> staff_adjustment_signals(const StaffAdjustmentWatch& watch, const StaffAdjustment& adjustment);

// A claim of a receipt by or for a member, credited or failed, with what the watch counted within
// the 24 hours up to it, this claim included (0 for a count not watched).
struct ReceiptClaim {
    long long member_id = 0;
    std::optional<long long> purchase_id;  // The purchase credited; none when the claim failed.
    long long store_id = 0;                // The credited receipt's till.
    std::string store;
    std::string terminal;
    std::optional<std::string> address;  // A portal claim's address, as a digest in hex (never the address).
    Timestamp at{};
    long long member_claims = 0;
    long long member_failures = 0;
    long long address_claims = 0;
    long long terminal_claims = 0;
};
// claim_harvesting, once per UTC day and subject: "member:<id>:<day>" (claims credited to her),
// "failed:<id>:<day>", "address:<short digest>:<id>:<day>" and "till:<store id>:<terminal>:<id>:<day>"
// (an address's and a till's, per member claiming there); none, one or several. The evidence and
// the key name an address by the digest's first 8 hex digits.
std::vector<SignalDraft> claim_harvesting_signals(const ClaimHarvestingWatch& watch, const ReceiptClaim& claim);

// What a till gave within the hour up to `until` (points earned and cashback credited by its
// purchases, as received), and its history: the hours with a purchase within the watch's days
// before that hour, and what they gave.
struct TillHour {
    long long store_id = 0;
    std::string store;  // Codes.
    std::string terminal;
    Timestamp until{};
    long long purchases = 0;
    std::int64_t points = 0;
    std::int64_t cashback = 0;
    long long history_hours = 0;
    std::int64_t history_points = 0;
    std::int64_t history_cashback = 0;
};
// terminal_outlier, once per till and UTC hour of `until` ("till:<store id>:<terminal>:2026-12-03T14"):
// points (or cashback) at least the minimum and more than times_usual times the usual hour (the
// history's per hour with a purchase; a till without history is measured by the minimum alone).
std::optional<SignalDraft> terminal_outlier_signal(const TerminalOutlierWatch& watch, const TillHour& hour);

// A trigger's firing for a member in a window (triggers.h), raised once per trigger, member and
// window ("trigger:<id>:<member>:<window>").
struct TriggerFiring {
    long long trigger_id = 0;
    std::string name;
    long long member_id = 0;
    std::string window;
    FraudAction policy = FraudAction::kFlag;
};
SignalDraft trigger_signal(const TriggerFiring& firing);

// A reviewer's decision on an open signal: release (let the held points go and unblock the cards
// it blocked: the activity was real), confirm (the fraud is real: the held points are forfeited,
// the cards stay blocked) or dismiss (a false alarm: as release).
enum class FraudDecision { kRelease, kConfirm, kDismiss };
std::string_view to_string(FraudDecision decision);  // "release", "confirm", "dismiss"
struct FraudReview {
    FraudDecision decision = FraudDecision::kRelease;
    std::string note;  // Why, up to kFraudNoteMax characters; may be empty.
};
// POST /v1/fraud/signals/{id}/review: {"decision": ..., "note": "..."}.
Result<FraudReview> decode_fraud_review(const nlohmann::json& document);
// The state a decision leaves a signal in.
FraudSignalState state_after(FraudDecision decision);

}  // namespace patron::core
