// The admin's registry of stores, POS terminals and the terminals' signing keys (register,
// list, rotate with a grace period, revoke at once), and each terminal's receipt-number gaps.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/access/terminal_service.h"
#include "loyalty/service/pos/receipt_gap_service.h"
#include "loyalty/service/runtime/clock.h"

namespace patron::api {

std::vector<Route> terminal_routes(service::TerminalService& registry, service::ReceiptGapService& receipts,
                                   const service::Clock& clock);

}  // namespace patron::api
