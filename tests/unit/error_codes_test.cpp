// Error codes are part of the contract: a code's number (logged, possibly kept) and its name (the
// "code" of the error envelope) never change. These tests fail when one is renumbered or renamed,
// and when a new code is added without being pinned here.
#include <gtest/gtest.h>

#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "api/http_error.h"
#include "loyalty/core/error.h"

namespace patron::core {
namespace {

struct PinnedCode {
    ErrorCode code;
    int number;
    std::string_view name;
};

// Append only, like the enum: a new code gets a row here with the next number.
constexpr PinnedCode kPinned[] = {
    {ErrorCode::kMalformedJson, 0, "MALFORMED_JSON"},
    {ErrorCode::kValidationFailed, 1, "VALIDATION_FAILED"},
    {ErrorCode::kUnknownCurrency, 2, "UNKNOWN_CURRENCY"},
    {ErrorCode::kCurrencyMismatch, 3, "CURRENCY_MISMATCH"},
    {ErrorCode::kTotalMismatch, 4, "TOTAL_MISMATCH"},
    {ErrorCode::kCardNumberInvalid, 5, "CARD_NUMBER_INVALID"},
    {ErrorCode::kCardNotFound, 6, "CARD_NOT_FOUND"},
    {ErrorCode::kCardBlocked, 7, "CARD_BLOCKED"},
    {ErrorCode::kCardClosed, 8, "CARD_CLOSED"},
    {ErrorCode::kStoreMismatch, 9, "STORE_MISMATCH"},
    {ErrorCode::kMemberNotFound, 10, "MEMBER_NOT_FOUND"},
    {ErrorCode::kMemberExists, 11, "MEMBER_EXISTS"},
    {ErrorCode::kStoreExists, 12, "STORE_EXISTS"},
    {ErrorCode::kTerminalExists, 13, "TERMINAL_EXISTS"},
    {ErrorCode::kStaffExists, 14, "STAFF_EXISTS"},
    {ErrorCode::kIdempotencyConflict, 15, "IDEMPOTENCY_CONFLICT"},
    {ErrorCode::kUnauthenticated, 16, "UNAUTHENTICATED"},
    {ErrorCode::kForbidden, 17, "FORBIDDEN"},
    {ErrorCode::kSignatureInvalid, 18, "SIGNATURE_INVALID"},
    {ErrorCode::kTimestampSkew, 19, "TIMESTAMP_SKEW"},
    {ErrorCode::kNonceReused, 20, "NONCE_REUSED"},
    {ErrorCode::kKeyUnknown, 21, "KEY_UNKNOWN"},
    {ErrorCode::kKeyRevoked, 22, "KEY_REVOKED"},
    {ErrorCode::kNotFound, 23, "NOT_FOUND"},
    {ErrorCode::kNotAvailable, 24, "NOT_AVAILABLE"},
    {ErrorCode::kPointsInsufficient, 25, "POINTS_INSUFFICIENT"},
    {ErrorCode::kRedemptionBelowMinimum, 26, "REDEMPTION_BELOW_MINIMUM"},
    {ErrorCode::kRedemptionExceedsTotal, 27, "REDEMPTION_EXCEEDS_TOTAL"},
    {ErrorCode::kReceiptNotFound, 28, "RECEIPT_NOT_FOUND"},
    {ErrorCode::kLineNotInReceipt, 29, "LINE_NOT_IN_RECEIPT"},
    {ErrorCode::kReturnExceedsPurchase, 30, "RETURN_EXCEEDS_PURCHASE"},
    {ErrorCode::kAlreadyVoided, 31, "ALREADY_VOIDED"},
    {ErrorCode::kVoidWindowClosed, 32, "VOID_WINDOW_CLOSED"},
    {ErrorCode::kAlreadyClaimed, 33, "ALREADY_CLAIMED"},
    {ErrorCode::kClaimWindowClosed, 34, "CLAIM_WINDOW_CLOSED"},
    {ErrorCode::kMalformedXml, 35, "MALFORMED_XML"},
    {ErrorCode::kXmlDtdForbidden, 36, "XML_DTD_FORBIDDEN"},
    {ErrorCode::kMethodNotAllowed, 37, "METHOD_NOT_ALLOWED"},
    {ErrorCode::kPayloadTooLarge, 38, "PAYLOAD_TOO_LARGE"},
    {ErrorCode::kUnsupportedMediaType, 39, "UNSUPPORTED_MEDIA_TYPE"},
    {ErrorCode::kUnavailable, 40, "UNAVAILABLE"},
    {ErrorCode::kOverloaded, 41, "OVERLOADED"},
    {ErrorCode::kTooManyAttempts, 42, "TOO_MANY_ATTEMPTS"},
    {ErrorCode::kCodeInvalid, 43, "CODE_INVALID"},
    {ErrorCode::kCouponNotFound, 44, "COUPON_NOT_FOUND"},
    {ErrorCode::kCouponNotForMember, 45, "COUPON_NOT_FOR_MEMBER"},
    {ErrorCode::kCouponAlreadyUsed, 46, "COUPON_ALREADY_USED"},
    {ErrorCode::kCouponNotYetValid, 47, "COUPON_NOT_YET_VALID"},
    {ErrorCode::kCouponExpired, 48, "COUPON_EXPIRED"},
    {ErrorCode::kCouponNotValidNow, 49, "COUPON_NOT_VALID_NOW"},
    {ErrorCode::kCouponWrongStore, 50, "COUPON_WRONG_STORE"},
    {ErrorCode::kCouponBasketTooSmall, 51, "COUPON_BASKET_TOO_SMALL"},
    {ErrorCode::kCouponNoMatchingItems, 52, "COUPON_NO_MATCHING_ITEMS"},
    {ErrorCode::kCouponLimitReached, 53, "COUPON_LIMIT_REACHED"},
    {ErrorCode::kCouponNotCombinable, 54, "COUPON_NOT_COMBINABLE"},
    {ErrorCode::kCashbackInsufficient, 55, "CASHBACK_INSUFFICIENT"},
    {ErrorCode::kCashbackExceedsTotal, 56, "CASHBACK_EXCEEDS_TOTAL"},
    {ErrorCode::kMalformedRequest, 57, "MALFORMED_REQUEST"},
    {ErrorCode::kUriTooLong, 58, "URI_TOO_LONG"},
    {ErrorCode::kHeadersTooLarge, 59, "HEADERS_TOO_LARGE"},
    {ErrorCode::kHttpVersionNotSupported, 60, "HTTP_VERSION_NOT_SUPPORTED"},
    {ErrorCode::kRequestTimeout, 61, "REQUEST_TIMEOUT"},
    {ErrorCode::kRateLimited, 62, "RATE_LIMITED"},
    {ErrorCode::kJsonTooDeep, 63, "JSON_TOO_DEEP"},
    {ErrorCode::kInternal, 64, "INTERNAL"},
    {ErrorCode::kCardNumberTaken, 65, "CARD_NUMBER_TAKEN"},
    {ErrorCode::kFeedbackAlreadyGiven, 66, "FEEDBACK_ALREADY_GIVEN"},
    {ErrorCode::kFeedbackWindowClosed, 67, "FEEDBACK_WINDOW_CLOSED"},
    {ErrorCode::kAlreadyRunning, 68, "ALREADY_RUNNING"},
    {ErrorCode::kDraftChanged, 69, "DRAFT_CHANGED"},
    {ErrorCode::kReferralCodeUnknown, 70, "REFERRAL_CODE_UNKNOWN"},
    {ErrorCode::kReferralsClosed, 71, "REFERRALS_CLOSED"},
    {ErrorCode::kDrawCodeUnknown, 72, "DRAW_CODE_UNKNOWN"},
    {ErrorCode::kDrawCodeUsed, 73, "DRAW_CODE_USED"},
    {ErrorCode::kDrawClosed, 74, "DRAW_CLOSED"},
    {ErrorCode::kDrawNotEligible, 75, "DRAW_NOT_ELIGIBLE"},
    {ErrorCode::kDrawCapReached, 76, "DRAW_CAP_REACHED"},
    {ErrorCode::kDrawAlreadyRun, 77, "DRAW_ALREADY_RUN"},
    {ErrorCode::kDrawNotClosed, 78, "DRAW_NOT_CLOSED"},
    {ErrorCode::kDrawPublished, 79, "DRAW_PUBLISHED"},
    {ErrorCode::kDrawPrizeNotClaimable, 80, "DRAW_PRIZE_NOT_CLAIMABLE"},
};

TEST(ErrorCodes, KeepTheirNumbersAndNames) {
    for (const PinnedCode& pinned : kPinned) {
        EXPECT_EQ(static_cast<int>(pinned.code), pinned.number) << pinned.name;
        EXPECT_EQ(code_name(pinned.code), pinned.name) << pinned.number;
    }
}

TEST(ErrorCodes, NumbersAndNamesAreUniqueAndGapless) {
    std::set<int> numbers;
    std::set<std::string_view> names;
    for (const PinnedCode& pinned : kPinned) {
        EXPECT_TRUE(numbers.insert(pinned.number).second) << pinned.number << " is pinned twice";
        EXPECT_TRUE(names.insert(pinned.name).second) << pinned.name << " is pinned twice";
    }
    EXPECT_EQ(*numbers.begin(), 0);
    EXPECT_EQ(*numbers.rbegin(), static_cast<int>(numbers.size()) - 1) << "a number was skipped";
}

// code_name has a case for every code (-Wswitch makes sure), so the first number past the pinned
// ones naming something other than the fallback means a code was added without its row above.
TEST(ErrorCodes, EveryCodeIsPinned) {
    const int next = static_cast<int>(std::size(kPinned));
    EXPECT_EQ(code_name(static_cast<ErrorCode>(next)), "INTERNAL") << "pin code " << next << " in kPinned";
}

// A refusal's reason is as fixed as its code: clients word it (the console and portal in Persian).
// Append only, like the enum.
constexpr std::pair<ReasonKind, std::string_view> kReasons[] = {
    {ReasonKind::kNone, ""},
    {ReasonKind::kRequired, "required"},
    {ReasonKind::kUnknownField, "unknown_field"},
    {ReasonKind::kWrongType, "wrong_type"},
    {ReasonKind::kTextLength, "text_length"},
    {ReasonKind::kRange, "range"},
    {ReasonKind::kMultiplier, "multiplier"},
    {ReasonKind::kCount, "count"},
    {ReasonKind::kOneOf, "one_of"},
    {ReasonKind::kTimeOfDay, "time_of_day"},
    {ReasonKind::kDate, "date"},
    {ReasonKind::kInstant, "instant"},
    {ReasonKind::kAfterStart, "after_start"},
    {ReasonKind::kDuplicate, "duplicate"},
    {ReasonKind::kUnknownName, "unknown_name"},
    {ReasonKind::kAboveLower, "above_lower"},
    {ReasonKind::kPercent, "percent"},
    {ReasonKind::kWithinDays, "within_days"},
    {ReasonKind::kAtLeastOne, "at_least_one"},
    {ReasonKind::kCodeText, "code_text"},
    {ReasonKind::kLowerCodeText, "lower_code_text"},
};

TEST(ErrorReasons, KeepTheirNamesAndEveryOneIsPinned) {
    for (std::size_t i = 0; i < std::size(kReasons); ++i) {
        EXPECT_EQ(static_cast<std::size_t>(kReasons[i].first), i) << kReasons[i].second;
        EXPECT_EQ(reason_name(kReasons[i].first), kReasons[i].second) << i;
    }
    EXPECT_EQ(reason_name(static_cast<ReasonKind>(std::size(kReasons))), "") << "pin the new reason in kReasons";
}

// A length counted in bytes names its bounds only for text too short, which it is in characters
// too: 64 bytes hold 32 Persian letters, so "at most 64 characters" would not be true of them.
TEST(ErrorReasons, ABytesLengthIsSaidAsCharactersOnlyWhenTooShort) {
    EXPECT_EQ(short_text(0, 1, 64), reason(ReasonKind::kTextLength, 1, 64));
    EXPECT_EQ(short_text(65, 1, 64), Reason{});
}

// The envelope carries the reason and its bounds beside the message, in the error and in each
// problem, and nothing of them for a refusal without a reason.
TEST(ErrorReasons, TheEnvelopeCarriesThemBesideTheMessage) {
    const nlohmann::json plain =
        nlohmann::json::parse(api::error_body({ErrorCode::kValidationFailed, "is too large", "x"}))["error"];
    EXPECT_FALSE(plain.contains("reason"));
    EXPECT_FALSE(plain.contains("min"));
    const Error refused = all_problems({
        {ErrorCode::kValidationFailed, "is required", "name", {}, {}, reason(ReasonKind::kRequired)},
        {ErrorCode::kValidationFailed,
         "must be a whole number from 1 to 366",
         "days",
         {},
         {},
         reason(ReasonKind::kRange, 1, 366)},
        {ErrorCode::kValidationFailed, "is below min", "max"},
    });
    const nlohmann::json error = nlohmann::json::parse(api::error_body(refused))["error"];
    EXPECT_EQ(error["message"], "is required");
    EXPECT_EQ(error["reason"], "required");
    EXPECT_EQ(error["problems"][1], (nlohmann::json{{"field", "days"},
                                                    {"message", "must be a whole number from 1 to 366"},
                                                    {"reason", "range"},
                                                    {"min", 1},
                                                    {"max", 366}}));
    EXPECT_EQ(error["problems"][2], (nlohmann::json{{"field", "max"}, {"message", "is below min"}}));
}

}  // namespace
}  // namespace patron::core
