// What Patron holds about one member besides the sealed profile, the consents and the feedback
// comments, read for a right-of-access export: a section per table with a row about the member,
// each row named by its columns (the export shows them as stored). Columns that are secrets or
// say nothing about the member are left out, each named with the reason in
// member_records_store.cpp. Every section is read whole into memory, one query each, in the
// caller's transaction: nothing pages, so a member with many purchases makes a large export.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace soci {
class session;
}

namespace patron::store {

// A column's value as the database gave it: NULL (monostate), a whole number or text (times
// are RFC 3339 text).
using ColumnValue = std::variant<std::monostate, long long, unsigned long long, std::string>;
// A row's columns by name, in the order the query selects them.
using RecordRow = std::vector<std::pair<std::string, ColumnValue>>;

// Each section in a stable order (by id, or by the table's key where it has no id).
struct MemberRecords {
    // The member's record and what stands for it.
    std::vector<RecordRow> cards;
    std::vector<RecordRow> lookups;         // Which blind indexes find the member: phone, email.
    std::vector<RecordRow> merged_members;  // Records of the same person merged into this one.
    std::vector<RecordRow> consent_history;  // Each consent given or withdrawn, when and by whom.
    std::optional<RecordRow> account;
    // Points, cashback and stamps.
    std::vector<RecordRow> point_lots;
    std::vector<RecordRow> point_lot_uses;  // Which transfer took how many points from each lot.
    std::vector<RecordRow> ledger_entries;
    std::vector<RecordRow> rule_usage;  // What each limited rule gave per day and month.
    std::vector<RecordRow> cashback_entries;
    std::vector<RecordRow> reward_days;  // The Rewards report's sums per day, rule and store.
    std::vector<RecordRow> stamp_progress;
    std::vector<RecordRow> stamp_events;
    std::vector<RecordRow> stamp_rewards;
    // Coupons assigned to the member, and every coupon the member redeemed.
    std::vector<RecordRow> coupon_codes;
    std::vector<RecordRow> coupon_redemptions;
    // At the till.
    std::vector<RecordRow> purchases;  // Returns and voids too.
    std::vector<RecordRow> purchase_lines;
    std::vector<RecordRow> return_lines;
    std::vector<RecordRow> line_points;             // The points each line of a purchase earned, by lot.
    std::vector<RecordRow> cashback_line_earnings;  // The cashback each line of a purchase earned.
    std::vector<RecordRow> quote_holds;
    std::vector<RecordRow> claim_failures;  // Receipts the member failed to claim in the portal.
    std::vector<RecordRow> tier_history;
    // Signing in to the portal.
    std::optional<RecordRow> password;     // When it was set; absent: never.
    std::vector<RecordRow> sign_in_codes;  // One-time codes sent.
    std::vector<RecordRow> sessions;
    // What the insight refresh and the campaigns worked out about the member.
    std::optional<RecordRow> scores;
    std::vector<RecordRow> segments;
    std::vector<RecordRow> campaign_exposures;
    std::vector<RecordRow> messages;  // What Patron told her (member_messages), without the event's data.
    std::vector<RecordRow> trigger_firings;  // Which marketers' triggers acted on her, and what they did.
    std::vector<RecordRow> segment_additions;  // Segments a trigger added her to, and until when.
    // Referrals: her code, the friends she invited and her own referral (the other member of each
    // left out: a friend's or a referrer's id is theirs, not hers).
    std::optional<RecordRow> referral_code;
    std::vector<RecordRow> invitations;
    std::vector<RecordRow> referred_by;
    // Prize draws: her entries (by purchase or code), the packaging codes she entered, and in the
    // draws run her entrant reference and the places she holds.
    std::vector<RecordRow> draw_entries;
    std::vector<RecordRow> draw_codes;
    std::vector<RecordRow> draw_entrants;
    std::vector<RecordRow> draw_places;
    // The audit entries about the member.
    std::vector<RecordRow> audit;
};

MemberRecords member_records(soci::session& sql, long long program_id, long long member_id);

// The records merged into the member, directly or through a record merged into one of them (a
// merge moves cards, lots, purchases and coupons but leaves the ledger's and the cashback's
// entries, the audit entries and the consents' history on the record merged in), by id, at most
// `limit` of them.
std::vector<long long> records_merged_into(soci::session& sql, long long member_id, std::size_t limit);

}  // namespace patron::store
