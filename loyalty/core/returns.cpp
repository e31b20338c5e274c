#include "loyalty/core/returns.h"

#include <algorithm>
#include <set>

namespace patron::core {
namespace {

// The part of `whole` that `returned` of `quantity` units stand for, rounded down; exactly
// `whole` once everything is returned.
std::int64_t share(std::int64_t whole, std::int64_t returned, std::int64_t quantity) {
    if (quantity <= 0) return 0;
    return static_cast<std::int64_t>(static_cast<__int128>(whole) * returned / quantity);
}

std::string line_field(std::size_t index, const char* name) { return "lines[" + std::to_string(index) + "]." + name; }

}  // namespace

Result<ReturnPlan> plan_return(const std::vector<OriginalLine>& original, const std::vector<ReturnedLine>& requested,
                               bool is_void, const std::vector<LotShare>& shares, std::int64_t points_redeemed,
                               std::int64_t redeemed_value, std::int64_t original_total) {
    std::map<int, const OriginalLine*> by_number;
    for (const OriginalLine& line : original) by_number[line.line] = &line;

    ReturnPlan plan;
    if (is_void) {
        for (const OriginalLine& line : original) {
            if (line.returned_milli < line.quantity_milli) {
                plan.lines.push_back(ReturnedLine{line.line, line.quantity_milli - line.returned_milli});
            }
        }
        if (plan.lines.empty()) {
            return fail(ErrorCode::kAlreadyVoided, "this purchase was already voided or fully returned", "original");
        }
    } else {
        std::set<int> seen;
        for (std::size_t i = 0; i < requested.size(); ++i) {
            const ReturnedLine& asked = requested[i];
            const auto found = by_number.find(asked.line);
            if (found == by_number.end()) {
                return fail(ErrorCode::kLineNotInReceipt,
                            "the original receipt has no line " + std::to_string(asked.line), line_field(i, "line"));
            }
            if (!seen.insert(asked.line).second) {
                return fail(ErrorCode::kValidationFailed, "this line is listed twice", line_field(i, "line"));
            }
            const OriginalLine& line = *found->second;
            const std::int64_t left = line.quantity_milli - line.returned_milli;
            if (asked.quantity_milli > left) {
                return fail(ErrorCode::kReturnExceedsPurchase,
                            left == 0 ? "this line was returned in full already"
                                      : "only " + format_quantity(left) + " of this line can still be returned",
                            line_field(i, "quantity"));
            }
            plan.lines.push_back(asked);
        }
    }

    // Money per line, and of the whole purchase before and after this return.
    std::map<int, std::int64_t> returned_after;
    for (const ReturnedLine& line : plan.lines) returned_after[line.line] = line.quantity_milli;
    std::int64_t amount_before = 0;
    for (const OriginalLine& line : original) {
        amount_before += share(line.net_amount, line.returned_milli, line.quantity_milli);
    }
    for (const ReturnedLine& returned : plan.lines) {
        const OriginalLine& line = *by_number.at(returned.line);
        const std::int64_t after = line.returned_milli + returned.quantity_milli;
        const std::int64_t amount = share(line.net_amount, after, line.quantity_milli) -
                                    share(line.net_amount, line.returned_milli, line.quantity_milli);
        plan.line_amounts.push_back(amount);
        plan.amount += amount;
    }
    for (const LotShare& lot_share : shares) {
        const auto returned = returned_after.find(lot_share.line);
        if (returned == returned_after.end()) continue;
        const OriginalLine& line = *by_number.at(lot_share.line);
        const std::int64_t points =
            share(lot_share.points, line.returned_milli + returned->second, line.quantity_milli) -
            share(lot_share.points, line.returned_milli, line.quantity_milli);
        if (points > 0) plan.lot_points[lot_share.lot_id] += points;
    }
    // Points paid for the basket as a whole: given back in proportion to the money returned.
    const std::int64_t amount_after = amount_before + plan.amount;
    plan.refund_points =
        share(points_redeemed, amount_after, original_total) - share(points_redeemed, amount_before, original_total);
    plan.refund_value =
        share(redeemed_value, amount_after, original_total) - share(redeemed_value, amount_before, original_total);
    return plan;
}

LotReversal plan_lot_reversal(std::int64_t points, const LotState& lot, NegativeBalancePolicy policy) {
    LotReversal reversal;
    reversal.from_lot = std::clamp<std::int64_t>(lot.remaining, 0, points);
    const std::int64_t spent = std::clamp<std::int64_t>(lot.spent_unclaimed, 0, points - reversal.from_lot);
    const std::int64_t available_after = lot.member_available - (lot.pending ? 0 : reversal.from_lot);
    reversal.charged =
        policy == NegativeBalancePolicy::kAllow ? spent : std::clamp<std::int64_t>(available_after, 0, spent);
    reversal.shortfall = spent - reversal.charged;
    reversal.expired = points - reversal.from_lot - spent;
    return reversal;
}

}  // namespace patron::core
