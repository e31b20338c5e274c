#include "loyalty/store/program/coupon_store.h"

#include <soci/soci.h>

#include <map>
#include <tuple>

#include "loyalty/store/db/code_rows.h"
#include "loyalty/store/db/id_list.h"
#include "loyalty/store/db/insert_id.h"
#include "loyalty/store/db/integer_column.h"
#include "loyalty/store/db/json_rows.h"
#include "loyalty/store/db/sql_text.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/db/write_batch.h"
#include "loyalty/store/insight/insight_rows.h"
#include "loyalty/store/ledger/ledger_store.h"

namespace patron::store {
namespace {

const char* const kCampaignColumns =
    "CAST(c.id AS SIGNED), CAST(c.program_id AS SIGNED), c.name, c.status, c.version, c.document,"
    " c.redemptions, c.budget_used";
const char* const kCodeColumns =
    "CAST(id AS SIGNED), CAST(campaign_id AS SIGNED), code, single_use, IFNULL(CAST(member_id AS SIGNED), 0),"
    " redemptions";

CouponCampaignRecord campaign_from(const soci::row& row) {
    return CouponCampaignRecord{row.get<long long>(0),   row.get<long long>(1), row.get<std::string>(2),
                                row.get<std::string>(3), row.get<int>(4),       row.get<std::string>(5),
                                row.get<long long>(6),   row.get<long long>(7), 0};
}

CouponCodeRecord code_from(const soci::row& row) {
    const long long member = row.get<long long>(4);
    return CouponCodeRecord{row.get<long long>(0),
                            row.get<long long>(1),
                            row.get<std::string>(2),
                            row.get<int>(3) != 0,
                            member == 0 ? std::nullopt : std::optional(member),
                            row.get<long long>(5)};
}

// ":code0, :code1, ..." for a statement whose values are bound one by one, in order.
std::string placeholders(std::size_t count, const char* name) {
    std::string text;
    for (std::size_t i = 0; i < count; ++i) text += (i ? ", :" : ":") + std::string(name) + std::to_string(i);
    return text;
}

// The campaigns of these ids whose status is in `statuses` (a quoted SQL list), locked in id order when `for_update`.
std::map<long long, CouponCampaignRecord> campaigns_by_id(soci::session& sql, const std::vector<long long>& ids,
                                                          const char* statuses, bool for_update) {
    std::map<long long, CouponCampaignRecord> campaigns;
    if (ids.empty()) return campaigns;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kCampaignColumns << " FROM coupon_campaigns c WHERE c.status IN (" << statuses
                     << ") AND c.id IN (" << id_list(ids) << ") ORDER BY c.id" << (for_update ? " FOR UPDATE" : ""));
    for (const soci::row& row : rows) {
        CouponCampaignRecord campaign = campaign_from(row);
        campaigns.emplace(campaign.id, std::move(campaign));
    }
    return campaigns;
}

}  // namespace

long long insert_coupon_campaign(soci::session& sql, long long program_id, const std::string& name,
                                 const std::string& document, core::Timestamp now) {
    const std::string at = to_sql_time(now);
    sql << "INSERT INTO coupon_campaigns (program_id, name, document, created_at, updated_at)"
           " VALUES (:program, :name, :document, :at, :at2)",
        soci::use(program_id), soci::use(name), soci::use(document), soci::use(at), soci::use(at);
    return last_insert_id(sql);
}

void update_coupon_campaign(soci::session& sql, const CouponCampaignRecord& campaign, core::Timestamp now) {
    const std::string at = to_sql_time(now);
    sql << "UPDATE coupon_campaigns SET name = :name, document = :document, status = :status, version = :version,"
           " updated_at = :at, published_at = IF(:status2 = 'published' AND published_at IS NULL, :at2, published_at)"
           " WHERE id = :id",
        soci::use(campaign.name), soci::use(campaign.document), soci::use(campaign.status), soci::use(campaign.version),
        soci::use(at), soci::use(campaign.status), soci::use(at), soci::use(campaign.id);
}

std::optional<CouponCampaignRecord> find_coupon_campaign(soci::session& sql, long long program_id, long long id,
                                                         bool for_update) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kCampaignColumns
                     << " FROM coupon_campaigns c WHERE c.id = :id AND c.program_id = :program"
                     << (for_update ? " FOR UPDATE" : ""),
         soci::use(id), soci::use(program_id));
    std::optional<CouponCampaignRecord> found;
    for (const soci::row& row : rows) found = campaign_from(row);
    // Staff's lock (adding codes, issuing to a segment, editing) is also a write, so that on Galera
    // two of them on two nodes conflict (docs/cluster.md, "Row locks"). Not `version`, which
    // purchases price against.
    if (found && for_update) {
        write(sql, "UPDATE coupon_campaigns SET write_mark = write_mark + 1 WHERE id = " + std::to_string(id));
    }
    return found;
}

