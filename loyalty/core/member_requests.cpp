#include "loyalty/core/member_requests.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <utility>

#include "loyalty/core/json_fields.h"
#include "loyalty/core/receipt_text.h"
#include "loyalty/core/referrals.h"

namespace patron::core {
namespace {

using nlohmann::json;

// The optional profile fields, by the name a document gives them.
std::array<std::pair<const char*, std::optional<std::string>*>, 8> optional_fields(MemberApplication& application) {
    return {{{"phone", &application.phone},
             {"email", &application.email},
             {"birth_date", &application.birth_date},
             {"language", &application.language},
             {"gender", &application.gender},
             {"city", &application.city},
             {"postal_code", &application.postal_code},
             {"time_zone", &application.time_zone}}};
}

bool is_optional_field(std::string_view name) {
    MemberApplication probe;
    for (const auto& [key, target] : optional_fields(probe)) {
        if (name == key) return true;
    }
    return false;
}

// An update's language: the one sent, or after applying, the member's (which an import may have left odd).
Result<void> check_language(const std::optional<std::string>& language) {
    if (language && *language != "fa" && *language != "en") {
        return fail(ErrorCode::kValidationFailed, "must be fa or en", "language", reason(ReasonKind::kOneOf));
    }
    return {};
}

// One field of an update: the first problem stops the decoding, named by the field.
Result<void> read_change(const std::string& field, const json& value, MemberUpdate& update) {
    if (field == "full_name") {
        if (!value.is_string())
            return fail(ErrorCode::kValidationFailed, "must be a string", field, reason(ReasonKind::kWrongType));
        update.full_name = value.get<std::string>();
    } else if (field == "consents") {
        auto change = decode_consents(value);
        if (!change) return std::unexpected(change.error());
        update.consents = *change;
    } else if (is_optional_field(field)) {
        if (!value.is_string() && !value.is_null()) {
            return fail(ErrorCode::kValidationFailed, "must be a string or null", field,
                        reason(ReasonKind::kWrongType));
        }
        update.fields[field] = value.is_null() ? std::nullopt : std::optional(value.get<std::string>());
    } else {
        return fail(ErrorCode::kValidationFailed, "is not a member field that can be changed", field);
    }
    update.changed.push_back(field);
    return {};
}

}  // namespace

Result<ConsentChange> decode_consents(const json& value) {
    if (!value.is_object())
        return fail(ErrorCode::kValidationFailed, "must be an object", "consents", reason(ReasonKind::kWrongType));
    ConsentChange change;
    for (const auto& [key, item] : value.items()) {
        const std::string field = "consents." + key;
        if (key == "terms_version") {
            if (!item.is_string())
                return fail(ErrorCode::kValidationFailed, "must be a string", field, reason(ReasonKind::kWrongType));
            change.terms_version = item.get<std::string>();
        } else if (key == "marketing_sms" || key == "marketing_email") {
            if (!item.is_boolean())
                return fail(ErrorCode::kValidationFailed, "must be true or false", field,
                            reason(ReasonKind::kWrongType));
            (key == "marketing_sms" ? change.marketing_sms : change.marketing_email) = item.get<bool>();
        } else {
            return fail(ErrorCode::kValidationFailed, "is not a consent", field);
        }
    }
    return change;
}

Result<MemberApplication> decode_member_application(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "the member must be a JSON object", "$");
    MemberApplication application;
    auto name = optional_string(document, "full_name");
    if (!name) return std::unexpected(name.error());
    if (!*name)
        return fail(ErrorCode::kValidationFailed, "full_name is required", "full_name", reason(ReasonKind::kRequired));
    application.full_name = **name;
    for (auto [key, target] : optional_fields(application)) {
        auto value = optional_string(document, key);
        if (!value) return std::unexpected(value.error());
        *target = *value;
    }
    if (application.language && *application.language != "fa" && *application.language != "en") {
        return fail(ErrorCode::kValidationFailed, "language must be fa or en", "language");
    }
    if (const auto consents = document.find("consents"); consents != document.end() && !consents->is_null()) {
        auto change = decode_consents(*consents);
        if (!change) return std::unexpected(change.error());
        application.consents = *change;
    }
    auto referral = optional_string(document, "referral_code");
    if (!referral) return std::unexpected(referral.error());
    if (*referral) {
        application.referral_code = read_referral_code(**referral);
        if (!application.referral_code) {
            return fail(ErrorCode::kValidationFailed, "a referral code is 8 letters and digits, such as K7Q2-M9XD",
                        "referral_code");
        }
    }
    return application;
}

Result<MemberUpdate> decode_member_update(const json& document) {
    if (!document.is_object() || document.empty()) {
        return fail(ErrorCode::kValidationFailed, "send an object with the fields to change", "$");
    }
    MemberUpdate update;
    for (const auto& [field, value] : document.items()) {
        if (auto read = read_change(field, value, update); !read) return std::unexpected(read.error());
    }
    const auto language = update.fields.find("language");
    if (language != update.fields.end()) {
        if (auto checked = check_language(language->second); !checked) return std::unexpected(checked.error());
    }
    return update;
}

