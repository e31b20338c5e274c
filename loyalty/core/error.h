// Business outcomes as values: every fallible core, store and service function returns
// Result<T>, whose error carries a stable code, a message a cashier or marketer can read,
// and the JSON path of the offending field. Codes never change meaning once released.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loyalty/core/time.h"

namespace patron::core {

// Numbers are fixed for good: a code may be logged or kept by its number, so none changes
// meaning. The list is append only: a new code goes at the end (after kInternal) with the next
// number; none is renumbered, reused or removed. The names clients see (code_name) are as fixed;
// tests/unit/error_codes_test.cpp pins both.
enum class ErrorCode {
    kMalformedJson = 0,
    kValidationFailed = 1,
    kUnknownCurrency = 2,
    kCurrencyMismatch = 3,
    kTotalMismatch = 4,
    kCardNumberInvalid = 5,
    kCardNotFound = 6,
    kCardBlocked = 7,
    kCardClosed = 8,
    kStoreMismatch = 9,
    kMemberNotFound = 10,
    kMemberExists = 11,
    kStoreExists = 12,
    kTerminalExists = 13,
    kStaffExists = 14,
    kIdempotencyConflict = 15,
    kUnauthenticated = 16,
    kForbidden = 17,
    kSignatureInvalid = 18,
    kTimestampSkew = 19,
    kNonceReused = 20,
    kKeyUnknown = 21,
    kKeyRevoked = 22,
    kNotFound = 23,
    kNotAvailable = 24,
    kPointsInsufficient = 25,
    kRedemptionBelowMinimum = 26,
    kRedemptionExceedsTotal = 27,
    kReceiptNotFound = 28,        // A return or void names a purchase Patron does not have.
    kLineNotInReceipt = 29,       // A return names a line the original purchase does not have.
    kReturnExceedsPurchase = 30,  // More of a line would be returned than was bought.
    kAlreadyVoided = 31,          // The purchase was voided (or fully returned) already.
    kVoidWindowClosed = 32,
    kAlreadyClaimed = 33,     // The purchase was credited to a member already.
    kClaimWindowClosed = 34,  // Too late to claim the purchase for a member.
    kMalformedXml = 35,       // A POSLog body that is not well-formed XML.
    kXmlDtdForbidden = 36,    // A document type declaration (entities, XXE): never processed.
    kMethodNotAllowed = 37,
    kPayloadTooLarge = 38,
    kUnsupportedMediaType = 39,
    kUnavailable = 40,
    kOverloaded = 41,
    kTooManyAttempts = 42,  // Sign-ins failed too often in a row: locked for a while.
    kCodeInvalid = 43,      // A one-time code that is wrong, used, expired or out of tries.
    kCouponNotFound = 44,
    kCouponNotForMember = 45,  // Assigned to another member, or for members (a tier) the purchase is not.
    kCouponAlreadyUsed = 46,
    kCouponNotYetValid = 47,
    kCouponExpired = 48,
    kCouponNotValidNow = 49,  // Outside the campaign's days or hours.
    kCouponWrongStore = 50,
    kCouponBasketTooSmall = 51,
    kCouponNoMatchingItems = 52,
    kCouponLimitReached = 53,  // The campaign's redemptions, the member's share or the budget is used up.
    kCouponNotCombinable = 54,
    kCashbackInsufficient = 55,     // spend_cashback is more than the member's wallet holds.
    kCashbackExceedsTotal = 56,     // spend_cashback is more than is left to pay.
    kMalformedRequest = 57,         // Bytes that are not a well-formed HTTP/1.1 request.
    kUriTooLong = 58,               // The request target is over its limit.
    kHeadersTooLarge = 59,          // Too many header fields, or too many bytes of them.
    kHttpVersionNotSupported = 60,  // Anything but HTTP/1.0 or HTTP/1.1.
    kRequestTimeout = 61,           // A request that did not arrive whole in time.
    kRateLimited = 62,              // Too many requests of a kind from one client address: retry later.
    kJsonTooDeep = 63,              // A JSON document nested deeper than any Patron document.
    kInternal = 64,
    kCardNumberTaken = 65,        // A card, or another card range, has this number already.
    kFeedbackAlreadyGiven = 66,   // The purchase was rated already: a purchase is rated once.
    kFeedbackWindowClosed = 67,   // Too late to rate the purchase (or the programme takes no feedback).
    kAlreadyRunning = 68,         // The same work (a backtest of the programme) is running: wait for it or cancel it.
    kDraftChanged = 69,           // The rules draft changed since the client read it (If-Match): read it again.
    kReferralCodeUnknown = 70,    // No member of the programme has this referral code.
    kReferralsClosed = 71,        // The programme takes no referrals now (its terms are paused or unset).
    kDrawCodeUnknown = 72,        // No prize draw of the programme has this packaging code.
    kDrawCodeUsed = 73,           // The packaging code was entered already: each code enters once.
    kDrawClosed = 74,             // The draw takes no entries now (not open yet, closed, drawn or cancelled).
    kDrawNotEligible = 75,        // The member (or the store) is not among those who may enter the draw.
    kDrawCapReached = 76,         // The member holds the most entries the draw allows.
    kDrawAlreadyRun = 77,         // The draw was run; its result stands and it is never run again.
    kDrawNotClosed = 78,          // The draw cannot be run before its entry window closes (or unpublished).
    kDrawPublished = 79,          // A published draw's terms are fixed (its commitment promises them).
    kDrawPrizeNotClaimable = 80,  // The place holds no prize waiting for its claim (a reserve's, claimed, forfeited).
};

// The upper snake case name clients see, e.g. "CARD_NOT_FOUND".
std::string_view code_name(ErrorCode code);

// Why a field was refused, for a page to say in its own language (the message is English): a kind
// whose name (reason_name) is as fixed as the codes' names, and the bounds it names. The list is
// append only; a refusal of no kind here is said by its message alone.
enum class ReasonKind {
    kNone,
    kRequired,       // Missing.
    kUnknownField,   // A key the document does not have.
    kWrongType,      // Not the kind of value the field holds (an object, text, true or false, a list).
    kTextLength,     // Text of min (when given) to max characters.
    kRange,          // A whole number from min to max (either may be open).
    kMultiplier,     // A multiplier above 0 and at most max, with at most 2 decimals.
    kCount,          // A list of min to max entries.
    kOneOf,          // Not one of the names the field takes.
    kTimeOfDay,      // Not a time of day HH:MM.
    kDate,           // Not a date YYYY-MM-DD.
    kInstant,        // Not an RFC 3339 time with an offset.
    kAfterStart,     // An end at or before its start.
    kDuplicate,      // Listed twice, or taken already.
    kUnknownName,    // Names something the programme does not have (a store, a segment, a campaign).
    kAboveLower,     // A tier's threshold not above the threshold of the tier below.
    kPercent,        // A percentage above 0 and at most max, with at most 2 decimals.
    kWithinDays,     // An end more than max days after its start.
    kAtLeastOne,     // None of the fields of which one at least is needed.
    kCodeText,       // A code of min to max Latin letters, digits, '_' and '-'.
    kLowerCodeText,  // A code of min to max of a-z, 0-9, '_' and '-'.
};

// The lower snake case name clients see, e.g. "text_length"; empty for kNone.
std::string_view reason_name(ReasonKind kind);

struct Reason {
    ReasonKind kind = ReasonKind::kNone;
    std::optional<std::int64_t> min = {};
    std::optional<std::int64_t> max = {};
    bool operator==(const Reason&) const = default;
};

// A whole number from `min` to `max`; text of `min` to `max` characters; and so on by kind.
inline Reason reason(ReasonKind kind, std::optional<std::int64_t> min = {}, std::optional<std::int64_t> max = {}) {
    return Reason{kind, min, max};
}

// A length checked in bytes, said as characters only when the text is too short, which it is in
// characters as well; text too long in bytes may not be in characters (a Persian letter takes two
// bytes), so that is said by the message alone.
inline Reason short_text(std::size_t bytes, std::int64_t min, std::int64_t max) {
    return static_cast<std::int64_t>(bytes) < min ? Reason{ReasonKind::kTextLength, min, max} : Reason{};
}

// One problem of a document refused for several reasons at once.
struct Problem {
    std::string field;
    std::string message;
    Reason reason = {};
    bool operator==(const Problem&) const = default;
};

struct Error {
    ErrorCode code;
    std::string message;
    std::string field;  // JSON path such as "lines[2].quantity"; empty when no single field is at fault.
    // For a document refused for several reasons at once (a rule set, a tier policy): every problem;
    // the error's own field, message and reason are the first of them.
    std::vector<Problem> problems = {};
    // A refusal that lifts at a known moment (a sign-in lock-out): when to try again.
    std::optional<Timestamp> retry_at = {};
    Reason reason = {};
};

// One VALIDATION_FAILED error carrying every problem found (at least one).
Error all_problems(const std::vector<Error>& problems);

// A value or the error that kept it from being made. [[nodiscard]] on the type covers every
// function that returns one: a failure is handled, passed on, or ignored on purpose with a
// (void) cast and a comment saying why. Otherwise it is a std::expected in every way.
template <typename T>
class [[nodiscard]] Result : public std::expected<T, Error> {
  public:
    using std::expected<T, Error>::expected;
};

[[nodiscard]] inline std::unexpected<Error> fail(ErrorCode code, std::string message, std::string field = {},
                                                 Reason why = {}) {
    return std::unexpected(Error{code, std::move(message), std::move(field), {}, std::nullopt, why});
}

}  // namespace patron::core