std::vector<CouponCampaignRecord> coupon_campaigns_of_program(soci::session& sql, long long program_id) {
    std::vector<CouponCampaignRecord> campaigns;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kCampaignColumns
                     << ", (SELECT COUNT(*) FROM coupon_codes k WHERE k.campaign_id = c.id)"
                        " FROM coupon_campaigns c WHERE c.program_id = :program ORDER BY c.id",
         soci::use(program_id));
    for (const soci::row& row : rows) {
        campaigns.push_back(campaign_from(row));
        campaigns.back().codes = row.get<long long>(8);
    }
    return campaigns;
}

long long insert_coupon_codes(soci::session& sql, long long program_id, long long campaign_id,
                              const std::vector<std::string>& codes, bool single_use, core::Timestamp now,
                              const std::vector<long long>& member_ids) {
    const std::string at = to_sql_time(now);
    const std::string fixed = ", " + std::to_string(program_id) + ", " + std::to_string(campaign_id) + ", " +
                              (single_use ? "TRUE" : "FALSE") + ", '" + at + "', ";
    const auto member_of = [&](std::size_t i) {
        return i < member_ids.size() ? std::to_string(member_ids[i]) : std::string("NULL");
    };
    // Codes are checked to be [A-Z0-9-] before they get here; they are bound all the same.
    return insert_code_rows(sql,
                            "INSERT IGNORE INTO coupon_codes (code, program_id, campaign_id, single_use, created_at,"
                            " member_id) VALUES ",
                            codes, [&](std::size_t i) { return fixed + member_of(i) + ")"; });
}

std::vector<long long> segment_members_without_code(soci::session& sql, long long program_id, long long segment_id,
                                                    long long campaign_id, long long after_member_id,
                                                    std::size_t limit) {
    std::vector<long long> ids;
    const long long count = static_cast<long long>(limit);
    const std::string key = std::to_string(campaign_id);
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(ms.member_id AS SIGNED) FROM member_segments ms"
                        " JOIN members m ON m.id = ms.member_id AND m.status = 'active'"
                        " WHERE ms.segment_id = :segment AND ms.member_id > :after"
                        " AND NOT EXISTS (SELECT 1 FROM coupon_codes c WHERE c.member_id = ms.member_id"
                        " AND c.campaign_id = :campaign)"
                        " AND NOT EXISTS (SELECT 1 FROM campaign_exposures e WHERE e.program_id = :program"
                        " AND e.campaign_kind = 'coupon' AND e.campaign_key = :key AND e.member_id = ms.member_id"
                        " AND e.held_out) ORDER BY ms.member_id LIMIT :count",
         soci::use(segment_id), soci::use(after_member_id), soci::use(campaign_id), soci::use(program_id),
         soci::use(key), soci::use(count));
    for (const soci::row& row : rows) ids.push_back(row.get<long long>(0));
    return ids;
}

std::vector<long long> members_holding_code(soci::session& sql, long long campaign_id,
                                            const std::vector<long long>& member_ids) {
    std::vector<long long> holding;
    if (member_ids.empty()) return holding;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT DISTINCT CAST(member_id AS SIGNED) FROM coupon_codes WHERE campaign_id = :campaign"
                        " AND member_id IN ("
                     << id_list(member_ids) << ")",
         soci::use(campaign_id));
    for (const soci::row& row : rows) holding.push_back(row.get<long long>(0));
    return holding;
}

std::vector<CouponCodeRecord> coupon_codes_of_campaign(soci::session& sql, long long campaign_id) {
    std::vector<CouponCodeRecord> codes;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kCodeColumns << " FROM coupon_codes WHERE campaign_id = :campaign ORDER BY id",
         soci::use(campaign_id));
    for (const soci::row& row : rows) codes.push_back(code_from(row));
    return codes;
}

std::optional<CouponCodeRecord> find_coupon_code(soci::session& sql, long long program_id, const std::string& code) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kCodeColumns << " FROM coupon_codes WHERE program_id = :program AND code = :code",
         soci::use(program_id), soci::use(code));
    for (const soci::row& row : rows) return code_from(row);
    return std::nullopt;
}

