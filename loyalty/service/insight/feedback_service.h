// Post-purchase feedback: a member rates their own purchases from the portal, anyone holding a
// receipt rates its purchase through the signed link printed on it; once per purchase, within
// the programme's feedback window (feedback.answer_days, measured from when Patron received the
// purchase; 0 turns feedback off, links included). A purchase voided or returned since is still
// rated: the visit happened, and an unhappy visit is the one worth hearing. Staff read the
// comments, which analysts see masked (core/feedback_masking.h); admin and marketer see them
// whole. The report of the scores is feedback_report_service.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/error.h"
#include "loyalty/core/feedback.h"
#include "loyalty/core/report_query.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/insight/feedback_links.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/insight/feedback_store.h"

namespace patron::service {

inline constexpr int kFeedbackAwaitingMax = 50;
inline constexpr int kFeedbackCommentsPageDefault = 20;
inline constexpr int kFeedbackCommentsPageMax = 100;

// A purchase of the member's still awaiting an answer.
struct FeedbackPurchase {
    long long purchase_id = 0;
    std::string store_code;
    std::string store_name;
    core::LocalDate business_day{};
    core::Timestamp received_at{};
    long long total = 0;
    std::string currency;
    core::Timestamp answer_until{};
};

// What a feedback link rates, for the page that asks: no personal data and no amount.
struct FeedbackTopic {
    std::string store_code;
    std::string store_name;
    core::LocalDate business_day{};
    core::Timestamp answer_until{};
    bool answered = false;
};

struct FeedbackGiven {
    long long purchase_id = 0;
    core::Timestamp answered_at{};
};

struct FeedbackComment {
    store::FeedbackEntry entry;
    std::optional<std::string> comment;  // Absent when it no longer opens.
};

struct FeedbackCommentPage {
    core::ReportQuery query;  // The range and store the page is of.
    std::vector<FeedbackComment> comments;
    bool masked = false;                   // Contact details were masked for the caller's role.
    std::optional<long long> next_before;  // The cursor of the next page, when there may be one.
};

class FeedbackService {
  public:
    FeedbackService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                    crypto::RandomSource& random, const FeedbackLinks& links);

    core::Result<std::vector<FeedbackPurchase>> awaiting(const MemberIdentity& member);
    // Another member's purchase, or one that is no purchase, answers NOT_FOUND (never FORBIDDEN).
    core::Result<FeedbackGiven> answer_own(const MemberIdentity& member, long long purchase_id,
                                           const core::FeedbackAnswer& answer);

    core::Result<FeedbackTopic> topic(std::string_view token);
    core::Result<FeedbackGiven> answer_by_link(std::string_view token, const core::FeedbackAnswer& answer);

    // The comments of answers in the request's range (and store), as the report (feedback_report_service.h)
    // counts them: FORBIDDEN outside kReportReaders, VALIDATION_FAILED naming from, to or store; `before`
    // a purchase id from next_before (0: the newest).
    core::Result<FeedbackCommentPage> comments(const StaffIdentity& staff, const core::ReportRequest& request,
                                               long long before, int limit);

  private:
    core::Result<FeedbackGiven> record(long long purchase_id, std::optional<long long> member_id,
                                       std::optional<long long> program_id, const char* channel,
                                       const core::FeedbackAnswer& answer);

    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    crypto::RandomSource& random_;
    const FeedbackLinks& links_;
};

}  // namespace patron::service
