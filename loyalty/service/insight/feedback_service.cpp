#include "loyalty/service/insight/feedback_service.h"

#include <soci/soci.h>

#include "loyalty/core/feedback_masking.h"
#include "loyalty/service/insight/feedback_vault.h"
#include "loyalty/service/insight/report_scope.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/insight/feedback_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

core::Error no_such_purchase(const char* field) { return {ErrorCode::kNotFound, "no purchase to rate here", field}; }

}  // namespace

FeedbackService::FeedbackService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                                 crypto::RandomSource& random, const FeedbackLinks& links)
    : database_(database), keys_(keys), clock_(clock), random_(random), links_(links) {}

core::Result<std::vector<FeedbackPurchase>> FeedbackService::awaiting(const MemberIdentity& member) {
    using Purchases = std::vector<FeedbackPurchase>;
    return database_.run_for<Purchases>([&](soci::session& sql) -> core::Result<Purchases> {
        const std::chrono::seconds window = store::find_points_policy(sql, member.program_id).feedback_window;
        Purchases purchases;
        if (window.count() == 0) return purchases;
        const core::Timestamp now = clock_.now();
        for (const store::FeedbackSubject& subject :
             store::purchases_awaiting_feedback(sql, member.member_id, now - window, kFeedbackAwaitingMax)) {
            purchases.push_back({subject.purchase_id, subject.store_code, subject.store_name, subject.business_day,
                                 subject.received_at, subject.total, subject.currency, subject.received_at + window});
        }
        return purchases;
    });
}

core::Result<FeedbackGiven> FeedbackService::answer_own(const MemberIdentity& member, long long purchase_id,
                                                        const core::FeedbackAnswer& answer) {
    return record(purchase_id, member.member_id, member.program_id, "portal", answer);
}

core::Result<FeedbackTopic> FeedbackService::topic(std::string_view token) {
    const auto verified = links_.verify(token, clock_.now());
    if (!verified) return std::unexpected(verified.error());
    return database_.run_for<FeedbackTopic>([&](soci::session& sql) -> core::Result<FeedbackTopic> {
        const auto subject = store::find_feedback_subject(sql, verified->purchase_id);
        if (!subject) return std::unexpected(no_such_purchase("token"));
        const auto window = store::find_points_policy(sql, subject->program_id).feedback_window;
        return FeedbackTopic{subject->store_code, subject->store_name, subject->business_day,
                             std::min(subject->received_at + window, verified->expires_at), subject->answered};
    });
}

core::Result<FeedbackGiven> FeedbackService::answer_by_link(std::string_view token,
                                                            const core::FeedbackAnswer& answer) {
    const auto verified = links_.verify(token, clock_.now());
    if (!verified) return std::unexpected(verified.error());
    return record(verified->purchase_id, std::nullopt, std::nullopt, "link", answer);
}

core::Result<FeedbackGiven> FeedbackService::record(long long purchase_id, std::optional<long long> member_id,
                                                    std::optional<long long> program_id, const char* channel,
                                                    const core::FeedbackAnswer& answer) {
    const char* field = member_id ? "id" : "token";
    return database_.transact_for<FeedbackGiven>([&](soci::session& sql) -> core::Result<FeedbackGiven> {
        const auto subject = store::find_feedback_subject(sql, purchase_id);
        if (!subject || (program_id && subject->program_id != *program_id) ||
            (member_id && subject->member_id != member_id)) {
            return std::unexpected(no_such_purchase(field));
        }
        if (subject->answered) return fail(ErrorCode::kFeedbackAlreadyGiven, "this purchase was rated already", field);
        const core::Timestamp now = clock_.now();
        const auto window = store::find_points_policy(sql, subject->program_id).feedback_window;
        if (!core::feedback_window_open(subject->received_at, window, now)) {
            return fail(ErrorCode::kFeedbackWindowClosed,
                        window.count() == 0
                            ? "this programme does not ask for feedback"
                            : "purchases can be rated within " + std::to_string(window.count() / 86400) + " days",
                        field);
        }
        store::FeedbackRow row{purchase_id,
                               subject->program_id,
                               subject->store_id,
                               core::local_date(*program_time_zone(sql, subject->program_id), subject->received_at),
                               channel,
                               answer.nps,
                               answer.csat,
                               answer.ces,
                               {},
                               {},
                               {}};
        if (answer.comment) {
            SealedFeedbackComment sealed = seal_feedback_comment(keys_, purchase_id, *answer.comment, random_);
            row.comment_sealed = std::move(sealed.comment);
            row.master_key_id = std::move(sealed.data_key.master_key_id);
            row.data_key_sealed = std::move(sealed.data_key.sealed);
        }
        if (!store::insert_feedback(sql, row, now)) {
            return fail(ErrorCode::kFeedbackAlreadyGiven, "this purchase was rated already", field);
        }
        return FeedbackGiven{purchase_id, now};
    });
}

core::Result<FeedbackCommentPage> FeedbackService::comments(const StaffIdentity& staff,
                                                            const core::ReportRequest& request, long long before,
                                                            int limit) {
    if (auto allowed = check_report_reader(staff); !allowed) return std::unexpected(allowed.error());
    const bool masked = staff.role == core::StaffRole::kAnalyst;
    return database_.run_for<FeedbackCommentPage>([&](soci::session& sql) -> core::Result<FeedbackCommentPage> {
        const auto scope = settle_report_scope(sql, staff.program_id, request, clock_.now());
        if (!scope) return std::unexpected(scope.error());
        FeedbackCommentPage page;
        page.query = scope->query;
        page.masked = masked;
        const auto sealed = store::feedback_comments(sql, staff.program_id, scope->query.from, scope->query.to,
                                                     scope->store_id, before, limit);
        for (const store::SealedComment& row : sealed) {
            std::optional<std::string> text = open_feedback_comment(keys_, row);
            if (text && masked) text = core::mask_contact_details(*text);
            page.comments.push_back({row.entry, std::move(text)});
        }
        if (static_cast<int>(sealed.size()) == limit) page.next_before = sealed.back().entry.purchase_id;
        return page;
    });
}

}  // namespace patron::service
