#include "loyalty/core/coupon_requests.h"

#include <nlohmann/json.hpp>

namespace patron::core {
namespace {

using nlohmann::json;

constexpr long long kCodeLengthMin = 6;
constexpr long long kCodeLengthMax = 20;
constexpr long long kCodeLengthDefault = 10;
constexpr std::size_t kPrefixMax = 12;
constexpr std::size_t kChosenCodeMax = 40;
constexpr long long kSegmentIssuanceDefault = 10'000;

bool code_text(const std::string& text, std::size_t longest) {
    return !text.empty() && text.size() <= longest &&
           text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == std::string::npos;
}

Result<CouponCodesRequest> chosen_code(const json& document, const json& code) {
    const std::string text = code.is_string() ? normalise_coupon_code(code.get<std::string>()) : "";
    if (!code_text(text, kChosenCodeMax)) {
        return fail(ErrorCode::kValidationFailed, "a code is 1 to 40 letters, digits or '-'", "code");
    }
    const auto single = document.find("single_use");
    if (single != document.end() && !single->is_boolean()) {
        return fail(ErrorCode::kValidationFailed, "must be true or false", "single_use",
                    reason(ReasonKind::kWrongType));
    }
    return ChosenCouponCode{text, single != document.end() && single->get<bool>()};
}

// The length and prefix of drawn codes, where `document` gives them.
Result<std::pair<int, std::string>> draw_shape(const json& document) {
    const auto length = document.find("length");
    const long long chosen = length == document.end()      ? kCodeLengthDefault
                             : length->is_number_integer() ? length->get<long long>()
                                                           : 0;
    if (chosen < kCodeLengthMin || chosen > kCodeLengthMax) {
        return fail(ErrorCode::kValidationFailed, "length is 6 to 20 random symbols", "length");
    }
    const auto prefix = document.find("prefix");
    const std::string text = prefix == document.end() ? ""
                             : prefix->is_string()    ? normalise_coupon_code(prefix->get<std::string>())
                                                      : "?";
    if (!text.empty() && !code_text(text, kPrefixMax)) {
        return fail(ErrorCode::kValidationFailed, "a prefix is up to 12 letters, digits or '-'", "prefix");
    }
    return std::pair{static_cast<int>(chosen), text};
}

Result<CouponCodesRequest> code_draw(const json& document) {
    const auto count = document.find("count");
    if (count == document.end() || !count->is_number_integer() || count->get<long long>() < 1 ||
        count->get<long long>() > kCouponCodesPerRequestMax) {
        return fail(ErrorCode::kValidationFailed, "count is 1 to 1,000,000 (or send one public code)", "count");
    }
    const auto shape = draw_shape(document);
    if (!shape) return std::unexpected(shape.error());
    return CouponCodeDraw{static_cast<std::size_t>(count->get<long long>()), shape->first, shape->second};
}

}  // namespace

Result<CouponCampaignDocument> decode_coupon_campaign_document(const json& document) {
    auto campaign = parse_coupon_campaign(document);
    if (!campaign) return std::unexpected(campaign.error());
    return CouponCampaignDocument{std::move(*campaign), document.dump()};
}

Result<CouponCodesRequest> decode_coupon_codes_request(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "the request must be a JSON object", "$");
    if (const auto code = document.find("code"); code != document.end()) return chosen_code(document, *code);
    return code_draw(document);
}

Result<SegmentIssuance> decode_segment_issuance(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "the request must be a JSON object", "$");
    for (const auto& [key, value] : document.items()) {
        if (key != "segment" && key != "limit" && key != "length" && key != "prefix") {
            return fail(ErrorCode::kValidationFailed, "is not a field of an issuance", key);
        }
    }
    const auto segment = document.find("segment");
    if (segment == document.end() || !segment->is_string() || segment->get_ref<const std::string&>().empty()) {
        return fail(ErrorCode::kValidationFailed, "is the code of a segment", "segment");
    }
    const auto limit = document.find("limit");
    const long long most = limit == document.end()      ? kSegmentIssuanceDefault
                           : limit->is_number_integer() ? limit->get<long long>()
                                                        : 0;
    if (most < 1 || most > kSegmentIssuanceMax) {
        return fail(ErrorCode::kValidationFailed, "limit is 1 to 100,000 codes a request", "limit");
    }
    const auto shape = draw_shape(document);
    if (!shape) return std::unexpected(shape.error());
    return SegmentIssuance{segment->get<std::string>(), static_cast<std::size_t>(most), shape->first, shape->second};
}

Result<CouponAssignment> decode_coupon_assignment(const json& document) {
    const auto member = document.is_object() ? document.find("member_id") : document.end();
    if (!document.is_object() || member == document.end() || !(member->is_null() || member->is_number_integer())) {
        return fail(ErrorCode::kValidationFailed, "member_id is a member's id, or null for a bearer code", "member_id");
    }
    if (member->is_null()) return CouponAssignment{std::nullopt};
    return CouponAssignment{member->get<std::int64_t>()};
}

}  // namespace patron::core
