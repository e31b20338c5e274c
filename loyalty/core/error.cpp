#include "loyalty/core/error.h"

namespace patron::core {

std::string_view code_name(ErrorCode code) {
    switch (code) {
        case ErrorCode::kMalformedJson:
            return "MALFORMED_JSON";
        case ErrorCode::kValidationFailed:
            return "VALIDATION_FAILED";
        case ErrorCode::kUnknownCurrency:
            return "UNKNOWN_CURRENCY";
        case ErrorCode::kCurrencyMismatch:
            return "CURRENCY_MISMATCH";
        case ErrorCode::kTotalMismatch:
            return "TOTAL_MISMATCH";
        case ErrorCode::kCardNumberInvalid:
            return "CARD_NUMBER_INVALID";
        case ErrorCode::kCardNotFound:
            return "CARD_NOT_FOUND";
        case ErrorCode::kCardBlocked:
            return "CARD_BLOCKED";
        case ErrorCode::kCardClosed:
            return "CARD_CLOSED";
        case ErrorCode::kStoreMismatch:
            return "STORE_MISMATCH";
        case ErrorCode::kMemberNotFound:
            return "MEMBER_NOT_FOUND";
        case ErrorCode::kMemberExists:
            return "MEMBER_EXISTS";
        case ErrorCode::kStoreExists:
            return "STORE_EXISTS";
        case ErrorCode::kTerminalExists:
            return "TERMINAL_EXISTS";
        case ErrorCode::kStaffExists:
            return "STAFF_EXISTS";
        case ErrorCode::kIdempotencyConflict:
            return "IDEMPOTENCY_CONFLICT";
        case ErrorCode::kForbidden:
            return "FORBIDDEN";
        case ErrorCode::kUnauthenticated:
            return "UNAUTHENTICATED";
        case ErrorCode::kSignatureInvalid:
            return "SIGNATURE_INVALID";
        case ErrorCode::kTimestampSkew:
            return "TIMESTAMP_SKEW";
        case ErrorCode::kNonceReused:
            return "NONCE_REUSED";
        case ErrorCode::kKeyUnknown:
            return "KEY_UNKNOWN";
        case ErrorCode::kKeyRevoked:
            return "KEY_REVOKED";
        case ErrorCode::kNotFound:
            return "NOT_FOUND";
        case ErrorCode::kNotAvailable:
            return "NOT_AVAILABLE";
        case ErrorCode::kPointsInsufficient:
            return "POINTS_INSUFFICIENT";
        case ErrorCode::kRedemptionBelowMinimum:
            return "REDEMPTION_BELOW_MINIMUM";
        case ErrorCode::kRedemptionExceedsTotal:
            return "REDEMPTION_EXCEEDS_TOTAL";
        case ErrorCode::kReceiptNotFound:
            return "RECEIPT_NOT_FOUND";
        case ErrorCode::kLineNotInReceipt:
            return "LINE_NOT_IN_RECEIPT";
        case ErrorCode::kReturnExceedsPurchase:
            return "RETURN_EXCEEDS_PURCHASE";
        case ErrorCode::kAlreadyVoided:
            return "ALREADY_VOIDED";
        case ErrorCode::kVoidWindowClosed:
            return "VOID_WINDOW_CLOSED";
        case ErrorCode::kAlreadyClaimed:
            return "ALREADY_CLAIMED";
        case ErrorCode::kClaimWindowClosed:
            return "CLAIM_WINDOW_CLOSED";
        case ErrorCode::kMalformedXml:
            return "MALFORMED_XML";
        case ErrorCode::kXmlDtdForbidden:
            return "XML_DTD_FORBIDDEN";
        case ErrorCode::kMethodNotAllowed:
            return "METHOD_NOT_ALLOWED";
        case ErrorCode::kPayloadTooLarge:
            return "PAYLOAD_TOO_LARGE";
        case ErrorCode::kUnsupportedMediaType:
            return "UNSUPPORTED_MEDIA_TYPE";
        case ErrorCode::kUnavailable:
            return "UNAVAILABLE";
        case ErrorCode::kTooManyAttempts:
            return "TOO_MANY_ATTEMPTS";
        case ErrorCode::kCodeInvalid:
            return "CODE_INVALID";
        case ErrorCode::kCouponNotFound:
            return "COUPON_NOT_FOUND";
        case ErrorCode::kCouponNotForMember:
            return "COUPON_NOT_FOR_MEMBER";
        case ErrorCode::kCouponAlreadyUsed:
            return "COUPON_ALREADY_USED";
        case ErrorCode::kCouponNotYetValid:
            return "COUPON_NOT_YET_VALID";
        case ErrorCode::kCouponExpired:
            return "COUPON_EXPIRED";
        case ErrorCode::kCouponNotValidNow:
            return "COUPON_NOT_VALID_NOW";
        case ErrorCode::kCouponWrongStore:
            return "COUPON_WRONG_STORE";
        case ErrorCode::kCouponBasketTooSmall:
            return "COUPON_BASKET_TOO_SMALL";
        case ErrorCode::kCouponNoMatchingItems:
            return "COUPON_NO_MATCHING_ITEMS";
        case ErrorCode::kCouponLimitReached:
            return "COUPON_LIMIT_REACHED";
        case ErrorCode::kCouponNotCombinable:
            return "COUPON_NOT_COMBINABLE";
        case ErrorCode::kCashbackInsufficient:
            return "CASHBACK_INSUFFICIENT";
        case ErrorCode::kCashbackExceedsTotal:
            return "CASHBACK_EXCEEDS_TOTAL";
        case ErrorCode::kOverloaded:
            return "OVERLOADED";
        case ErrorCode::kMalformedRequest:
            return "MALFORMED_REQUEST";
        case ErrorCode::kUriTooLong:
            return "URI_TOO_LONG";
        case ErrorCode::kHeadersTooLarge:
            return "HEADERS_TOO_LARGE";
        case ErrorCode::kHttpVersionNotSupported:
            return "HTTP_VERSION_NOT_SUPPORTED";
        case ErrorCode::kRequestTimeout:
            return "REQUEST_TIMEOUT";
        case ErrorCode::kRateLimited:
            return "RATE_LIMITED";
        case ErrorCode::kJsonTooDeep:
            return "JSON_TOO_DEEP";
        case ErrorCode::kInternal:
            return "INTERNAL";
        case ErrorCode::kCardNumberTaken:
            return "CARD_NUMBER_TAKEN";
        case ErrorCode::kFeedbackAlreadyGiven:
            return "FEEDBACK_ALREADY_GIVEN";
        case ErrorCode::kFeedbackWindowClosed:
            return "FEEDBACK_WINDOW_CLOSED";
        case ErrorCode::kAlreadyRunning:
            return "ALREADY_RUNNING";
        case ErrorCode::kDraftChanged:
            return "DRAFT_CHANGED";
    }
    return "INTERNAL";
}

Error all_problems(const std::vector<Error>& problems) {
    Error error = problems.empty() ? Error{ErrorCode::kValidationFailed, "invalid document", ""} : problems.front();
    error.code = ErrorCode::kValidationFailed;
    for (const Error& problem : problems) error.problems.emplace_back(problem.field, problem.message);
    return error;
}

}  // namespace patron::core
