// How the insight queries count a member's purchases, written once so that reports, scores,
// segments and the effectiveness report agree: over `purchases p`, a visit is a kept purchase (a
// sale not voided), and spend is net: the sales' totals less those of returns and voids.
#pragma once

namespace patron::store {

// A condition: the row is a sale that was not voided.
inline constexpr const char* kKeptPurchase = "p.kind = 'purchase' AND p.voided_at IS NULL";
// An expression: the row's total, negative for a return or a void.
inline constexpr const char* kNetSpend = "CASE WHEN p.kind = 'purchase' THEN p.total ELSE -p.total END";

}  // namespace patron::store
