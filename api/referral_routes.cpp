#include "api/referral_routes.h"

#include <nlohmann/json.hpp>

#include "api/member_routes.h"
#include "api/request_body.h"

namespace patron::api {
namespace {

using nlohmann::json;

constexpr std::size_t kTermsBodyMax = 4 * 1024;  // The terms are a few hundred bytes.

json terms_document(const core::ReferralTerms& terms) {
    return json{{"version", terms.version},
                {"terms", terms.version > 0 ? core::encode_referral_terms(terms) : json(nullptr)}};
}

json reward_of(long long points, long long cashback) {
    if (points > 0) return json{{"points", points}};
    if (cashback > 0) return json{{"cashback", cashback}};
    return nullptr;
}

std::string state_of(const store::ReferralRecord& referral, core::Timestamp now) {
    return std::string(core::shown_referral_state(referral.state, referral.qualify_by, now));
}

json friend_document(const store::ReferralRecord& referral, core::Timestamp now, bool staff) {
    json document{{"id", referral.id},
                  {"enrolled_at", time_or_null(referral.enrolled_at)},
                  {"state", state_of(referral, now)},
                  {"qualify_by", time_or_null(referral.qualify_by)},
                  {"referrer_outcome", referral.referrer_outcome},
                  {"reward", reward_of(referral.referrer_points, referral.referrer_cashback)},
                  {"reason", referral.reason.empty() ? json(nullptr) : json(referral.reason)}};
    if (staff) {
        document["friend_id"] = referral.friend_id;
        document["purchase_id"] = referral.purchase_id ? json(*referral.purchase_id) : json(nullptr);
        document["revocations"] = referral.revocations;
    }
    return document;
}

json referred_document(const store::ReferralRecord& referral, core::Timestamp now, bool staff) {
    // Her welcome: what she was given, or while pending what her terms promise.
    json reward = reward_of(referral.friend_points, referral.friend_cashback);
    if (reward.is_null() && referral.state == store::ReferralState::kPending) {
        reward = json{{core::to_string(referral.terms.friend_reward.kind), referral.terms.friend_reward.amount}};
    }
    json document{{"state", state_of(referral, now)},
                  {"qualify_by", time_or_null(referral.qualify_by)},
                  {"reward", reward},
                  {"min_spend", referral.terms.min_spend},
                  {"reason", referral.reason.empty() ? json(nullptr) : json(referral.reason)}};
    if (staff) {
        document["referral_id"] = referral.id;
        document["referrer_id"] = referral.referrer_id;
        document["purchase_id"] = referral.purchase_id ? json(*referral.purchase_id) : json(nullptr);
    }
    return document;
}

json view_document(const service::ReferralView& view, bool staff) {
    json terms = nullptr;
    if (view.terms.version > 0) {
        terms = core::encode_referral_terms(view.terms, staff ? core::TermsReader::kStaff : core::TermsReader::kMember);
    }
    json friends = json::array();
    for (const store::ReferralRecord& referral : view.friends) {
        friends.push_back(friend_document(referral, view.now, staff));
    }
    return json{
        {"code", view.code.empty() ? json(nullptr) : json(view.code)},
        {"shown_code", view.code.empty() ? json(nullptr) : json(core::shown_referral_code(view.code))},
        {"open", view.terms.version > 0 && view.terms.active},
        {"terms", terms},
        {"currency", view.currency},
        {"currency_exponent", currency_exponent(view.currency)},
        {"program_name", view.program_name},
        {"time_zone", view.time_zone},
        {"invited", view.counts.invited},
        {"pending", view.counts.pending},
        {"rewarded", view.counts.rewarded},
        {"capped", view.counts.capped},
        {"lapsed", view.counts.lapsed},
        {"refused", view.counts.refused},
        {"earned", json{{"points", view.counts.points}, {"cashback", view.counts.cashback}}},
        {"this_month",
         json{{"rewarded", view.rewarded_this_month},
              {"limit", view.terms.version > 0 ? json(view.terms.per_referrer_per_month) : json(nullptr)}}},
        {"friends", friends},
        {"referred_by", view.referred_by ? referred_document(*view.referred_by, view.now, staff) : json(nullptr)}};
}

}  // namespace

std::vector<Route> referral_routes(service::ReferralService& referrals) {
    return {
        {"GET", "/v1/program/referrals", Caller::kStaff, kAllStaff, true,
         [&referrals](const HttpRequest&, const CallContext& context) {
             return answer(referrals.terms(*context.staff), 200, terms_document);
         }},
        {"PUT", "/v1/program/referrals", Caller::kStaff, kRoleAdmin | kRoleMarketer, true,
         [&referrals](const HttpRequest& request, const CallContext& context) {
             return with_request(request, core::decode_referral_terms, [&](const core::ReferralTerms& terms) {
                 return answer(referrals.set_terms(*context.staff, terms), 200, terms_document);
             });
         },
         Expense::kOrdinary, kTermsBodyMax},
        {"GET", "/v1/me/referral", Caller::kMember, kNoRoles, true,
         [&referrals](const HttpRequest&, const CallContext& context) {
             return answer(referrals.mine(*context.member), 200,
                           [](const service::ReferralView& view) { return view_document(view, false); });
         }},
        {"GET", "/v1/members/:id/referrals", Caller::kStaff, kRoleAdmin | kRoleSupport | kRoleMarketer, true,
         [&referrals](const HttpRequest& request, const CallContext& context) {
             return with_member_id(request, [&](long long id) {
                 return answer(referrals.of_member(*context.staff, id), 200,
                               [](const service::ReferralView& view) { return view_document(view, true); });
             });
         }},
    };
}

}  // namespace patron::api