Result<MemberUpdate> decode_own_member_update(const json& document) {
    if (document.is_object()) {
        if (document.contains("phone")) {
            return fail(ErrorCode::kValidationFailed,
                        "the phone is how you sign in and cannot be changed here; ask at the store", "phone");
        }
        if (auto known = only_fields(document, {"full_name", "email", "birth_date", "city", "language", "time_zone",
                                                "consents", "password"});
            !known) {
            return std::unexpected(known.error());
        }
        if (const auto consents = document.find("consents"); consents != document.end() && consents->is_object()) {
            if (auto known = only_fields(*consents, {"marketing_sms", "marketing_email"}, "consents."); !known) {
                return std::unexpected(known.error());
            }
        }
    }
    if (!document.is_object() || !document.contains("password")) return decode_member_update(document);
    const json& password = document["password"];
    if (!password.is_string() || password.get_ref<const std::string&>().empty() ||
        password.get_ref<const std::string&>().size() > 256) {
        return fail(ErrorCode::kValidationFailed, "must be your password (1 to 256 characters)", "password");
    }
    json rest = document;
    rest.erase("password");
    auto update = decode_member_update(rest);
    if (update) update->password = password.get<std::string>();
    return update;
}

Result<PointsAdjustment> decode_points_adjustment(const json& document) {
    if (!document.is_object()) return fail(ErrorCode::kValidationFailed, "the adjustment must be a JSON object", "$");
    const auto points = document.find("points");
    if (points == document.end() || !points->is_number_integer() ||
        (points->is_number_unsigned() && points->get<std::uint64_t>() > 1'000'000'000)) {
        return fail(ErrorCode::kValidationFailed, "points must be a whole number (negative to remove)", "points");
    }
    auto reason = optional_string(document, "reason");
    if (!reason) return std::unexpected(reason.error());
    return PointsAdjustment{points->get<long long>(), reason->value_or("")};
}

Result<CardStateChange> decode_card_state_change(const json& document) {
    if (!document.is_object())
        return fail(ErrorCode::kValidationFailed, "must be an object", "$", reason(ReasonKind::kWrongType));
    auto state = string_or_empty(document, "state");
    if (!state) return std::unexpected(state.error());
    auto reason = string_or_empty(document, "reason");
    if (!reason) return std::unexpected(reason.error());
    return CardStateChange{parse_card_state(*state), std::move(*reason)};
}

Result<CardReplacement> decode_card_replacement(const json& document) {
    if (!document.is_object())
        return fail(ErrorCode::kValidationFailed, "must be an object", "$", reason(ReasonKind::kWrongType));
    auto reason = string_or_empty(document, "reason");
    if (!reason) return std::unexpected(reason.error());
    return CardReplacement{std::move(*reason)};
}

Result<CardIssue> decode_card_issue(const json& document) {
    if (!document.is_object())
        return fail(ErrorCode::kValidationFailed, "must be an object", "$", reason(ReasonKind::kWrongType));
    if (auto known = only_fields(document, {"kind", "number", "primary"}); !known) {
        return std::unexpected(known.error());
    }
    auto kind = string_or_empty(document, "kind");
    if (!kind) return std::unexpected(kind.error());
    if (*kind != "physical" && *kind != "virtual") {
        return fail(ErrorCode::kValidationFailed, "must be physical or virtual", "kind", reason(ReasonKind::kOneOf));
    }
    auto number = optional_string(document, "number");
    if (!number) return std::unexpected(number.error());
    const auto primary = document.find("primary");
    if (primary != document.end() && !primary->is_null() && !primary->is_boolean()) {
        return fail(ErrorCode::kValidationFailed, "must be true or false", "primary", reason(ReasonKind::kWrongType));
    }
    return CardIssue{std::move(*kind), std::move(*number),
                     primary != document.end() && primary->is_boolean() && primary->get<bool>()};
}

Result<CardRangeRegistration> decode_card_range_registration(const json& document) {
    if (!document.is_object())
        return fail(ErrorCode::kValidationFailed, "must be an object", "$", reason(ReasonKind::kWrongType));
    if (auto known = only_fields(document, {"name", "first", "last"}); !known) return std::unexpected(known.error());
    CardRangeRegistration registration;
    for (auto [key, target] : {std::pair{"name", &registration.name}, std::pair{"first", &registration.range.first},
                               std::pair{"last", &registration.range.last}}) {
        auto value = string_or_empty(document, key);
        if (!value) return std::unexpected(value.error());
        *target = std::move(*value);
    }
    if (registration.name.find_first_not_of(" \t\r\n") == std::string::npos ||
        code_points(registration.name) > kCardRangeNameMax) {
        return fail(ErrorCode::kValidationFailed, "must be 1 to 100 characters", "name",
                    reason(ReasonKind::kTextLength, 1, 100));
    }
    return registration;
}

Result<MemberMergeRequest> decode_member_merge(const json& document) {
    const auto from = document.is_object() ? document.find("from") : document.end();
    if (from == document.end() || !from->is_number_integer()) {
        return fail(ErrorCode::kValidationFailed, "name the member to merge in: {\"from\": id}", "from");
    }
    return MemberMergeRequest{from->get<long long>()};
}

Result<void> apply_member_update(const MemberUpdate& update, MemberApplication& application) {
    if (update.full_name) application.full_name = *update.full_name;
    if (update.consents) application.consents = *update.consents;
    for (auto [key, target] : optional_fields(application)) {
        if (const auto sent = update.fields.find(key); sent != update.fields.end()) *target = sent->second;
    }
    return check_language(application.language);
}

}  // namespace patron::core
