// What the audit log says was done: every action staff (and members, in the portal) take that the
// log records, named here once, so that the writers and the list staff search by agree. The
// spellings ("points.adjust", ...) live only in to_string; the log's column and the API use them.
#pragma once

#include <array>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string_view>

#include "loyalty/core/card_state.h"

namespace patron::core {

enum class AuditAction {
    // Members and their cards (support, admin; a member in the portal for their own profile,
    // password, export, erasure and claims).
    kMemberEnrol,
    kMemberUpdate,
    kMemberExport,
    kMemberErase,
    kMemberPassword,
    kMemberMergeIn,  // On the survivor.
    kMemberMerged,   // On the member merged into it.
    kPointsAdjust,
    kPurchaseClaim,
    kCardIssue,
    kCardPrimary,
    kCardActive,  // A card's state set (card.<state>).
    kCardBlocked,
    kCardLost,
    kCardClosed,
    kCardReplace,
    kCardRangeRegister,
    // The programme (marketer, admin).
    kProgramSettings,
    kRulesDraft,
    kRulesDiscardDraft,
    kRulesPublish,
    kRulesRollback,
    kTiersSet,
    kTiersRemove,
    kCouponCampaignCreate,
    kCouponCampaignReplace,
    kCouponCampaignPublish,
    kCouponCampaignEnd,
    kCouponCampaignCodes,
    kCouponCampaignIssue,
    kCouponCodeAssign,
    kSegmentCreate,
    kSegmentChange,
    kSegmentDelete,
    // Stores, terminals and staff (admin).
    kStoreRegister,
    kTerminalRegister,
    kTerminalRotateKey,
    kTerminalRevokeKey,
    kStaffCreate,
    kStaffUpdate,
    // Webhooks (admin).
    kWebhookCreate,
    kWebhookChange,
    kWebhookReplay,
    kWebhookDelete,
    // Triggers (admin, marketer).
    kTriggerCreate,
    kTriggerChange,
    // Fraud: the policy (admin) and a signal's review (admin, support).
    kFraudPolicyChange,
    kFraudReview,
    // Referrals: the programme's terms (admin, marketer).
    kReferralTermsChange,
    // Prize draws (admin, marketer): a campaign made, changed, published, cancelled; packaging
    // codes made and exported; the draw run; a prize handed over.
    kDrawCreate,
    kDrawChange,
    kDrawPublish,
    kDrawCancel,
    kDrawCodes,
    kDrawCodesExport,
    kDrawRun,
    kDrawPrizeHandOver,
};

inline constexpr std::array kAuditActions{
    AuditAction::kMemberEnrol,
    AuditAction::kMemberUpdate,
    AuditAction::kMemberExport,
    AuditAction::kMemberErase,
    AuditAction::kMemberPassword,
    AuditAction::kMemberMergeIn,
    AuditAction::kMemberMerged,
    AuditAction::kPointsAdjust,
    AuditAction::kPurchaseClaim,
    AuditAction::kCardIssue,
    AuditAction::kCardPrimary,
    AuditAction::kCardActive,
    AuditAction::kCardBlocked,
    AuditAction::kCardLost,
    AuditAction::kCardClosed,
    AuditAction::kCardReplace,
    AuditAction::kCardRangeRegister,
    AuditAction::kProgramSettings,
    AuditAction::kRulesDraft,
    AuditAction::kRulesDiscardDraft,
    AuditAction::kRulesPublish,
    AuditAction::kRulesRollback,
    AuditAction::kTiersSet,
    AuditAction::kTiersRemove,
    AuditAction::kCouponCampaignCreate,
    AuditAction::kCouponCampaignReplace,
    AuditAction::kCouponCampaignPublish,
    AuditAction::kCouponCampaignEnd,
    AuditAction::kCouponCampaignCodes,
    AuditAction::kCouponCampaignIssue,
    AuditAction::kCouponCodeAssign,
    AuditAction::kSegmentCreate,
    AuditAction::kSegmentChange,
    AuditAction::kSegmentDelete,
    AuditAction::kStoreRegister,
    AuditAction::kTerminalRegister,
    AuditAction::kTerminalRotateKey,
    AuditAction::kTerminalRevokeKey,
    AuditAction::kStaffCreate,
    AuditAction::kStaffUpdate,
    AuditAction::kWebhookCreate,
    AuditAction::kWebhookChange,
    AuditAction::kWebhookReplay,
    AuditAction::kWebhookDelete,
    AuditAction::kTriggerCreate,
    AuditAction::kTriggerChange,
    AuditAction::kFraudPolicyChange,
    AuditAction::kFraudReview,
    AuditAction::kReferralTermsChange,
    AuditAction::kDrawCreate,
    AuditAction::kDrawChange,
    AuditAction::kDrawPublish,
    AuditAction::kDrawCancel,
    AuditAction::kDrawCodes,
    AuditAction::kDrawCodesExport,
    AuditAction::kDrawRun,
    AuditAction::kDrawPrizeHandOver,
};

std::string_view to_string(AuditAction action);
// Never as a JSON number: nlohmann would write an enum as its integer, so an answer must spell it
// with to_string (writing one straight into JSON does not compile).
void to_json(nlohmann::json&, AuditAction) = delete;

// The action spelled so (exactly, case included); nullopt for any other text.
std::optional<AuditAction> parse_audit_action(std::string_view spelling);

// Setting a card to `state` (a replacement is card.replace: no state change sets replaced).
AuditAction card_state_action(CardState state);

}  // namespace patron::core
