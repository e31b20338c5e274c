// Every use case of Patron, wired once from what they share (the database, the key ring, the clock,
// the random source, the notifier). patrond's main, the route-table test and the test world all
// build this one struct, so a new use case is wired in one place. (patronctl's commands each build
// the one or two use cases they run.)
#pragma once

#include <vector>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/access/audit_log_service.h"
#include "loyalty/service/access/staff_account_service.h"
#include "loyalty/service/access/terminal_service.h"
#include "loyalty/service/access/write_once_service.h"
#include "loyalty/service/events/member_message_service.h"
#include "loyalty/service/events/trigger_service.h"
#include "loyalty/service/events/webhook_service.h"
#include "loyalty/service/fraud/fraud_service.h"
#include "loyalty/service/insight/effectiveness_report_service.h"
#include "loyalty/service/insight/feedback_links.h"
#include "loyalty/service/insight/feedback_report_service.h"
#include "loyalty/service/insight/feedback_service.h"
#include "loyalty/service/insight/insight_service.h"
#include "loyalty/service/insight/ledger_day_rollup.h"
#include "loyalty/service/insight/members_report_service.h"
#include "loyalty/service/insight/points_report_service.h"
#include "loyalty/service/insight/rewards_report_service.h"
#include "loyalty/service/insight/segment_service.h"
#include "loyalty/service/members/card_service.h"
#include "loyalty/service/members/member_merge_service.h"
#include "loyalty/service/members/member_privacy_service.h"
#include "loyalty/service/members/member_service.h"
#include "loyalty/service/members/member_sign_in_service.h"
#include "loyalty/service/members/points_adjustment_service.h"
#include "loyalty/service/members/referral_service.h"
#include "loyalty/service/pos/batch_answer_service.h"
#include "loyalty/service/pos/batch_service.h"
#include "loyalty/service/pos/pos_housekeeping_service.h"
#include "loyalty/service/pos/purchase_service.h"
#include "loyalty/service/pos/receipt_gap_service.h"
#include "loyalty/service/pos/return_service.h"
#include "loyalty/service/program/backtest_service.h"
#include "loyalty/service/program/coupon_campaign_service.h"
#include "loyalty/service/program/draw_service.h"
#include "loyalty/service/program/points_maintenance_service.h"
#include "loyalty/service/program/program_service.h"
#include "loyalty/service/program/program_settings_service.h"
#include "loyalty/service/program/rule_service.h"
#include "loyalty/service/program/tier_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/service/runtime/notifier.h"
#include "loyalty/service/runtime/readiness.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/db/migrations.h"

namespace patron::service {

// What the use cases share; the caller owns each of them and keeps them alive longer than Services.
struct Shared {
    store::Database& database;
    const crypto::KeyRing& keys;
    const Clock& clock;
    crypto::RandomSource& random;
    Notifier& notifier;
    std::vector<store::Migration> migrations;  // What readiness compares the schema with.
    std::string public_url;                    // Where customers reach patrond; empty: links are paths.
};

struct Services {
    explicit Services(const Shared& shared);
    Services(const Services&) = delete;
    Services& operator=(const Services&) = delete;

    // Access: who may call.
    AccessService access;
    StaffAccountService staff;
    TerminalService terminals;
    AuditLogService audit_log;
    WriteOnceService write_once;  // Staff and member writes with an Idempotency-Key.
    // Members and their cards.
    MemberService members;
    MemberPrivacyService privacy;
    MemberMergeService merges;
    PointsAdjustmentService adjustments;
    CardService cards;
    MemberSignInService member_sign_in;
    // The till (a purchase's answer carries the signed link to rate it).
    FeedbackLinks feedback_links;
    PurchaseService purchases;
    ReturnService returns;
    ReceiptGapService receipt_gaps;
    BatchService batches;
    BatchAnswerService batch_answers;
    PosHousekeepingService pos_housekeeping;
    // The programme.
    ProgramService programs;
    ProgramSettingsService settings;
    RuleService rules;
    TierService tiers;
    CouponCampaignService coupons;
    PointsMaintenanceService maintenance;
    // Insight: reports, the daily totals and sums they read, feedback, member scores, segments, backtests of
    // drafts and hold-outs' effectiveness.
    PointsReportService reports;
    MembersReportService members_report;
    LedgerDayRollup ledger_days;
    LedgerDayRollup reward_days;  // What each rule gave per day, store and member.
    FeedbackService feedback;
    FeedbackReportService feedback_reports;
    InsightService insight;
    SegmentService segments;
    BacktestService backtests;  // Its jobs run on threads of their own, stopped (joined) when it is destroyed.
    RewardsReportService rewards_reports;
    EffectivenessReportService effectiveness_reports;
    // Events told to other systems: webhook subscriptions and their deliveries.
    WebhookService webhooks;
    // What members are told of it, through the notifier.
    MemberMessageService messages;
    // What marketers set to happen by itself when a member's activity meets a condition.
    TriggerService triggers;
    // The fraud policy and the review queue of the signals it raised.
    FraudService fraud;
    // Referrals: the programme's terms and each member's invitations (the till's side is posting's).
    ReferralService referrals;
    // Prize draws: campaigns, packaging codes, the verifiable draw (the till's entries are posting's).
    DrawService draws;
    // Running.
    Readiness readiness;
    const Clock& clock;
};

}  // namespace patron::service
