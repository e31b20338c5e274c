#include "loyalty/service/program/coupon_campaign_service.h"

#include <algorithm>

#include "loyalty/service/insight/segment_references.h"
#include "loyalty/service/posting/coupon_redemptions.h"
#include "loyalty/service/posting/holdout_assignment.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/events/outbox_store.h"
#include "loyalty/store/insight/campaign_exposure_store.h"
#include "loyalty/store/insight/segment_store.h"
#include "loyalty/store/members/member_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

core::Result<store::CouponCampaignRecord> campaign_of(soci::session& sql, const StaffIdentity& staff, long long id,
                                                      bool for_update) {
    auto campaign = store::find_coupon_campaign(sql, staff.program_id, id, for_update);
    if (!campaign) return fail(ErrorCode::kNotFound, "the program has no coupon campaign with this id", "id");
    return *campaign;
}

void audit(soci::session& sql, const crypto::KeyRing& keys, const StaffIdentity& staff, core::AuditAction action,
           long long id, const char* fields, core::Timestamp now) {
    store::insert_audit(sql, keys, {staff.program_id, audit_actor(staff), action, "coupon_campaign", id, fields}, now);
}

// When the campaign has a hold-out, records the member as eligible for it; whether they are held out.
bool record_holdout_exposure(soci::session& sql, long long program_id, long long campaign_id, long long member_id,
                             core::Timestamp now) {
    const auto record = store::find_coupon_campaign(sql, program_id, campaign_id, false);
    const auto campaign = record ? stored_coupon_campaign(*record) : std::nullopt;
    if (!campaign || !campaign->holdout) return false;
    const std::string key = std::to_string(campaign_id);
    const bool held_out = is_held_out(*campaign->holdout, core::CampaignKind::kCoupon, key, member_id);
    store::record_exposures(sql, program_id, core::CampaignKind::kCoupon, member_id, {{key, held_out}}, std::nullopt,
                            now);
    return held_out;
}

// Members of a segment judged in one short transaction of an issuance (the campaign stays locked
// for it, so tills redeeming the campaign wait no longer than that).
constexpr std::size_t kIssuanceChunkMembers = 500;

// An issuance's failure after some of its chunks committed: their codes and hold-out records
// stay, so the message says how many (sending the request again carries on after them).
core::Error partly_issued(core::Error error, const SegmentIssued& issued) {
    if (issued.issued == 0 && issued.held_out == 0) return error;
    error.message += "; this request had issued " + std::to_string(issued.issued) + " codes and found " +
                     std::to_string(issued.held_out) +
                     " members held out before it stopped, and those stay: send it again to carry on";
    return error;
}

}  // namespace

CouponCampaignService::CouponCampaignService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                                             crypto::RandomSource& random)
    : database_(database), keys_(keys), clock_(clock), random_(random) {}

core::Result<store::CouponCampaignRecord> CouponCampaignService::create(const StaffIdentity& staff,
                                                                        const core::CouponCampaignDocument& campaign) {
    return database_.transact_for<store::CouponCampaignRecord>(
        [&](soci::session& sql) -> core::Result<store::CouponCampaignRecord> {
            const auto named = check_segment_codes(sql, staff.program_id, core::scoped_segments(campaign.campaign));
            if (!named) return std::unexpected(named.error());
            const core::Timestamp now = clock_.now();
            const long long id =
                store::insert_coupon_campaign(sql, staff.program_id, campaign.campaign.name, campaign.text, now);
            audit(sql, keys_, staff, core::AuditAction::kCouponCampaignCreate, id, "document", now);
            return campaign_of(sql, staff, id, false);
        });
}

