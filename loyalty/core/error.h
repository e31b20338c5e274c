// Business outcomes as values: every fallible core, store and service function returns
// Result<T>, whose error carries a stable code, a message a cashier or marketer can read,
// and the JSON path of the offending field. Codes never change meaning once released.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace patron::core {

enum class ErrorCode {
    kMalformedJson,
    kValidationFailed,
    kUnknownCurrency,
    kCurrencyMismatch,
    kTotalMismatch,
    kCardNumberInvalid,
    kCardNotFound,
    kCardBlocked,
    kCardClosed,
    kStoreMismatch,
    kMemberNotFound,
    kMemberExists,
    kStoreExists,
    kTerminalExists,
    kStaffExists,
    kIdempotencyConflict,
    kUnauthenticated,
    kForbidden,
    kSignatureInvalid,
    kTimestampSkew,
    kNonceReused,
    kKeyUnknown,
    kKeyRevoked,
    kNotFound,
    kNotAvailable,
    kPointsInsufficient,
    kRedemptionBelowMinimum,
    kRedemptionExceedsTotal,
    kReceiptNotFound,        // A return or void names a purchase Patron does not have.
    kLineNotInReceipt,       // A return names a line the original purchase does not have.
    kReturnExceedsPurchase,  // More of a line would be returned than was bought.
    kAlreadyVoided,          // The purchase was voided (or fully returned) already.
    kVoidWindowClosed,
    kAlreadyClaimed,     // The purchase was credited to a member already.
    kClaimWindowClosed,  // Too late to claim the purchase for a member.
    kMalformedXml,       // A POSLog body that is not well-formed XML.
    kXmlDtdForbidden,    // A document type declaration (entities, XXE): never processed.
    kMethodNotAllowed,
    kPayloadTooLarge,
    kUnsupportedMediaType,
    kUnavailable,
    kOverloaded,
    kTooManyAttempts,  // Sign-ins failed too often in a row: locked for a while.
    kCodeInvalid,      // A one-time code that is wrong, used, expired or out of tries.
    kCouponNotFound,
    kCouponNotForMember,  // Assigned to another member, or for members (a tier) the purchase is not.
    kCouponAlreadyUsed,
    kCouponNotYetValid,
    kCouponExpired,
    kCouponNotValidNow,  // Outside the campaign's days or hours.
    kCouponWrongStore,
    kCouponBasketTooSmall,
    kCouponNoMatchingItems,
    kCouponLimitReached,  // The campaign's redemptions, the member's share or the budget is used up.
    kCouponNotCombinable,
    kCashbackInsufficient,  // spend_cashback is more than the member's wallet holds.
    kCashbackExceedsTotal,  // spend_cashback is more than is left to pay.
    kMalformedRequest,         // Bytes that are not a well-formed HTTP/1.1 request.
    kUriTooLong,               // The request target is over its limit.
    kHeadersTooLarge,          // Too many header fields, or too many bytes of them.
    kHttpVersionNotSupported,  // Anything but HTTP/1.0 or HTTP/1.1.
    kRequestTimeout,           // A request that did not arrive whole in time.
    kRateLimited,              // Too many requests of a kind from one client address: retry later.
    kJsonTooDeep,              // A JSON document nested deeper than any Patron document.
    kInternal,
};

// The upper snake case name clients see, e.g. "CARD_NOT_FOUND".
std::string_view code_name(ErrorCode code);

struct Error {
    ErrorCode code;
    std::string message;
    std::string field;  // JSON path such as "lines[2].quantity"; empty when no single field is at fault.
    // For a document refused for several reasons at once (a rule set, a tier policy): every problem,
    // each as {field, message}; the error's own field and message are the first of them.
    std::vector<std::pair<std::string, std::string>> problems = {};
};

// One VALIDATION_FAILED error carrying every problem found (at least one).
Error all_problems(const std::vector<Error>& problems);

template <typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message, std::string field = {}) {
    return std::unexpected(Error{code, std::move(message), std::move(field)});
}

}  // namespace patron::core
