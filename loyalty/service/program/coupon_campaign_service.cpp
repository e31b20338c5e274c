#include "loyalty/service/program/coupon_campaign_service.h"

#include <nlohmann/json.hpp>

#include "loyalty/core/coupons.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/members/member_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;
using nlohmann::json;

constexpr int kCodeLengthMin = 6;
constexpr int kCodeLengthMax = 20;
constexpr int kCodeLengthDefault = 10;
constexpr std::size_t kPrefixMax = 12;
constexpr std::size_t kPublicCodeMax = 40;

bool code_text(const std::string& text, std::size_t longest) {
    return !text.empty() && text.size() <= longest &&
           text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") == std::string::npos;
}

core::Result<std::string> checked_document(const json& document) {
    auto campaign = core::parse_coupon_campaign(document);
    if (!campaign) return std::unexpected(campaign.error());
    return document.dump();
}

core::Result<store::CouponCampaignRecord> campaign_of(soci::session& sql, const StaffIdentity& staff, long long id,
                                                      bool for_update) {
    auto campaign = store::find_coupon_campaign(sql, staff.program_id, id, for_update);
    if (!campaign) return fail(ErrorCode::kNotFound, "the program has no coupon campaign with this id", "id");
    return *campaign;
}

void audit(soci::session& sql, const StaffIdentity& staff, const char* action, long long id, const char* fields,
           core::Timestamp now) {
    store::insert_audit(sql, {staff.program_id, staff.label, action, "coupon_campaign", id, fields}, now);
}

}  // namespace

CouponCampaignService::CouponCampaignService(store::Database& database, const Clock& clock,
                                             crypto::RandomSource& random)
    : database_(database), clock_(clock), random_(random) {}

core::Result<store::CouponCampaignRecord> CouponCampaignService::create(const StaffIdentity& staff,
                                                                        const json& document) {
    auto text = checked_document(document);
    if (!text) return std::unexpected(text.error());
    return database_.transact_for<store::CouponCampaignRecord>(
        [&](soci::session& sql) -> core::Result<store::CouponCampaignRecord> {
            const core::Timestamp now = clock_.now();
            const long long id =
                store::insert_coupon_campaign(sql, staff.program_id, document["name"].get<std::string>(), *text, now);
            audit(sql, staff, "coupon_campaign.create", id, "document", now);
            return campaign_of(sql, staff, id, false);
        });
}

core::Result<store::CouponCampaignRecord> CouponCampaignService::replace(const StaffIdentity& staff, long long id,
                                                                         const json& document) {
    auto text = checked_document(document);
    if (!text) return std::unexpected(text.error());
    return database_.transact_for<store::CouponCampaignRecord>(
        [&](soci::session& sql) -> core::Result<store::CouponCampaignRecord> {
            auto campaign = campaign_of(sql, staff, id, true);
            if (!campaign) return campaign;
            if (campaign->status != "draft") {
                return fail(ErrorCode::kNotAvailable, "only a draft campaign changes; end it and make a new one",
                            "status");
            }
            campaign->name = document["name"].get<std::string>();
            campaign->document = *text;
            const core::Timestamp now = clock_.now();
            store::update_coupon_campaign(sql, *campaign, now);
            audit(sql, staff, "coupon_campaign.replace", id, "document", now);
            return *campaign;
        });
}

core::Result<store::CouponCampaignRecord> CouponCampaignService::publish(const StaffIdentity& staff, long long id) {
    return change_status(staff, id, "published");
}

core::Result<store::CouponCampaignRecord> CouponCampaignService::end(const StaffIdentity& staff, long long id) {
    return change_status(staff, id, "ended");
}

core::Result<store::CouponCampaignRecord> CouponCampaignService::change_status(const StaffIdentity& staff, long long id,
                                                                               const std::string& status) {
    return database_.transact_for<store::CouponCampaignRecord>(
        [&](soci::session& sql) -> core::Result<store::CouponCampaignRecord> {
            auto campaign = campaign_of(sql, staff, id, true);
            if (!campaign) return campaign;
            if (status == "published" && campaign->status != "draft") {
                return fail(ErrorCode::kNotAvailable, "only a draft is published", "status");
            }
            campaign->status = status;
            const core::Timestamp now = clock_.now();
            store::update_coupon_campaign(sql, *campaign, now);
            audit(sql, staff, status == "published" ? "coupon_campaign.publish" : "coupon_campaign.end", id, "status",
                  now);
            return *campaign;
        });
}

core::Result<store::CouponCampaignRecord> CouponCampaignService::get(const StaffIdentity& staff, long long id) {
    return database_.run_for<store::CouponCampaignRecord>(
        [&](soci::session& sql) { return campaign_of(sql, staff, id, false); });
}

core::Result<std::vector<store::CouponCampaignRecord>> CouponCampaignService::list(const StaffIdentity& staff) {
    return database_.run_for<std::vector<store::CouponCampaignRecord>>(
        [&](soci::session& sql) -> core::Result<std::vector<store::CouponCampaignRecord>> {
            return store::coupon_campaigns_of_program(sql, staff.program_id);
        });
}

