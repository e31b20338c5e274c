// ARTS POSLog (2.x and 6.0, with or without namespaces and prefixes) mapped onto the native
// operations: each Transaction becomes one purchase, return or void, or a no-op when POSLog says
// so (a Canceled basket, a voided line, a non-retail transaction), and then goes through exactly
// the same decoding, checks and idempotency as the JSON documents.
//
// Mapping (names are matched on their local part, so any namespace prefix is fine):
//   BusinessUnit/UnitID or RetailStoreID -> store     WorkstationID   -> terminal
//   SequenceNumber                       -> receipt   BusinessDayDate -> business_day
//   EndDateTime (with an offset)         -> pos_time  CurrencyCode    -> currency (else the store's)
//   RetailTransaction/LoyaltyAccount//PrimaryAccountNumber or LoyaltyCardNumber -> card
//   LineItem/Sale: SequenceNumber -> line, ItemID -> sku, MerchandiseHierarchy -> category,
//     Quantity (decimals for weighed goods), ActualSalesUnitPrice | RegularSalesUnitPrice |
//     UnitListPrice -> unit_price, ExtendedAmount -> amount, RetailPriceModifier/Amount -> discount
//   LineItem/Return with a TransactionLink (ReasonCode Return) to the original -> a return, its
//     lines by the link's LineItemSequenceNumber or else by ItemID
//   TransactionStatus PostVoided with a TransactionLink to the voided transaction -> a void
//   Total (TransactionGrandAmount) -> total; Tender amounts are read and must cover it.
// Amounts are decimals in the currency's major unit ("12.50" USD, "450000" IRR).
//
// Documents with a DOCTYPE are refused before anything is read (XML_DTD_FORBIDDEN): no DTD is
// loaded and no entity is expanded, so billion-laughs and XXE documents do nothing.
#pragma once

#include <string_view>
#include <vector>

#include "loyalty/core/error.h"
#include "loyalty/core/money.h"
#include "pos-adapter/batch_operation.h"

namespace patron::pos {

// MALFORMED_XML, XML_DTD_FORBIDDEN or VALIDATION_FAILED for the document as a whole; otherwise
// one operation per Transaction, in document order.
core::Result<std::vector<BatchOperation>> decode_poslog(std::string_view xml, const core::Currency& store_currency);

}  // namespace patron::pos
