#include "loyalty/service/posting/quote_holds.h"

#include <sstream>

#include "crypto/digest.h"

namespace patron::service {

crypto::Bytes basket_digest(const core::Purchase& purchase) {
    std::ostringstream basket;
    basket << purchase.card.value_or("") << '\n'
           << purchase.currency.code << '\n'
           << purchase.total << '\n'
           << purchase.redeem_points << '\n';
    for (const core::PurchaseLine& line : purchase.lines) {
        basket << line.line << '\t' << line.sku << '\t' << line.category << '\t' << line.quantity_milli << '\t'
               << line.unit_price << '\t' << line.amount << '\t' << line.discount << '\n';
    }
    return crypto::sha256(crypto::as_bytes(basket.str()));
}

NamedHold named_hold(const std::optional<store::QuoteHold>& found, long long store_id, long long member_id,
                     core::Timestamp now) {
    NamedHold named;
    if (!found || found->store_id != store_id) {
        named.reasons.emplace_back("the quote is unknown at this store (or too old)");
    } else if (found->member_id != member_id) {
        named.reasons.emplace_back("the quote was for another member");
    } else {
        named.hold = found;
        if (found->used_by_purchase_id) {
            named.reasons.emplace_back("the quote's hold was used by another purchase");
        } else if (found->expires_at <= now) {
            named.reasons.emplace_back("the quote's hold ran out at " +
                                       core::format_utc(found->expires_at, core::TimeFormat::kRfc3339));
        } else {
            named.live = true;
        }
    }
    return named;
}

core::QuoteCheck check_against_quote(const std::string& quote_id, const NamedHold& named,
                                     const core::Purchase& purchase, const core::PurchaseResult& result,
                                     int rule_set_version, const std::string& tier_before) {
    core::QuoteCheck check{quote_id, {}, named.reasons};
    if (!named.hold) {
        check.differences.push_back({"quote", 0, 0});
        return check;
    }
    const store::QuoteHold& hold = *named.hold;
    if (hold.points_earned != result.points_earned) {
        check.differences.push_back({"points.earned", hold.points_earned, result.points_earned});
    }
    if (hold.points != result.points_redeemed) {
        check.differences.push_back({"points.redeemed", hold.points, result.points_redeemed});
    }
    if (basket_digest(purchase) != hold.basket_sha256) check.reasons.emplace_back("the basket is not the quoted one");
    if (rule_set_version != hold.rule_set_version) {
        check.reasons.push_back("the rules changed since the quote (version " + std::to_string(hold.rule_set_version) +
                                ", now " + std::to_string(rule_set_version) + ")");
    }
    if (tier_before != hold.tier) check.reasons.emplace_back("the member's tier changed since the quote");
    if (!check.matches() && check.reasons.empty()) {
        check.reasons.emplace_back("the member's balance, limits or budgets changed since the quote");
    }
    return check;
}

}  // namespace patron::service