core::Result<store::CouponCampaignRecord> CouponCampaignService::replace(
    const StaffIdentity& staff, long long id, const core::CouponCampaignDocument& replacement) {
    return database_.transact_for<store::CouponCampaignRecord>(
        [&](soci::session& sql) -> core::Result<store::CouponCampaignRecord> {
            auto campaign = campaign_of(sql, staff, id, true);
            if (!campaign) return campaign;
            if (campaign->status != "draft") {
                return fail(ErrorCode::kNotAvailable, "only a draft campaign changes; end it and make a new one",
                            "status");
            }
            const auto named = check_segment_codes(sql, staff.program_id, core::scoped_segments(replacement.campaign));
            if (!named) return std::unexpected(named.error());
            campaign->name = replacement.campaign.name;
            campaign->document = replacement.text;
            const core::Timestamp now = clock_.now();
            store::update_coupon_campaign(sql, *campaign, now);
            audit(sql, keys_, staff, core::AuditAction::kCouponCampaignReplace, id, "document", now);
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
            audit(sql, keys_, staff,
                  status == "published" ? core::AuditAction::kCouponCampaignPublish
                                        : core::AuditAction::kCouponCampaignEnd,
                  id, "status", now);
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
                                                         const core::CouponCodesRequest& request,
                                                         WorkProgress* progress) {
    std::vector<std::string> codes;
    bool single_use = true;
    int draw_length = 0;  // Drawn codes: how to draw more when one is taken.
    std::string draw_prefix;
    if (const auto* chosen = std::get_if<core::ChosenCouponCode>(&request)) {
        codes.push_back(chosen->code);
        single_use = chosen->single_use;
    } else {
        const auto& draw = std::get<core::CouponCodeDraw>(request);
        draw_length = draw.length;
        draw_prefix = draw.prefix;
        codes = generate_coupon_codes(random_, draw.count, draw_length, draw_prefix);
    }
    return database_.transact_for<long long>([&](soci::session& sql) -> core::Result<long long> {
        auto campaign = campaign_of(sql, staff, id, true);
        if (!campaign) return std::unexpected(campaign.error());
        if (campaign->status == "ended") return fail(ErrorCode::kNotAvailable, "the campaign has ended", "status");
        const core::Timestamp now = clock_.now();
        // In steps, each counted for whoever shows the progress (from none again when a deadlock
        // runs the transaction again).
        if (progress != nullptr) {
            progress->done = 0;
            progress->total = static_cast<long long>(codes.size());
        }
        long long added = 0;
        for (std::size_t begin = 0; begin < codes.size(); begin += kCodesPerStep) {
            const auto from = codes.begin() + static_cast<std::ptrdiff_t>(begin);
            const std::vector<std::string> step(
                from, from + static_cast<std::ptrdiff_t>(std::min(kCodesPerStep, codes.size() - begin)));
            added += store::insert_coupon_codes(sql, staff.program_id, id, step, single_use, now);
            add_done(progress, static_cast<long long>(step.size()));
        }
        // A drawn code another campaign holds already (50 random bits make it rare): draw again.
        for (int round = 0; draw_length > 0 && added < static_cast<long long>(codes.size()) && round < 5; ++round) {
            const auto more = generate_coupon_codes(random_, codes.size() - static_cast<std::size_t>(added),
                                                    draw_length, draw_prefix);
            added += store::insert_coupon_codes(sql, staff.program_id, id, more, single_use, now);
        }
        if (draw_length == 0 && added == 0) {
            return fail(ErrorCode::kValidationFailed, "another campaign of the program has this code", "code");
        }
        audit(sql, keys_, staff, core::AuditAction::kCouponCampaignCodes, id, "codes", now);
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

core::Result<SegmentIssued> CouponCampaignService::issue_to_segment(const StaffIdentity& staff, long long id,
                                                                    const core::SegmentIssuance& issuance) {
    SegmentIssued issued;
    long long after = 0;
    // What one chunk did. It is added to `issued` only once its transaction committed: a deadlock
    // or a lost connection runs the chunk again from the start.
    struct Chunk {
        std::size_t judged = 0;
        long long last_member = 0;
        long long issued = 0;
        long long held_out = 0;
        std::optional<core::Timestamp> computed_at;
    };
    for (;;) {
        const std::size_t wanted =
            std::min(kIssuanceChunkMembers, issuance.limit - static_cast<std::size_t>(issued.issued));
        // The campaign is locked so that issuances of one campaign run one at a time and no member
        // gets two codes.
        auto chunk = database_.transact_for<Chunk>([&](soci::session& sql) -> core::Result<Chunk> {
            auto record = campaign_of(sql, staff, id, true);
            if (!record) return std::unexpected(record.error());
            if (record->status == "ended") return fail(ErrorCode::kNotAvailable, "the campaign has ended", "status");
            const auto segment = store::find_segment(sql, staff.program_id, issuance.segment);
            if (!segment)
                return fail(ErrorCode::kValidationFailed, "no segment has this code", "segment",
                            core::reason(core::ReasonKind::kUnknownName));
            Chunk done;
            done.computed_at = segment->computed_at;
            const auto campaign = stored_coupon_campaign(*record);
            if (!campaign) return fail(ErrorCode::kInternal, "the stored campaign does not read");
            const std::vector<long long> members =
                store::segment_members_without_code(sql, staff.program_id, segment->id, id, after, wanted);
            if (members.empty()) return done;
            done.judged = members.size();
            done.last_member = members.back();
            const core::Timestamp now = clock_.now();
            const std::string key = std::to_string(id);
            std::vector<long long> targeted;
            for (const long long member : members) {
                const bool out =
                    campaign->holdout && is_held_out(*campaign->holdout, core::CampaignKind::kCoupon, key, member);
                if (campaign->holdout) {
                    store::record_exposures(sql, staff.program_id, core::CampaignKind::kCoupon, member, {{key, out}},
                                            std::nullopt, now);
                }
                if (out) {
                    ++done.held_out;
                } else {
                    targeted.push_back(member);
                }
            }
            done.issued = give_drawn_codes(sql, staff.program_id, id, targeted, issuance, now);
            audit(sql, keys_, staff, core::AuditAction::kCouponCampaignIssue, id, "segment", now);
            return done;
        });
        if (!chunk) return std::unexpected(partly_issued(chunk.error(), issued));
        issued.membership_computed_at = chunk->computed_at;
        issued.issued += chunk->issued;
        issued.held_out += chunk->held_out;
        if (chunk->judged > 0) after = chunk->last_member;
        if (chunk->judged < wanted) return issued;
        if (static_cast<std::size_t>(issued.issued) >= issuance.limit) break;
    }
    auto left = database_.run_for<bool>([&](soci::session& sql) -> core::Result<bool> {
        const auto segment = store::find_segment(sql, staff.program_id, issuance.segment);
        return segment &&
               !store::segment_members_without_code(sql, staff.program_id, segment->id, id, after, 1).empty();
    });
    if (!left) return std::unexpected(partly_issued(left.error(), issued));
    issued.more = *left;
    return issued;
}

long long CouponCampaignService::give_drawn_codes(soci::session& sql, long long program_id, long long campaign_id,
                                                  std::vector<long long> members, const core::SegmentIssuance& issuance,
                                                  core::Timestamp now) {
    long long given = 0;
    std::vector<core::Event> events;
    // A drawn code another campaign holds already (50 random bits make it rare): draw again for those left.
    for (int round = 0; !members.empty() && round < 5; ++round) {
        const auto codes = generate_coupon_codes(random_, members.size(), issuance.length, issuance.prefix);
        given += store::insert_coupon_codes(sql, program_id, campaign_id, codes, true, now, members);
        const auto holding = store::members_holding_code(sql, campaign_id, members);
        std::erase_if(members, [&](long long member) {
            if (std::find(holding.begin(), holding.end(), member) == holding.end()) return false;
            events.push_back(core::coupon_issued_event(program_id, member, campaign_id, "segment", now));
            return true;
        });
    }
    store::add_events(sql, events);
    return given;
}

core::Result<store::CouponCodeRecord> CouponCampaignService::assign(const StaffIdentity& staff, const std::string& code,
                                                                    const core::CouponAssignment& assignment) {
    // Nothing assigned (nullopt) when the member is in the campaign's hold-out; that is recorded all the same.
    auto assigned = database_.transact_for<std::optional<store::CouponCodeRecord>>(
        [&](soci::session& sql) -> core::Result<std::optional<store::CouponCodeRecord>> {
            auto found = store::find_coupon_code(sql, staff.program_id, code);
            if (!found) return fail(ErrorCode::kCouponNotFound, "no such coupon", "code");
            std::optional<long long> member_id;
            const core::Timestamp now = clock_.now();
            if (assignment.member_id) {
                const auto record = store::find_member(sql, *assignment.member_id);
                if (!record || record->program_id != staff.program_id ||
                    record->status != core::MemberStatus::kActive) {
                    return fail(ErrorCode::kMemberNotFound, "no active member with this id", "member_id");
                }
                member_id = record->id;
                // Her account's lock first, as every change that raises an event about her takes it.
                store::find_account(sql, record->id, true);
                if (record_holdout_exposure(sql, staff.program_id, found->campaign_id, record->id, now)) {
                    return std::optional<store::CouponCodeRecord>();
                }
            }
            const bool moved = store::assign_coupon_code(sql, found->id, member_id);
            const bool usable = !(found->single_use && found->redemptions > 0);
            if (moved && member_id && usable) {
                store::add_event(
                    sql, core::coupon_issued_event(staff.program_id, *member_id, found->campaign_id, "staff", now));
            }
            found->member_id = member_id;
            store::insert_audit(sql, keys_,
                                {staff.program_id, audit_actor(staff), core::AuditAction::kCouponCodeAssign,
                                 "coupon_code", found->id, "member_id", member_id},
                                now);
            return found;
        });
    if (!assigned) return std::unexpected(assigned.error());
    if (!*assigned) {
        return fail(ErrorCode::kCouponNotForMember, "this member is in the campaign's hold-out: no code is given",
                    "member_id");
    }
    return std::move(**assigned);
}

}  // namespace patron::service
