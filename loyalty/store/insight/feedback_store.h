// Answers to the post-purchase survey (purchase_feedback, one row per purchase): what is being
// rated, the answer with its comment sealed (never plaintext in SQL), the member's purchases still
// awaiting an answer, the report's per store and day tallies, and the comments page by page.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "loyalty/core/feedback_report.h"
#include "loyalty/core/member_scores.h"
#include "loyalty/core/time.h"
#include "loyalty/core/time_zone.h"

namespace soci {
class session;
}

namespace patron::store {

// The purchase a survey answer is about.
struct FeedbackSubject {
    long long purchase_id = 0;
    long long program_id = 0;
    long long store_id = 0;
    std::string store_code;
    std::string store_name;
    std::optional<long long> member_id;
    core::LocalDate business_day{};
    core::Timestamp received_at{};
    long long total = 0;
    std::string currency;
    bool answered = false;
};

// Only purchases (not returns or voids) are rated; nullopt for any other id.
std::optional<FeedbackSubject> find_feedback_subject(soci::session& sql, long long purchase_id);

struct FeedbackRow {
    long long purchase_id = 0;
    long long program_id = 0;
    long long store_id = 0;
    core::LocalDate visit_day{};
    std::string channel;  // "portal" or "link".
    std::optional<int> nps;
    std::optional<int> csat;
    std::optional<int> ces;
    crypto::Bytes comment_sealed;  // Empty: no comment.
    std::string master_key_id;     // The wrapping of the comment's data key (with a comment only).
    crypto::Bytes data_key_sealed;
};

// False when the purchase was rated already (a racing answer won).
bool insert_feedback(soci::session& sql, const FeedbackRow& row, core::Timestamp now);

// The member's purchases received at or after `since` that nobody has rated yet, newest first.
std::vector<FeedbackSubject> purchases_awaiting_feedback(soci::session& sql, long long member_id, core::Timestamp since,
                                                         int limit);

// Answers per store and visit day within [from, to].
// Which members' answers feedback_day_tallies counts, by the last refresh's materialised
// memberships: those of a rule-based segment, or of an RFM segment; grouped per RFM segment too.
struct FeedbackMembers {
    std::optional<long long> segment_id;
    std::optional<core::RfmSegment> rfm_segment;
    bool by_rfm_segment = false;
};
std::vector<core::FeedbackDayTally> feedback_day_tallies(soci::session& sql, long long program_id, core::LocalDate from,
                                                         core::LocalDate to, const FeedbackMembers& members = {});

// An answer as the comments list shows it, comment aside.
struct FeedbackEntry {
    long long purchase_id = 0;
    std::string store_code;
    core::LocalDate visit_day{};
    core::Timestamp answered_at{};
    std::optional<int> nps;
    std::optional<int> csat;
    std::optional<int> ces;
};

struct SealedComment {
    FeedbackEntry entry;
    crypto::Bytes comment_sealed;
    std::string master_key_id;
    crypto::Bytes data_key_sealed;
};

// Comments of answers with visit days in [from, to], newest answer first (by purchase id below
// `before_purchase_id` when it is not 0), at most `limit`.
std::vector<SealedComment> feedback_comments(soci::session& sql, long long program_id, core::LocalDate from,
                                             core::LocalDate to, const std::optional<long long>& store_id,
                                             long long before_purchase_id, int limit);

// Every answer about a purchase of the member (their right of access), oldest purchase first;
// comment_sealed is empty for an answer without a comment, or once the comment was erased.
std::vector<SealedComment> member_feedback(soci::session& sql, long long member_id);

// Deletes the comments (and their data keys) on every purchase of the member; the scores stay.
// How many comments went.
long long erase_member_feedback_comments(soci::session& sql, long long member_id);

}  // namespace patron::store