bool assign_coupon_code(soci::session& sql, long long code_id, std::optional<long long> member_id) {
    const long long member = member_id.value_or(0);
    soci::statement statement = (sql.prepare << "UPDATE coupon_codes SET member_id = NULLIF(:member, 0)"
                                                " WHERE id = :id AND NOT (member_id <=> NULLIF(:member, 0))",
                                 soci::use(member, "member"), soci::use(code_id, "id"));
    statement.execute(true);
    return statement.get_affected_rows() > 0;
}

std::vector<CouponCodeRecord> find_coupon_codes(soci::session& sql, long long program_id,
                                                const std::vector<std::string>& codes, bool for_update) {
    std::vector<CouponCodeRecord> found;
    if (codes.empty()) return found;
    soci::statement select(sql);
    select.alloc();
    select.prepare(std::string("SELECT ") + kCodeColumns +
                   " FROM coupon_codes WHERE program_id = :program AND revoked_at IS NULL AND code IN (" +
                   placeholders(codes.size(), "code") + ") ORDER BY id" + (for_update ? " FOR UPDATE" : ""));
    soci::row row;
    select.exchange(soci::use(program_id));
    for (const std::string& code : codes) select.exchange(soci::use(code));
    select.exchange(soci::into(row));
    select.define_and_bind();
    select.execute(false);
    while (select.fetch()) found.push_back(code_from(row));
    return found;
}

std::map<long long, CouponCampaignRecord> published_coupon_campaigns(soci::session& sql,
                                                                     const std::vector<long long>& ids,
                                                                     bool for_update) {
    return campaigns_by_id(sql, ids, "'published'", for_update);
}

std::map<long long, CouponCampaignRecord> published_or_ended_coupon_campaigns(soci::session& sql,
                                                                              const std::vector<long long>& ids) {
    return campaigns_by_id(sql, ids, "'published', 'ended'", false);
}

long long member_coupon_redemptions(soci::session& sql, long long campaign_id, long long member_id) {
    long long count = 0;
    sql << "SELECT COUNT(*) FROM coupon_redemptions WHERE campaign_id = :campaign AND member_id = :member"
           " AND status = 'redeemed'",
        soci::into(count), soci::use(campaign_id), soci::use(member_id);
    return count;
}

std::string member_coupon_codes_sql(long long member_id, int limit) {
    return "(SELECT JSON_ARRAYAGG(JSON_ARRAY(k.id, k.campaign_id, k.code, k.redemptions, c.status)"
           " ORDER BY (k.redemptions = 0 AND c.status = 'published') DESC, k.id DESC LIMIT " +
           std::to_string(limit) +
           ") FROM coupon_codes k JOIN coupon_campaigns c ON c.id = k.campaign_id WHERE k.member_id = " +
           std::to_string(member_id) +
           " AND k.single_use AND k.revoked_at IS NULL AND c.status IN ('published', 'ended'))";
}

std::vector<MemberCouponCode> member_coupon_codes_of(const std::optional<std::string>& rows) {
    std::vector<MemberCouponCode> codes;
    for (const nlohmann::json& row : json_rows(rows)) {
        codes.push_back(MemberCouponCode{json_integer(row, 0), json_integer(row, 1), json_text(row, 2),
                                         json_integer(row, 3), json_text(row, 4)});
    }
    return codes;
}

namespace {

// The counter's UPDATE as a compound statement that stops the commit's batch, before its COMMIT,
// when it moved no row: the code was revoked or the campaign ended or edited since the commit read
// it without a lock. It fails as a deadlock does (SQLSTATE 40001, MariaDB 1213), so that the
// whole purchase runs again and prices the coupon by what is true now.
std::string unless_changed(const std::string& update) {
    return "BEGIN NOT ATOMIC " + update +
           "; IF ROW_COUNT() <> 1 THEN SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213,"
           " MESSAGE_TEXT = 'a coupon changed while the purchase was priced'; END IF; END";
}

}  // namespace