core::Result<long long> CouponCampaignService::add_codes(const StaffIdentity& staff, long long id,
                                                         const json& request) {
    if (!request.is_object()) return fail(ErrorCode::kValidationFailed, "the request must be a JSON object", "$");
    std::vector<std::string> codes;
    bool single_use = true;
    int draw_length = 0;  // Bulk codes: how to draw more when one is taken.
    std::string draw_prefix;
    if (const auto code = request.find("code"); code != request.end()) {
        const std::string text = code->is_string() ? core::normalise_coupon_code(code->get<std::string>()) : "";
        if (!code_text(text, kPublicCodeMax)) {
            return fail(ErrorCode::kValidationFailed, "a code is 1 to 40 letters, digits or '-'", "code");
        }
        const auto single = request.find("single_use");
        if (single != request.end() && !single->is_boolean()) {
            return fail(ErrorCode::kValidationFailed, "must be true or false", "single_use");
        }
        single_use = single != request.end() && single->get<bool>();
        codes.push_back(text);
    } else {
        const auto count = request.find("count");
        if (count == request.end() || !count->is_number_integer() || count->get<long long>() < 1 ||
            count->get<long long>() > kCouponCodesPerRequestMax) {
            return fail(ErrorCode::kValidationFailed, "count is 1 to 1,000,000 (or send one public code)", "count");
        }
        const auto length = request.find("length");
        const long long chosen = length == request.end()       ? kCodeLengthDefault
                                 : length->is_number_integer() ? length->get<long long>()
                                                               : 0;
        if (chosen < kCodeLengthMin || chosen > kCodeLengthMax) {
            return fail(ErrorCode::kValidationFailed, "length is 6 to 20 random symbols", "length");
        }
        const auto prefix = request.find("prefix");
        const std::string text = prefix == request.end() ? ""
                                 : prefix->is_string()   ? core::normalise_coupon_code(prefix->get<std::string>())
                                                         : "?";
        if (!text.empty() && !code_text(text, kPrefixMax)) {
            return fail(ErrorCode::kValidationFailed, "a prefix is up to 12 letters, digits or '-'", "prefix");
        }
        draw_length = static_cast<int>(chosen);
        draw_prefix = text;
        codes =
            generate_coupon_codes(random_, static_cast<std::size_t>(count->get<long long>()), draw_length, draw_prefix);
    }
    return database_.transact_for<long long>([&](soci::session& sql) -> core::Result<long long> {
        auto campaign = campaign_of(sql, staff, id, true);
        if (!campaign) return std::unexpected(campaign.error());
        if (campaign->status == "ended") return fail(ErrorCode::kNotAvailable, "the campaign has ended", "status");
        const core::Timestamp now = clock_.now();
        long long added = store::insert_coupon_codes(sql, staff.program_id, id, codes, single_use, now);
        // A drawn code another campaign holds already (50 random bits make it rare): draw again.
        for (int round = 0; draw_length > 0 && added < static_cast<long long>(codes.size()) && round < 5; ++round) {
            const auto more = generate_coupon_codes(random_, codes.size() - static_cast<std::size_t>(added),
                                                    draw_length, draw_prefix);
            added += store::insert_coupon_codes(sql, staff.program_id, id, more, single_use, now);
        }
        if (draw_length == 0 && added == 0) {
            return fail(ErrorCode::kValidationFailed, "another campaign of the program has this code", "code");
        }
        audit(sql, staff, "coupon_campaign.codes", id, "codes", now);
        return added;
    });
}

core::Result<std::vector<store::CouponCodeRecord>> CouponCampaignService::codes(const StaffIdentity& staff,
                                                                                long long id) {
    return database_.run_for<std::vector<store::CouponCodeRecord>>(
        [&](soci::session& sql) -> core::Result<std::vector<store::CouponCodeRecord>> {
            auto campaign = campaign_of(sql, staff, id, false);
            if (!campaign) return std::unexpected(campaign.error());
            return store::coupon_codes_of_campaign(sql, id);
        });
}

core::Result<store::CouponCodeRecord> CouponCampaignService::assign(const StaffIdentity& staff, const std::string& code,
                                                                    const json& request) {
    const auto member = request.is_object() ? request.find("member_id") : request.end();
    if (!request.is_object() || member == request.end() || !(member->is_null() || member->is_number_integer())) {
        return fail(ErrorCode::kValidationFailed, "member_id is a member's id, or null for a bearer code", "member_id");
    }
    return database_.transact_for<store::CouponCodeRecord>(
        [&](soci::session& sql) -> core::Result<store::CouponCodeRecord> {
            auto found = store::find_coupon_code(sql, staff.program_id, code);
            if (!found) return fail(ErrorCode::kCouponNotFound, "no such coupon", "code");
            std::optional<long long> member_id;
            if (!member->is_null()) {
                const auto record = store::find_member(sql, member->get<long long>());
                if (!record || record->program_id != staff.program_id ||
                    record->status != core::MemberStatus::kActive) {
                    return fail(ErrorCode::kMemberNotFound, "no active member with this id", "member_id");
                }
                member_id = record->id;
            }
            store::assign_coupon_code(sql, found->id, member_id);
            found->member_id = member_id;
            const core::Timestamp now = clock_.now();
            store::insert_audit(
                sql, {staff.program_id, staff.label, "coupon_code.assign", "coupon_code", found->id, "member_id"}, now);
            return *found;
        });
}

}  // namespace patron::service
