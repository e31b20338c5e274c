#include "loyalty/core/purchase_result.h"

#include "loyalty/core/json_fields.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/receipt_text.h"

namespace patron::core {

std::vector<std::string> receipt_lines_for(const PurchaseResult& result) {
    std::vector<std::string> lines;
    for (const Effect& effect : result.effects) lines.push_back(effect.receipt_line.str());
    if (result.member) {
        const Language language = result.language;
        lines.push_back(receipt_line(phrase(Phrase::kPointsBalance, language),
                                     localized_digits(std::to_string(result.points_available), language))
                            .str());
        if (result.points_pending > 0) {
            lines.push_back(receipt_line(phrase(Phrase::kPointsOnHold, language),
                                         localized_digits(std::to_string(result.points_pending), language))
                                .str());
        }
        if (result.cashback_balance != 0 || result.cashback_earned != 0 || result.cashback_spent != 0) {
            lines.push_back(receipt_line(phrase(Phrase::kCashbackBalance, language),
                                         money_text({result.cashback_balance, result.currency}, language))
                                .str());
        }
    }
    if (result.claim) lines.push_back(ReceiptLine(phrase(Phrase::kClaimWithCode, result.language)).str());
    if (result.feedback_invited) lines.push_back(ReceiptLine(phrase(Phrase::kRateYourVisit, result.language)).str());
    return lines;
}

std::string claim_code(const ClaimInvitation& invitation) {
    return json_text({{"patron", "receipt"},
                      {"store", invitation.key.store},
                      {"terminal", invitation.key.terminal},
                      {"business_day", format_date(invitation.key.business_day)},
                      {"receipt", invitation.key.receipt},
                      {"total", invitation.total}});
}

}  // namespace patron::core