void insert_coupon_redemptions(soci::session& sql, const std::vector<CouponRedemptionRecord>& redemptions,
                               core::Timestamp now) {
    if (redemptions.empty()) return;
    // A public code's counters, which every till moves, are locked only while a commit ends (on a
    // Galera node, where a unit's writes go at once, from this statement on; its
    // rows were read without locks: see unless_changed for a code revoked or a campaign ended or
    // edited in between). The counters first and in id order, codes then campaigns, as every
    // commit takes them: the redemption rows' foreign key share-locks their codes' rows, and two
    // commits that each held that share and then asked for the row itself would deadlock.
    // Integers of our own and an instant we formatted: nothing to escape.
    std::map<long long, long long> codes;  // Code id: redemptions.
    struct Moved {
        long long redemptions = 0, spent = 0;
        int version = 0;  // The terms they were priced by.
    };
    std::map<long long, Moved> campaigns;
    for (const CouponRedemptionRecord& redemption : redemptions) {
        ++codes[redemption.code_id];
        Moved& moved = campaigns[redemption.campaign_id];
        ++moved.redemptions;
        moved.spent += redemption.discount + redemption.bonus_points;
        moved.version = redemption.campaign_version;
    }
    for (const auto& [id, count] : codes) {
        write(sql, unless_changed("UPDATE coupon_codes SET redemptions = redemptions + " + std::to_string(count) +
                                  " WHERE id = " + std::to_string(id) + " AND revoked_at IS NULL"));
    }
    for (const auto& [id, moved] : campaigns) {
        write(sql, unless_changed("UPDATE coupon_campaigns SET redemptions = redemptions + " +
                                  std::to_string(moved.redemptions) + ", budget_used = budget_used + " +
                                  std::to_string(moved.spent) + " WHERE id = " + std::to_string(id) +
                                  " AND status = 'published' AND version = " + std::to_string(moved.version)));
    }
    const std::string at = sql_text(sql, to_sql_time(now));
    std::string insert =
        "INSERT INTO coupon_redemptions (code_id, campaign_id, campaign_version, member_id, purchase_id, discount,"
        " bonus_points, created_at) VALUES ";
    for (std::size_t i = 0; i < redemptions.size(); ++i) {
        const CouponRedemptionRecord& redemption = redemptions[i];
        insert += (i == 0 ? "(" : ", (") + std::to_string(redemption.code_id) + ", " +
                  std::to_string(redemption.campaign_id) + ", " + std::to_string(redemption.campaign_version) + ", " +
                  sql_number_or_null(redemption.member_id) + ", " + std::to_string(redemption.purchase_id) + ", " +
                  std::to_string(redemption.discount) + ", " + std::to_string(redemption.bonus_points) + ", " + at +
                  ")";
    }
    write(sql, std::move(insert));
}

std::vector<CouponRedemptionRecord> live_redemptions_of_purchase(soci::session& sql, long long purchase_id) {
    std::vector<CouponRedemptionRecord> redemptions;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(r.id AS SIGNED), CAST(r.code_id AS SIGNED), CAST(r.campaign_id AS SIGNED),"
                        " r.campaign_version, IFNULL(CAST(r.member_id AS SIGNED), 0), CAST(r.purchase_id AS SIGNED),"
                        " r.discount, r.bonus_points, k.code FROM coupon_redemptions r"
                        " JOIN coupon_codes k ON k.id = r.code_id"
                        " WHERE r.purchase_id = :purchase AND r.status = 'redeemed' ORDER BY r.id FOR UPDATE",
         soci::use(purchase_id));
    for (const soci::row& row : rows) {
        const long long member = row.get<long long>(4);
        redemptions.push_back(
            CouponRedemptionRecord{row.get<long long>(0), row.get<long long>(1), row.get<long long>(2), row.get<int>(3),
                                   member == 0 ? std::nullopt : std::optional(member), row.get<long long>(5),
                                   row.get<long long>(6), row.get<long long>(7), row.get<std::string>(8)});
    }
    return redemptions;
}

void give_back_coupon_redemption(soci::session& sql, const CouponRedemptionRecord& redemption, long long return_id,
                                 core::Timestamp now) {
    const std::string at = to_sql_time(now);
    sql << "UPDATE coupon_redemptions SET status = 'given_back', given_back_at = :at, given_back_by = :by"
           " WHERE id = :id",
        soci::use(at), soci::use(return_id), soci::use(redemption.id);
    sql << "UPDATE coupon_codes SET redemptions = redemptions - 1 WHERE id = :id", soci::use(redemption.code_id);
    const long long spent = redemption.discount + redemption.bonus_points;
    sql << "UPDATE coupon_campaigns SET redemptions = redemptions - 1, budget_used = budget_used - :spent"
           " WHERE id = :id",
        soci::use(spent), soci::use(redemption.campaign_id);
}

