// Coupon campaigns, codes and redemptions in MariaDB. Codes are locked in id order after the
// member's account (the house lock order), then their campaigns in id order; counters move in
// the same transaction as the redemption that moves them, so limits hold under any concurrency.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct CouponCampaignRecord {
    long long id = 0;
    long long program_id = 0;
    std::string name;
    std::string status;  // "draft", "published", "ended".
    int version = 1;
    std::string document;
    long long redemptions = 0;
    long long budget_used = 0;
    long long codes = 0;  // How many codes it has (listing only).
};

struct CouponCodeRecord {
    long long id = 0;
    long long campaign_id = 0;
    std::string code;
    bool single_use = true;
    std::optional<long long> member_id;
    long long redemptions = 0;
};

struct CouponRedemptionRecord {
    long long id = 0;
    long long code_id = 0;
    long long campaign_id = 0;
    int campaign_version = 0;
    std::optional<long long> member_id;
    long long purchase_id = 0;
    long long discount = 0;
    long long bonus_points = 0;
    std::string code;  // Read back only.
};

long long insert_coupon_campaign(soci::session& sql, long long program_id, const std::string& name,
                                 const std::string& document, core::Timestamp now);
void update_coupon_campaign(soci::session& sql, const CouponCampaignRecord& campaign, core::Timestamp now);
std::optional<CouponCampaignRecord> find_coupon_campaign(soci::session& sql, long long program_id, long long id,
                                                         bool for_update);
std::vector<CouponCampaignRecord> coupon_campaigns_of_program(soci::session& sql, long long program_id);

// Inserts the codes that are free (multi-row INSERT IGNORE); answers how many were. `member_ids`,
// when given, is parallel to `codes`: each code is that member's.
long long insert_coupon_codes(soci::session& sql, long long program_id, long long campaign_id,
                              const std::vector<std::string>& codes, bool single_use, core::Timestamp now,
                              const std::vector<long long>& member_ids = {});
// Up to `limit` active members of the segment (as last materialised), ids above `after_member_id`
// in ascending order, who hold no code of the campaign and are not recorded as held out of it.
std::vector<long long> segment_members_without_code(soci::session& sql, long long program_id, long long segment_id,
                                                    long long campaign_id, long long after_member_id,
                                                    std::size_t limit);
// Those of `member_ids` who hold a code of the campaign.
std::vector<long long> members_holding_code(soci::session& sql, long long campaign_id,
                                            const std::vector<long long>& member_ids);
std::vector<CouponCodeRecord> coupon_codes_of_campaign(soci::session& sql, long long campaign_id);
std::optional<CouponCodeRecord> find_coupon_code(soci::session& sql, long long program_id, const std::string& code);
// Gives the code to the member (nullopt: to nobody); whether that changed who holds it (a second
// assignment to the same member, even a concurrent one, changes nothing).
bool assign_coupon_code(soci::session& sql, long long code_id, std::optional<long long> member_id);

// The presented codes that exist, in id order (locked FOR UPDATE when `for_update`).
std::vector<CouponCodeRecord> find_coupon_codes(soci::session& sql, long long program_id,
                                                const std::vector<std::string>& codes, bool for_update);
// The published campaigns of these ids, locked in id order when `for_update`.
std::map<long long, CouponCampaignRecord> published_coupon_campaigns(soci::session& sql,
                                                                     const std::vector<long long>& ids,
                                                                     bool for_update);
// The campaigns of these ids that are published or ended (not drafts), by id.
std::map<long long, CouponCampaignRecord> published_or_ended_coupon_campaigns(soci::session& sql,
                                                                              const std::vector<long long>& ids);
long long member_coupon_redemptions(soci::session& sql, long long campaign_id, long long member_id);

// A single-use code that is the member's, with its campaign's status.
struct MemberCouponCode {
    long long id = 0;
    long long campaign_id = 0;
    std::string code;
    long long redemptions = 0;
    std::string campaign_status;  // "published" or "ended".
};
// The member's single-use codes, not revoked, of campaigns that are published or ended: the unused
// codes of published campaigns first, the newest first within; at most `limit`: a column of another
// read (json_rows.h), and what it gave.
std::string member_coupon_codes_sql(long long member_id, int limit);
std::vector<MemberCouponCode> member_coupon_codes_of(const std::optional<std::string>& rows);

// A purchase's redemptions, and the codes' and campaigns' counters moved by them, through write():
// a till's commit sends them with its COMMIT.
void insert_coupon_redemptions(soci::session& sql, const std::vector<CouponRedemptionRecord>& redemptions,
                               core::Timestamp now);
std::vector<CouponRedemptionRecord> live_redemptions_of_purchase(soci::session& sql, long long purchase_id);
// Gives the redemption back (the code and the campaign count it no more), for `return_id`.
void give_back_coupon_redemption(soci::session& sql, const CouponRedemptionRecord& redemption, long long return_id,
                                 core::Timestamp now);

// For `patronctl verify`: code and campaign counters against the redemptions, single-use codes
// used once at most, and campaigns within their limits and budgets.
std::vector<std::string> coupon_discrepancies(soci::session& sql);

}  // namespace patron::store
