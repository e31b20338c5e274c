#include "api/http_error.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "loyalty/core/json_fields.h"
#include "loyalty/core/utf8.h"

namespace patron::api {
namespace {

constexpr std::size_t kProblemsShown = 50;  // A refused document's problems listed, at most.
constexpr std::size_t kFieldShown = 200;    // Bytes of a field's name shown.

}  // namespace

int http_status(core::ErrorCode code) {
    using core::ErrorCode;
    switch (code) {
        case ErrorCode::kMalformedJson:
        case ErrorCode::kMalformedRequest:
        case ErrorCode::kJsonTooDeep:
        case ErrorCode::kHttpVersionNotSupported:
        case ErrorCode::kMalformedXml:
        case ErrorCode::kXmlDtdForbidden:
            return 400;
        case ErrorCode::kUnauthenticated:
        case ErrorCode::kSignatureInvalid:
        case ErrorCode::kTimestampSkew:
        case ErrorCode::kNonceReused:
        case ErrorCode::kKeyUnknown:
        case ErrorCode::kKeyRevoked:
        case ErrorCode::kCodeInvalid:
            return 401;
        case ErrorCode::kForbidden:
        case ErrorCode::kCardBlocked:
        case ErrorCode::kCardClosed:
        case ErrorCode::kStoreMismatch:
            return 403;
        case ErrorCode::kCardNotFound:
        case ErrorCode::kMemberNotFound:
        case ErrorCode::kNotFound:
        case ErrorCode::kReceiptNotFound:
            return 404;
        case ErrorCode::kMethodNotAllowed:
            return 405;
        case ErrorCode::kCouponAlreadyUsed:
        case ErrorCode::kMemberExists:
        case ErrorCode::kStoreExists:
        case ErrorCode::kTerminalExists:
        case ErrorCode::kStaffExists:
        case ErrorCode::kIdempotencyConflict:
        case ErrorCode::kAlreadyVoided:
        case ErrorCode::kAlreadyClaimed:
        case ErrorCode::kCardNumberTaken:
        case ErrorCode::kFeedbackAlreadyGiven:
        case ErrorCode::kAlreadyRunning:
        case ErrorCode::kDraftChanged:
        case ErrorCode::kReferralsClosed:
        case ErrorCode::kDrawCodeUsed:
        case ErrorCode::kDrawClosed:
        case ErrorCode::kDrawNotEligible:
        case ErrorCode::kDrawCapReached:
        case ErrorCode::kDrawAlreadyRun:
        case ErrorCode::kDrawNotClosed:
        case ErrorCode::kDrawPublished:
        case ErrorCode::kDrawPrizeNotClaimable:
            return 409;
        case ErrorCode::kReferralCodeUnknown:
        case ErrorCode::kDrawCodeUnknown:
            return 422;
        case ErrorCode::kRequestTimeout:
            return 408;
        case ErrorCode::kPayloadTooLarge:
            return 413;
        case ErrorCode::kUriTooLong:
            return 414;
        case ErrorCode::kUnsupportedMediaType:
            return 415;
        case ErrorCode::kValidationFailed:
        case ErrorCode::kUnknownCurrency:
        case ErrorCode::kCurrencyMismatch:
        case ErrorCode::kTotalMismatch:
        case ErrorCode::kCardNumberInvalid:
        case ErrorCode::kNotAvailable:
        case ErrorCode::kPointsInsufficient:
        case ErrorCode::kRedemptionBelowMinimum:
        case ErrorCode::kRedemptionExceedsTotal:
        case ErrorCode::kLineNotInReceipt:
        case ErrorCode::kReturnExceedsPurchase:
        case ErrorCode::kVoidWindowClosed:
        case ErrorCode::kClaimWindowClosed:
        case ErrorCode::kFeedbackWindowClosed:
        case ErrorCode::kCouponNotFound:
        case ErrorCode::kCouponNotForMember:
        case ErrorCode::kCouponNotYetValid:
        case ErrorCode::kCouponExpired:
        case ErrorCode::kCouponNotValidNow:
        case ErrorCode::kCouponWrongStore:
        case ErrorCode::kCouponBasketTooSmall:
        case ErrorCode::kCouponNoMatchingItems:
        case ErrorCode::kCouponLimitReached:
        case ErrorCode::kCouponNotCombinable:
        case ErrorCode::kCashbackInsufficient:
        case ErrorCode::kCashbackExceedsTotal:
            return 422;
        case ErrorCode::kTooManyAttempts:
        case ErrorCode::kRateLimited:
            return 429;
        case ErrorCode::kHeadersTooLarge:
            return 431;
        case ErrorCode::kUnavailable:
        case ErrorCode::kOverloaded:
            return 503;
        case ErrorCode::kInternal:
            return 500;
    }
    return 500;
}

int http_status(core::AnswerKind kind) {
    switch (kind) {
        case core::AnswerKind::kCreated:
            return 201;
        case core::AnswerKind::kAnswered:
            return 200;
    }
    return 200;
}

std::string error_body(const core::Error& error, const std::string& incident_id) {
    // A field names what the client sent, and a client names its own keys: a long one is shown cut.
    const auto field_of = [](const std::string& field) {
        if (field.empty()) return nlohmann::json(nullptr);
        if (field.size() <= kFieldShown) return nlohmann::json(field);
        return nlohmann::json(std::string(core::utf8_prefix(field, kFieldShown)) + "\u2026");
    };
    // Why, for a page to say in its own words: the reason's name and the bounds it names.
    const auto with_reason = [](nlohmann::json& object, const core::Reason& why) {
        if (why.kind == core::ReasonKind::kNone) return;
        object["reason"] = core::reason_name(why.kind);
        if (why.min) object["min"] = *why.min;
        if (why.max) object["max"] = *why.max;
    };
    nlohmann::json inner = {
        {"code", core::code_name(error.code)},
        {"message", error.message},
        {"field", field_of(error.field)},
    };
    with_reason(inner, error.reason);
    if (!incident_id.empty()) inner["incident"] = incident_id;
    if (error.retry_at) inner["retry_at"] = core::format_utc(*error.retry_at, core::TimeFormat::kRfc3339);
    if (!error.problems.empty()) {
        nlohmann::json problems = nlohmann::json::array();
        // A body of many wrong fields (a megabyte of unknown keys) is not echoed back whole.
        const std::size_t shown = std::min(error.problems.size(), kProblemsShown);
        for (std::size_t i = 0; i < shown; ++i) {
            nlohmann::json problem = {{"field", field_of(error.problems[i].field)},
                                      {"message", error.problems[i].message}};
            with_reason(problem, error.problems[i].reason);
            problems.push_back(std::move(problem));
        }
        if (shown < error.problems.size()) {
            problems.push_back(
                {{"field", nullptr},
                 {"message", "and " + std::to_string(error.problems.size() - shown) + " more problems not listed"}});
        }
        inner["problems"] = problems;
    }
    // Text a client sent may be echoed in a message: bytes that are not UTF-8 become U+FFFD.
    return core::json_text(nlohmann::json{{"error", inner}});
}

}  // namespace patron::api
