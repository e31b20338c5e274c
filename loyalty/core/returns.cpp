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

std::string left_text(std::int64_t left, const std::string& what) {
    return left == 0 ? what + " was returned in full already"
                     : "only " + format_quantity(left) + " of " + what + " can still be returned";
}

// The requested lines as original line numbers with quantities, each line at most once and
// never beyond what is left of it; SKU requests spread over that SKU's lines in line order.
Result<std::vector<ReturnedLine>> resolve_requested(const std::vector<OriginalLine>& original,
                                                    const std::vector<ReturnedLine>& requested) {
    std::map<int, std::int64_t> planned;  // Line -> quantity this return takes.
    std::vector<int> order;
    std::set<int> named;
    const auto already = [&](int line) {
        const auto found = planned.find(line);
        return found == planned.end() ? std::int64_t{0} : found->second;
    };
    const auto take = [&](int line, std::int64_t quantity) {
        if (planned.emplace(line, 0).second) order.push_back(line);
        planned[line] += quantity;
    };
    for (std::size_t i = 0; i < requested.size(); ++i) {
        const ReturnedLine& asked = requested[i];
        if (!asked.sku.empty()) {
            std::int64_t wanted = asked.quantity_milli, available = 0;
            bool on_receipt = false;
            for (const OriginalLine& line : original) {
                if (line.sku != asked.sku) continue;
                on_receipt = true;
                const std::int64_t free = line.quantity_milli - line.returned_milli - already(line.line);
                if (free <= 0) continue;
                available += free;
                const std::int64_t part = std::min(free, wanted);
                if (part > 0) take(line.line, part);
                wanted -= part;
            }
            if (!on_receipt) {
                return fail(ErrorCode::kLineNotInReceipt, "the original receipt has no line with SKU " + asked.sku,
                            line_field(i, "sku"));
            }
            if (wanted > 0) {
                return fail(ErrorCode::kReturnExceedsPurchase, left_text(available, "SKU " + asked.sku),
                            line_field(i, "quantity"));
            }
            continue;
        }
        const auto found = std::find_if(original.begin(), original.end(),
                                        [&](const OriginalLine& line) { return line.line == asked.line; });
        if (found == original.end()) {
            return fail(ErrorCode::kLineNotInReceipt, "the original receipt has no line " + std::to_string(asked.line),
                        line_field(i, "line"));
        }
        if (!named.insert(asked.line).second) {
            return fail(ErrorCode::kValidationFailed, "this line is listed twice", line_field(i, "line"),
                        reason(ReasonKind::kDuplicate));
        }
        const std::int64_t left = found->quantity_milli - found->returned_milli - already(asked.line);
        if (asked.quantity_milli > left) {
            return fail(ErrorCode::kReturnExceedsPurchase, left_text(left, "this line"), line_field(i, "quantity"));
        }
        take(asked.line, asked.quantity_milli);
    }
    std::vector<ReturnedLine> lines;
    for (int line : order) lines.push_back(ReturnedLine{line, planned.at(line), {}});
    return lines;
}

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
                plan.lines.push_back(ReturnedLine{line.line, line.quantity_milli - line.returned_milli, {}});
            }
        }
        if (plan.lines.empty()) {
            return fail(ErrorCode::kAlreadyVoided, "this purchase was already voided or fully returned", "original");
        }
    } else {
        auto asked = resolve_requested(original, requested);
        if (!asked) return std::unexpected(asked.error());
        plan.lines = std::move(*asked);
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
    plan.amount_before = amount_before;
    const std::int64_t amount_after = amount_before + plan.amount;
    plan.refund_points =
        share(points_redeemed, amount_after, original_total) - share(points_redeemed, amount_before, original_total);
    plan.refund_value =
        share(redeemed_value, amount_after, original_total) - share(redeemed_value, amount_before, original_total);
    return plan;
}

CashbackReturnPlan plan_cashback_return(const std::vector<OriginalLine>& original, const ReturnPlan& plan,
                                        const std::vector<LotShare>& shares, std::int64_t spent,
                                        std::int64_t original_total) {
    std::map<int, const OriginalLine*> by_number;
    for (const OriginalLine& line : original) by_number[line.line] = &line;
    std::map<int, std::int64_t> returned_now;
    for (const ReturnedLine& line : plan.lines) returned_now[line.line] = line.quantity_milli;
    CashbackReturnPlan cashback;
    for (const LotShare& earned : shares) {
        const auto returned = returned_now.find(earned.line);
        if (returned == returned_now.end() || !by_number.contains(earned.line)) continue;
        const OriginalLine& line = *by_number.at(earned.line);
        const std::int64_t amount = share(earned.points, line.returned_milli + returned->second, line.quantity_milli) -
                                    share(earned.points, line.returned_milli, line.quantity_milli);
        if (amount > 0) cashback.reverse[earned.lot_id] += amount;
    }
    const std::int64_t amount_after = plan.amount_before + plan.amount;
    cashback.refund = share(spent, amount_after, original_total) - share(spent, plan.amount_before, original_total);
    return cashback;
}

std::vector<StampsGiven> plan_stamp_return(const std::vector<OriginalLine>& original, const ReturnPlan& plan,
                                           const std::vector<StampsGiven>& given) {
    std::map<int, const OriginalLine*> by_number;
    std::int64_t total = 0;
    for (const OriginalLine& line : original) {
        by_number[line.line] = &line;
        total += line.net_amount;
    }
    std::map<int, std::int64_t> returned_now;
    for (const ReturnedLine& line : plan.lines) returned_now[line.line] = line.quantity_milli;
    const std::int64_t left_after = total - plan.amount_before - plan.amount;
    std::vector<StampsGiven> removed;
    for (const StampsGiven& stamps : given) {
        if (stamps.stamps <= 0) continue;
        if (stamps.line == 0) {  // A visit: gone once the basket falls below what earned it.
            if (plan.amount > 0 && left_after < std::max<std::int64_t>(stamps.threshold, 1)) removed.push_back(stamps);
            continue;
        }
        const auto returned = returned_now.find(stamps.line);
        if (returned == returned_now.end() || !by_number.contains(stamps.line)) continue;
        const OriginalLine& line = *by_number.at(stamps.line);
        // Of what is left of the line before this return, the part this return takes.
        const std::int64_t left = line.quantity_milli - line.returned_milli;
        if (left <= 0) continue;
        if (!stamps.item.empty()) {
            if (returned->second >= left) removed.push_back(stamps);
            continue;
        }
        const std::int64_t taken = stamps.stamps - share(stamps.stamps, left - returned->second, left);
        if (taken > 0) removed.push_back(StampsGiven{stamps.card_id, stamps.line, taken, 0});
    }
    return removed;
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
