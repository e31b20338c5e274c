// Fraud signals (core/fraud.h) and the programme's fraud policy as the database keeps them: the
// policy beside the programme's other settings (its version raises the settings version, which
// tills' cached settings follow), each signal once per subject and window, the cards it blocked, the
// account hold that sends a member's new points into held lots, and what a review undoes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/fraud.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

// The programme's fraud policy as stored, with its version (version 0 and nothing watched when none
// was set); INTERNAL when the stored document no longer parses.
core::Result<core::FraudPolicy> find_fraud_policy(soci::session& sql, long long program_id);
// Stores the document (compact JSON) as the next version, raising the settings version; the version.
int store_fraud_policy(soci::session& sql, long long program_id, const std::string& document);

struct NewSignal {
    long long program_id = 0;
    std::optional<long long> member_id;
    std::optional<long long> purchase_id;
    core::SignalDraft draft;
};
// The new signal's id; nullopt when one of its kind was raised for its subject key already.
std::optional<long long> insert_signal(soci::session& sql, const NewSignal& signal, core::Timestamp now);

struct SignalRecord {
    long long id = 0;
    long long program_id = 0;
    core::FraudKind kind = core::FraudKind::kCardVelocity;
    std::optional<long long> member_id;
    std::optional<long long> purchase_id;
    core::FraudAction action = core::FraudAction::kFlag;
    core::FraudSignalState state = core::FraudSignalState::kOpen;
    std::string evidence;  // JSON text.
    core::Timestamp raised_at{};
    std::optional<core::Timestamp> reviewed_at;
    std::string reviewed_by;
    std::string review_note;
    long long points_forfeited = 0;
    long long points_held = 0;  // In lots the signal holds now.
    std::vector<std::string> blocked_cards;
};
std::optional<SignalRecord> find_signal(soci::session& sql, long long program_id, long long id, bool for_update);

struct SignalQuery {
    long long program_id = 0;
    std::optional<core::FraudSignalState> state;
    std::optional<core::FraudKind> kind;
    std::optional<long long> member_id;
    std::optional<long long> before_id;  // The page after the one that ended at this id (newest first).
    int limit = 50;
};
// Newest first, without points_held and blocked_cards (find_signal reads those).
std::vector<SignalRecord> list_signals(soci::session& sql, const SignalQuery& query);

// The member's new points go into lots held by the signal (unless another signal holds them already).
void hold_member_points(soci::session& sql, long long member_id, long long signal_id);
// Blocks the member's active cards for the signal; their numbers.
std::vector<std::string> block_member_cards(soci::session& sql, long long member_id, long long signal_id,
                                            core::Timestamp now);

// After the signal's review: her new points go into lots held by her newest other open signal that
// holds points, or into ordinary lots when none is left.
void end_member_hold(soci::session& sql, long long member_id, long long signal_id);
// Lets the signal's held lots go: they follow their own hold (pending_until) from now on, and
// their expiry moves on by as long as the review kept them past it (unannounced again), so that
// points released after a long review do not expire the moment they are hers.
void unhold_lots(soci::session& sql, long long signal_id, core::Timestamp now);
// The lots the signal holds with points left in them (id, remaining).
struct HeldLot {
    long long lot_id = 0;
    long long remaining = 0;
};
std::vector<HeldLot> held_lots(soci::session& sql, long long signal_id);
// Unblocks the cards the signal blocked that are blocked by it still (not those staff lost, closed
// or blocked again since, nor those another signal blocked after).
void unblock_cards(soci::session& sql, long long signal_id, core::Timestamp now);

struct SignalReview {
    core::FraudSignalState state = core::FraudSignalState::kReleased;
    std::string by;
    std::string note;
    long long points_forfeited = 0;
};
void record_review(soci::session& sql, long long signal_id, const SignalReview& review, core::Timestamp now);

// What the till's commit reads for card_velocity, a range of her last hour or day of purchases
// whatever her history: the card's purchases received within the hour up to `received_at`,
// counted up to the watch's purchases_per_hour; and, when the watch compares stores, the card's
// previous purchase received within the day before (not voided) if it was at another store less
// than other_store_minutes from `pos_time`.
struct CardActivity {
    long long purchases_last_hour = 0;
    std::optional<core::CardUse::Elsewhere> elsewhere;
};
CardActivity card_activity(soci::session& sql, long long member_id, const std::string& card, long long store_id,
                           long long purchase_id, core::Timestamp received_at, core::Timestamp pos_time,
                           const core::CardVelocityWatch& watch);

// The member's returns and voids of a receipt (not blind returns) that took points back, received
// from `since` up to `until`, counted up to `cap`: a range of her purchases in the window.
long long returns_taking_points(soci::session& sql, long long member_id, core::Timestamp since, core::Timestamp until,
                                int cap);
// The points adjustments the staff user (or, without an account, the token's name) made since
// `since`, as the audit log has them, counted up to `cap`.
long long adjustments_by(soci::session& sql, long long program_id, const std::optional<long long>& staff_user_id,
                         const std::string& staff, core::Timestamp since, int cap);

// A merge: the signals about `from` are about `into` now.
void move_fraud_signals(soci::session& sql, long long from, long long into);

}  // namespace patron::store