std::vector<std::string> coupon_discrepancies(soci::session& sql) {
    std::vector<std::string> found;
    collect_discrepancies(sql,
                          "SELECT CAST(k.id AS SIGNED), CAST(COUNT(r.id) AS SIGNED), CAST(k.redemptions AS SIGNED)"
                          " FROM coupon_codes k LEFT JOIN coupon_redemptions r ON r.code_id = k.id"
                          " AND r.status = 'redeemed' GROUP BY k.id, k.redemptions HAVING COUNT(r.id) <> k.redemptions",
                          "coupon code redemptions (rows vs counter)", found);
    collect_discrepancies(sql,
                          "SELECT CAST(id AS SIGNED), CAST(1 AS SIGNED), CAST(redemptions AS SIGNED) FROM coupon_codes"
                          " WHERE single_use AND redemptions > 1",
                          "single-use coupon code (used at most once)", found);
    collect_discrepancies(sql,
                          "SELECT CAST(c.id AS SIGNED), CAST(COUNT(r.id) AS SIGNED), CAST(c.redemptions AS SIGNED) "
                          "FROM coupon_campaigns c"
                          " LEFT JOIN coupon_redemptions r ON r.campaign_id = c.id AND r.status = 'redeemed'"
                          " GROUP BY c.id, c.redemptions HAVING COUNT(r.id) <> c.redemptions",
                          "coupon campaign redemptions (rows vs counter)", found);
    collect_discrepancies(sql,
                          "SELECT CAST(c.id AS SIGNED), CAST(COALESCE(SUM(r.discount + r.bonus_points), 0) AS SIGNED),"
                          " CAST(c.budget_used AS SIGNED) FROM coupon_campaigns c LEFT JOIN coupon_redemptions r"
                          " ON r.campaign_id = c.id AND r.status = 'redeemed' GROUP BY c.id, c.budget_used"
                          " HAVING COALESCE(SUM(r.discount + r.bonus_points), 0) <> c.budget_used",
                          "coupon campaign budget used (rows vs counter)", found);
    collect_discrepancies(sql,
                          "SELECT CAST(id AS SIGNED), CAST(JSON_VALUE(document, '$.limits.redemptions') AS SIGNED),"
                          " CAST(redemptions AS SIGNED) FROM coupon_campaigns"
                          " WHERE redemptions > CAST(JSON_VALUE(document, '$.limits.redemptions') AS SIGNED)",
                          "coupon campaign redemptions (limit vs used)", found);
    collect_discrepancies(sql,
                          "SELECT CAST(id AS SIGNED), CAST(JSON_VALUE(document, '$.limits.budget') AS SIGNED),"
                          " CAST(budget_used AS SIGNED) FROM coupon_campaigns"
                          " WHERE budget_used > CAST(JSON_VALUE(document, '$.limits.budget') AS SIGNED)",
                          "coupon campaign budget (limit vs used)", found);
    // A member's redemptions of a campaign within its per-member limit. Records of one person
    // merged into her bring theirs, each record's within the limit when it redeemed: she may hold
    // the limit once for herself and once for each record merged into her (through others too).
    std::vector<std::tuple<long long, long long, long long, long long>> over;  // Campaign, member, limit, used.
    {
        soci::rowset<soci::row> rows =
            sql.prepare << "SELECT CAST(c.id AS SIGNED), CAST(r.member_id AS SIGNED),"
                           " CAST(JSON_VALUE(c.document, '$.limits.per_member') AS SIGNED), CAST(COUNT(*) AS SIGNED)"
                           " FROM coupon_campaigns c JOIN coupon_redemptions r"
                           " ON r.campaign_id = c.id AND r.status = 'redeemed' AND r.member_id IS NOT NULL"
                           " GROUP BY c.id, r.member_id, c.document"
                           " HAVING COUNT(*) > CAST(JSON_VALUE(c.document, '$.limits.per_member') AS SIGNED)";
        for (const soci::row& row : rows) {
            over.emplace_back(integer_at(row, 0), integer_at(row, 1), integer_at(row, 2), integer_at(row, 3));
        }
    }
    for (const auto& [campaign, member, limit, used] : over) {
        long long records = 0;
        sql << "WITH RECURSIVE merged (id) AS (SELECT CAST(:member AS UNSIGNED) UNION ALL"
               " SELECT m.id FROM members m JOIN merged ON m.merged_into = merged.id) SELECT COUNT(*) FROM merged",
            soci::into(records), soci::use(member);
        if (used > limit * records) {
            found.push_back("coupon campaign redemptions of one member (limit vs used) " + std::to_string(campaign) +
                            ": expected " + std::to_string(limit * records) + ", found " + std::to_string(used));
        }
    }
    return found;
}

}  // namespace patron::store
