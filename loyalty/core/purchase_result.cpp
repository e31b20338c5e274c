#include "loyalty/core/purchase_result.h"

#include "loyalty/core/receipt_text.h"

namespace patron::core {

std::vector<std::string> receipt_lines_for(const PurchaseResult& result) {
    std::vector<std::string> lines;
    for (const Effect& effect : result.effects) lines.push_back(effect.receipt_line.str());
    if (result.member) {
        lines.push_back(receipt_line("Points balance", std::to_string(result.points_available)).str());
        if (result.points_pending > 0) {
            lines.push_back(receipt_line("Points on hold", std::to_string(result.points_pending)).str());
        }
    }
    return lines;
}

}  // namespace patron::core
