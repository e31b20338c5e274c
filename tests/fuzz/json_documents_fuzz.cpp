// Any bytes as one of the JSON documents staff and members send, the first byte (a digit or a
// letter from a in the seeds of tests/data/json-documents) choosing which decoder reads the rest. A decoder answers
// with a value or with errors patrond can send as a 4xx naming the field; it never crashes and
// never throws (an escaping exception is a 500). What decodes is then used as patrond would:
// a rule set rates two baskets, a tier policy is stored and read back, a campaign is priced.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "api/http_error.h"
#include "loyalty/core/cashback.h"
#include "loyalty/core/coupon_requests.h"
#include "loyalty/core/coupons.h"
#include "loyalty/core/document_reader.h"
#include "loyalty/core/engine.h"
#include "loyalty/core/events.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/member_requests.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/core/settings_request.h"
#include "loyalty/core/sign_in_requests.h"
#include "loyalty/core/staff_requests.h"
#include "loyalty/core/stamps.h"
#include "loyalty/core/terminal_requests.h"
#include "loyalty/core/tiers.h"
#include "loyalty/core/webhooks.h"
#include "pos-adapter/document_fields.h"
#include "tests/unit/sample_basket.h"

namespace patron::fuzz {
namespace {

using nlohmann::json;

// The document being decoded, for the checks of its errors.
const json* current_document = nullptr;

// Stops the run on a broken promise, also in a build where assert() is compiled out.
void require(bool promise) {
    if (!promise) __builtin_trap();
}

// Whether some object of the document has a member named "": the one field whose path may be
// empty. Walked with a stack of its own, since a document may nest thousands deep.
bool has_empty_key(const json& document) {
    std::vector<const json*> pending = {&document};
    while (!pending.empty()) {
        const json& value = *pending.back();
        pending.pop_back();
        if (value.is_object() && value.contains("")) return true;
        if (value.is_structured()) {
            for (const json& item : value) pending.push_back(&item);
        }
    }
    return false;
}

// An error as the client would get it: a 4xx whose body encodes (a field that is not valid
// UTF-8 would make the encoding throw) and names the field.
void check_error(const core::Error& error) {
    const int status = api::http_status(error.code);
    require(status >= 400 && status < 500);
    require(!error.field.empty() || has_empty_key(*current_document));
    (void)api::error_body(error);
}

void check_problems(const std::vector<core::Error>& problems) {
    require(!problems.empty());
    for (const core::Error& problem : problems) check_error(problem);
    check_error(core::all_problems(problems));
}

// The sample basket with each line a third of the largest amount a purchase document allows:
// rules are bounded so that their arithmetic holds for any basket a terminal can send.
core::Purchase large_basket() {
    constexpr std::int64_t kThird = pos::kAmountMax / 3;
    core::Purchase purchase = core::basket();
    for (core::PurchaseLine& line : purchase.lines) {
        line.quantity_milli = 1000;
        line.unit_price = kThird;
        line.amount = kThird;
        line.discount = 0;
    }
    purchase.total = kThird * static_cast<std::int64_t>(purchase.lines.size());
    return purchase;
}

core::MemberState member() {
    core::MemberState state;
    state.tier = "Gold";
    state.birth_month = 11;
    state.points_available = 1'000'000'000;
    state.cashback_available = 1'000'000'000;
    state.stamps["coffee"] = {9, std::nullopt};
    return state;
}

void rate(const core::RuleSet& rules, const core::Purchase& purchase) {
    const auto outcome = core::evaluate(purchase, member(), rules, purchase.pos_time.utc);
    if (!outcome) return check_error(outcome.error());
    (void)core::allocate_earnings(purchase, *outcome, rules);
    (void)core::allocate_cashback(purchase, *outcome, rules);
    (void)core::stamp_summaries(outcome->effects, rules);
}

// What a rule set accepts stays within the bounds its errors state: multipliers above 0 and at
// most x100, cashback above 0% and at most 100% (the upper bounds keep the engine's arithmetic
// exact; a value that rounds to 0 would be a rule that silently gives nothing).
void check_bounds(const core::RuleSet& rules) {
    for (const core::Rule& rule : rules.rules) {
        for (const auto* table : {&rule.category_percent, &rule.sku_percent, &rule.tier_percent}) {
            for (const auto& [name, percent] : *table) require(percent >= 1 && percent <= core::kPercentMax);
        }
    }
    constexpr std::int64_t kWholeInBasisPoints = 10'000;
    for (const core::CashbackRule& rule : rules.cashback) {
        require(rule.basis_points >= 1 && rule.basis_points <= kWholeInBasisPoints);
    }
}

// PUT /v1/program/rules/draft, and the preview and rating of what it publishes; the same body as
// one entry of the draft (PUT /v1/program/rules/draft/rules/{id}), merged into an empty draft.
void rule_set(const json& document) {
    if (const auto entry = core::RuleEntry::read(document, "fuzz"); !entry) {
        check_error(entry.error());
    } else {
        core::RuleDocument draft;
        draft.put(core::RuleList::kRules, *entry);
        require(draft.remove(core::RuleList::kRules, "fuzz") && draft.as_json()["rules"].empty());
    }
    const core::RuleDocument written(document);
    const auto rules = written.validate();
    if (!rules) {
        for (const auto& problem : rules.error().problems) require(!problem.field.empty() || has_empty_key(document));
        return check_error(rules.error());
    }
    check_bounds(*rules);
    (void)written.text();  // The draft is stored as its text.
    rate(*rules, core::basket());
    rate(*rules, large_basket());
}

// PUT /v1/program/tiers: the policy is stored as tier_policy_text() and read back from it.
void tier_policy(const json& document) {
    if (const auto problems = core::parse_tier_policy(document, 1); !problems) check_problems(problems.error());
    const auto policy = core::decode_tier_policy(document);
    if (!policy) return check_error(policy.error());
    const auto stored = core::read_stored_tier_policy(core::tier_policy_text(*policy), 2);
    require(stored.has_value() && stored->tiers.size() == policy->tiers.size());
}

// POST /v1/coupon-campaigns/{id}/codes and POST /v1/coupon-codes/{code}/assignment: what decodes
// is within the counts and lengths the service draws and stores.
void coupon_requests(const json& document) {
    if (const auto codes = core::decode_coupon_codes_request(document); !codes) {
        check_error(codes.error());
    } else if (const auto* draw = std::get_if<core::CouponCodeDraw>(&*codes)) {
        require(draw->count >= 1 && static_cast<std::int64_t>(draw->count) <= core::kCouponCodesPerRequestMax);
        require(draw->length >= 6 && draw->length <= 20 && draw->prefix.size() <= 12);
    } else {
        const std::string& code = std::get<core::ChosenCouponCode>(*codes).code;
        require(!code.empty() && code.size() <= 40);
    }
    if (const auto assignment = core::decode_coupon_assignment(document); !assignment) {
        check_error(assignment.error());
    }
}

// POST /v1/coupon-campaigns, and its code presented with both baskets.
void coupon_campaign(const json& document) {
    coupon_requests(document);
    const auto written = core::decode_coupon_campaign_document(document);
    if (!written) return check_error(written.error());
    require(written->text == document.dump());  // The campaign is stored as its text.
    const core::CouponCampaign* campaign = &written->campaign;
    const std::vector<core::PresentedCoupon> presented = {{"FUZZ-1", campaign}};
    const core::CouponMember holder{true, 7, "Gold"};
    for (const core::Purchase& purchase : {core::basket(), large_basket()}) {
        const auto priced = core::price_coupons(purchase, presented, holder, core::Language::kPersian);
        if (!priced) check_error(priced.error());
    }
}

// PUT /v1/program/rules/draft/cashback/{id} and .../stamp-cards/{id} as a list of the rule set.
void entry_list(const json& document, std::vector<core::Error> (*read)(const json&)) {
    const std::vector<core::Error> problems = read(document);
    if (!problems.empty()) check_problems(problems);
}

std::vector<core::Error> cashback_problems(const json& list) {
    std::vector<core::Error> problems;
    (void)core::read_cashback_rules(list, problems);
    return problems;
}

std::vector<core::Error> stamp_card_problems(const json& list) {
    std::vector<core::Error> problems;
    (void)core::read_stamp_cards(list, problems);
    return problems;
}

const std::string* string_at(const json& document, const char* key) {
    if (!document.is_object()) return nullptr;
    const auto it = document.find(key);
    return it != document.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

// The profile fields of any document straight through the normalisers the member and sign-in
// requests reach (kinds 7, 8, d and g decode those requests whole first); the masked name is
// sent to cashiers.
void member_fields(const json& document) {
    if (const std::string* phone = string_at(document, "phone")) {
        if (auto normalised = core::normalise_phone(*phone, "98", "phone"); !normalised) {
            check_error(normalised.error());
        }
    }
    if (const std::string* email = string_at(document, "email")) {
        if (auto normalised = core::normalise_email(*email, "email"); !normalised) check_error(normalised.error());
    }
    if (const std::string* birth_date = string_at(document, "birth_date")) {
        if (const auto date = core::parse_date(*birth_date)) (void)json(core::format_date(*date)).dump();
    }
    if (const std::string* name = string_at(document, "full_name")) (void)json(core::masked_name(*name)).dump();
}

// POST /v1/members/{id}/claims (the receipt key) and the effective_from of a rule set publish.
void receipt_claim(const json& document) {
    for (const bool total_required : {false, true}) {
        auto claim = pos::decode_receipt_claim(document, total_required);
        if (!claim) check_error(claim.error());
        if (claim && total_required) require(claim->total && *claim->total >= 0);
    }
    if (!document.is_object()) return;
    if (const std::string* at = string_at(document, "effective_from")) (void)pos::parse_rfc3339(*at);
}

// The member service's checks of an enrolment or an updated member: phone and email normalised,
// the birth date read, the name masked for cashiers.
void normalise(const core::MemberApplication& application) {
    if (application.phone) {
        if (auto phone = core::normalise_phone(*application.phone, "98", "phone"); !phone) check_error(phone.error());
    }
    if (application.email) {
        if (auto email = core::normalise_email(*application.email, "email"); !email) check_error(email.error());
    }
    if (application.birth_date) {
        if (const auto date = core::parse_date(*application.birth_date)) (void)json(core::format_date(*date)).dump();
    }
    (void)json(core::masked_name(application.full_name)).dump();
}

// POST /v1/members.
void member_application(const json& document) {
    const auto application = core::decode_member_application(document);
    if (!application) return check_error(application.error());
    require(!application->language || *application->language == "fa" || *application->language == "en");
    normalise(*application);
}

// PATCH /v1/members/{id}, applied to a member as the service holds one.
void member_update(const json& document) {
    const auto update = core::decode_member_update(document);
    if (!update) return check_error(update.error());
    require(!update->changed.empty());
    core::MemberApplication member{"Sara Ahmadi", "+989121234567", std::nullopt, "1990-03-21", "fa"};
    if (auto applied = core::apply_member_update(*update, member); !applied) return check_error(applied.error());
    normalise(member);
}

// PATCH /v1/program/settings, applied to the default points policy: what is accepted is in bounds.
void program_settings(const json& document) {
    const auto change = core::decode_program_settings(document);
    if (!change) {
        for (const auto& problem : change.error().problems) require(!problem.field.empty() || has_empty_key(document));
        return check_error(change.error());
    }
    core::PointsPolicy policy;
    core::apply_points_change(change->points, policy);
    require(policy.expiry_months >= 1 && policy.expiry_months <= 120);
    require(policy.redeem_points_min >= 1 && policy.point_value_minor >= 0);
    require(policy.hold.count() >= 0 && policy.void_window.count() >= 0 && policy.quote_hold.count() >= 0);
    require(policy.late_after.count() >= 24 * 3600);
    require(policy.expiry_notice.count() >= 0 && policy.expiry_notice.count() <= 90 * 24 * 3600);
    core::MessagePolicy messages;
    core::apply_message_change(change->messages, messages);
    require(messages.weekly_cap >= 0 && messages.weekly_cap <= 21);
    require(messages.quiet_from_hour >= 0 && messages.quiet_from_hour <= 23);
    require(messages.quiet_until_hour >= 0 && messages.quiet_until_hour <= 23);
}

// POST /v1/stores.
void store_registration(const json& document) {
    const auto store = core::decode_store_registration(document);
    if (!store) return check_error(store.error());
    require(core::is_store_code(store->code) && !store->name.empty() && store->name.size() <= 128);
    require(core::is_time_zone_name(store->time_zone));
}

// POST /v1/stores/{store}/terminals: the registry then checks the code.
void terminal_registration(const json& document) {
    const auto terminal = core::decode_terminal_registration(document);
    if (!terminal) return check_error(terminal.error());
    (void)core::is_store_code(terminal->code);
}

// POST /v1/stores/{store}/terminals/{terminal}/keys (a key rotation) with a body.
void key_rotation(const json& document) {
    const auto rotation = core::decode_key_rotation(document);
    if (!rotation) return check_error(rotation.error());
    require(!rotation->grace || rotation->grace->count() >= 0);
}

// POST /v1/staff/sessions: what decodes is checked against a stored hash (not here: it is slow).
void staff_sign_in(const json& document) {
    const auto sign_in = core::decode_staff_sign_in(document);
    if (!sign_in) return check_error(sign_in.error());
    if (auto email = core::normalise_email(sign_in->email, "email"); !email) check_error(email.error());
}

// POST /v1/staff/users: the user is stored as decoded (its password hashed).
void new_staff_user(const json& document) {
    const auto user = core::decode_new_staff_user(document);
    if (!user) return check_error(user.error());
    require(core::parse_staff_role(core::to_string(user->role)) == user->role);
    require(!user->name.empty() && user->name.size() <= 100);
    require(user->password.size() >= core::kStaffPasswordMin && user->password.size() <= core::kStaffPasswordMax);
    (void)json(user->email).dump();
}

// PATCH /v1/staff/users/{id}: the fields named for the audit are the ones sent.
void staff_user_change(const json& document) {
    const auto change = core::decode_staff_user_change(document);
    if (!change) return check_error(change.error());
    require(change->fields.empty() == document.empty());
}

// The member sign-in service's reading of a contact: a phone or an email, normalised.
void contact(const core::MemberContact& sent) {
    if (!sent.phone.empty()) {
        if (auto phone = core::normalise_phone(sent.phone, "98", "phone"); !phone) check_error(phone.error());
    }
    if (!sent.email.empty()) {
        if (auto email = core::normalise_email(sent.email, "email"); !email) check_error(email.error());
    }
}

// POST /v1/me/codes and POST /v1/me/sessions.
void member_sign_in(const json& document) {
    const auto request = core::decode_member_sign_in(document);
    if (!request) return check_error(request.error());
    contact(request->contact);
}

// POST /v1/me/password: what decodes is a six-digit code and a password that can be hashed.
void member_password(const json& document) {
    const auto request = core::decode_member_password(document);
    if (!request) return check_error(request.error());
    require(request->code.size() == core::kMemberCodeDigits);
    require(request->password.size() >= core::kMemberPasswordMin &&
            request->password.size() <= core::kMemberPasswordMax);
    contact(request->contact);
}

// POST /v1/members/{id}/points/adjustments, .../merge, /v1/cards/{number}/state and
// .../replacement: what decodes goes to the services as it is (they check bounds and states).
void member_admin(const json& document) {
    if (const auto adjustment = core::decode_points_adjustment(document); !adjustment) {
        check_error(adjustment.error());
    } else {
        require(adjustment->points <= 1'000'000'000);
    }
    if (const auto merge = core::decode_member_merge(document); !merge) check_error(merge.error());
    if (const auto change = core::decode_card_state_change(document); !change) check_error(change.error());
    if (const auto replacement = core::decode_card_replacement(document); !replacement) {
        check_error(replacement.error());
    }
}

// PATCH /v1/me, PUT /v1/me/password and DELETE /v1/me: what a member changes of their own record
// is never the phone and is applied like a staff change; a new password can be hashed; a
// confirming password is never empty.
void member_self_service(const json& document) {
    if (const auto update = core::decode_own_member_update(document); !update) {
        check_error(update.error());
    } else {
        require(!update->fields.contains("phone") && !update->changed.empty());
        core::MemberApplication member{"Sara Ahmadi", "+989121234567", std::nullopt, "1990-03-21", "fa"};
        if (auto applied = core::apply_member_update(*update, member); !applied) {
            check_error(applied.error());
        } else {
            normalise(member);
        }
    }
    if (const auto change = core::decode_member_password_change(document); !change) {
        check_error(change.error());
    } else {
        require(!change->current_password.empty());
        require(change->new_password.size() >= core::kMemberPasswordMin &&
                change->new_password.size() <= core::kMemberPasswordMax);
    }
    if (const auto password = core::decode_account_deletion(document); !password) {
        check_error(password.error());
    } else {
        require(!password->empty());
    }
}

// A webhook subscription, made and changed: what decodes is an http(s) URL of printable ASCII with
// a host and no credentials, known distinct types (or "*" alone), sorted.
void webhook_subscription(const json& document) {
    for (const bool creating : {true, false}) {
        const auto request = core::decode_webhook_request(document, creating);
        if (!request) {
            check_error(request.error());
            continue;
        }
        if (creating) require(request->url && request->event_types);
        if (request->url) {
            const std::string& url = *request->url;
            require(!url.empty() && url.size() <= core::kWebhookUrlMax);
            require(url.find('@') == std::string::npos || url.find('@') > url.find_first_of("/?", 8));
            require(std::all_of(url.begin(), url.end(), [](char c) { return c > 0x20 && c < 0x7f; }));
        }
        if (request->event_types) {
            const auto& types = *request->event_types;
            require(!types.empty() && std::is_sorted(types.begin(), types.end()));
            require(std::adjacent_find(types.begin(), types.end()) == types.end());
            for (const std::string& type : types) require(type == "*" || core::parse_event_type(type).has_value());
            require(types.size() == 1 || std::find(types.begin(), types.end(), "*") == types.end());
        }
        if (request->description) require(request->description->size() <= core::kWebhookDescriptionMax);
    }
}

using Decoder = void (*)(const json&);
const Decoder kDecoders[] = {
    rule_set,
    tier_policy,
    coupon_campaign,
    [](const json& document) { entry_list(document, cashback_problems); },
    [](const json& document) { entry_list(document, stamp_card_problems); },
    member_fields,
    receipt_claim,
    member_application,
    member_update,
    program_settings,
    store_registration,     // 'a'
    terminal_registration,  // 'b'
    key_rotation,           // 'c'
    staff_sign_in,          // 'd'
    new_staff_user,         // 'e'
    staff_user_change,      // 'f'
    member_sign_in,         // 'g'
    member_password,        // 'h'
    member_admin,           // 'i'
    member_self_service,    // 'j'
    webhook_subscription,   // 'k'
};

// The seeds' first byte: '0' to '9' are kinds 0 to 9, 'a' onwards 10 onwards; any other byte
// picks some kind too.
std::size_t kind_of(std::uint8_t first) {
    if (first >= '0' && first <= '9') return first - '0';
    if (first >= 'a' && first <= 'z') return 10 + (first - 'a');
    return first;
}

}  // namespace
}  // namespace patron::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace patron::fuzz;
    if (size == 0) return 0;
    const Decoder decode = kDecoders[kind_of(data[0]) % std::size(kDecoders)];
    const auto document = nlohmann::json::parse(data + 1, data + size, nullptr, false);
    if (document.is_discarded()) return 0;
    current_document = &document;
    try {
        decode(document);
    } catch (...) {
        __builtin_trap();
    }
    return 0;
}
