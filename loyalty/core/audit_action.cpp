#include "loyalty/core/audit_action.h"

namespace patron::core {

std::string_view to_string(AuditAction action) {
    switch (action) {
        case AuditAction::kMemberEnrol:
            return "member.enrol";
        case AuditAction::kMemberUpdate:
            return "member.update";
        case AuditAction::kMemberExport:
            return "member.export";
        case AuditAction::kMemberErase:
            return "member.erase";
        case AuditAction::kMemberPassword:
            return "member.password";
        case AuditAction::kMemberMergeIn:
            return "member.merge_in";
        case AuditAction::kMemberMerged:
            return "member.merged";
        case AuditAction::kPointsAdjust:
            return "points.adjust";
        case AuditAction::kPurchaseClaim:
            return "purchase.claim";
        case AuditAction::kCardIssue:
            return "card.issue";
        case AuditAction::kCardPrimary:
            return "card.primary";
        case AuditAction::kCardActive:
            return "card.active";
        case AuditAction::kCardBlocked:
            return "card.blocked";
        case AuditAction::kCardLost:
            return "card.lost";
        case AuditAction::kCardClosed:
            return "card.closed";
        case AuditAction::kCardReplace:
            return "card.replace";
        case AuditAction::kCardRangeRegister:
            return "card_range.register";
        case AuditAction::kProgramSettings:
            return "program.settings";
        case AuditAction::kRulesDraft:
            return "rules.draft";
        case AuditAction::kRulesDiscardDraft:
            return "rules.discard_draft";
        case AuditAction::kRulesPublish:
            return "rules.publish";
        case AuditAction::kRulesRollback:
            return "rules.rollback";
        case AuditAction::kTiersSet:
            return "tiers.set";
        case AuditAction::kTiersRemove:
            return "tiers.remove";
        case AuditAction::kCouponCampaignCreate:
            return "coupon_campaign.create";
        case AuditAction::kCouponCampaignReplace:
            return "coupon_campaign.replace";
        case AuditAction::kCouponCampaignPublish:
            return "coupon_campaign.publish";
        case AuditAction::kCouponCampaignEnd:
            return "coupon_campaign.end";
        case AuditAction::kCouponCampaignCodes:
            return "coupon_campaign.codes";
        case AuditAction::kCouponCampaignIssue:
            return "coupon_campaign.issue";
        case AuditAction::kCouponCodeAssign:
            return "coupon_code.assign";
        case AuditAction::kSegmentCreate:
            return "segment.create";
        case AuditAction::kSegmentChange:
            return "segment.change";
        case AuditAction::kSegmentDelete:
            return "segment.delete";
        case AuditAction::kStoreRegister:
            return "store.register";
        case AuditAction::kTerminalRegister:
            return "terminal.register";
        case AuditAction::kTerminalRotateKey:
            return "terminal.rotate_key";
        case AuditAction::kTerminalRevokeKey:
            return "terminal.revoke_key";
        case AuditAction::kStaffCreate:
            return "staff.create";
        case AuditAction::kStaffUpdate:
            return "staff.update";
        case AuditAction::kWebhookCreate:
            return "webhook.create";
        case AuditAction::kWebhookChange:
            return "webhook.change";
        case AuditAction::kWebhookReplay:
            return "webhook.replay";
        case AuditAction::kWebhookDelete:
            return "webhook.delete";
        case AuditAction::kTriggerCreate:
            return "trigger.create";
        case AuditAction::kTriggerChange:
            return "trigger.change";
        case AuditAction::kFraudPolicyChange:
            return "fraud_policy.change";
        case AuditAction::kReferralTermsChange:
            return "referral_terms.change";
        case AuditAction::kDrawCreate:
            return "draw.create";
        case AuditAction::kDrawChange:
            return "draw.change";
        case AuditAction::kDrawPublish:
            return "draw.publish";
        case AuditAction::kDrawCancel:
            return "draw.cancel";
        case AuditAction::kDrawCodes:
            return "draw.codes";
        case AuditAction::kDrawCodesExport:
            return "draw.codes_export";
        case AuditAction::kDrawRun:
            return "draw.run";
        case AuditAction::kDrawPrizeHandOver:
            return "draw.prize_hand_over";
        case AuditAction::kFraudReview:
            return "fraud_signal.review";
    }
    return "unknown";
}

std::optional<AuditAction> parse_audit_action(std::string_view spelling) {
    for (const AuditAction action : kAuditActions) {
        if (to_string(action) == spelling) return action;
    }
    return std::nullopt;
}

AuditAction card_state_action(CardState state) {
    switch (state) {
        case CardState::kActive:
            return AuditAction::kCardActive;
        case CardState::kBlocked:
            return AuditAction::kCardBlocked;
        case CardState::kLost:
            return AuditAction::kCardLost;
        case CardState::kReplaced:
            return AuditAction::kCardReplace;
        case CardState::kClosed:
            break;
    }
    return AuditAction::kCardClosed;
}

}  // namespace patron::core
