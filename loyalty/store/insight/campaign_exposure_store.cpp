#include "loyalty/store/insight/campaign_exposure_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/integer_column.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/insight/purchase_sql.h"

namespace patron::store {
namespace {

std::string kind_of(core::CampaignKind kind) { return std::string(core::to_string(kind)); }

// The targeted members of the campaign, for joins: `e` is campaign_exposures.
constexpr const char* kTargeted =
    " JOIN campaign_exposures e ON e.member_id = {member} AND e.program_id = :program"
    " AND e.campaign_kind = :kind AND e.campaign_key = :campaign AND e.held_out = 0";

std::string targeted_join(const std::string& member_column) {
    std::string join = kTargeted;
    join.replace(join.find("{member}"), 8, member_column);
    return join;
}

long long single_sum(soci::session& sql, const std::string& query, long long program_id, const std::string& kind,
                     const std::string& key, const std::string& from, const std::string& until) {
    long long sum = 0;
    sql << query, soci::use(program_id), soci::use(kind), soci::use(key), soci::use(from), soci::use(until),
        soci::into(sum);
    return sum;
}

}  // namespace

void record_exposures(soci::session& sql, long long program_id, core::CampaignKind kind, long long member_id,
                      const std::vector<CampaignExposure>& exposures, std::optional<long long> purchase_id,
                      core::Timestamp now) {
    const std::string kind_text = kind_of(kind);
    const std::string at = to_sql_time(now);
    soci::indicator purchase_known = purchase_id ? soci::i_ok : soci::i_null;
    long long purchase = purchase_id.value_or(0);
    for (const CampaignExposure& exposure : exposures) {
        const int held_out = exposure.held_out ? 1 : 0;
        sql << "INSERT IGNORE INTO campaign_exposures (program_id, campaign_kind, campaign_key, member_id, held_out,"
               " first_at, purchase_id) VALUES (:program, :kind, :campaign, :member, :held_out, :at, :purchase)",
            soci::use(program_id), soci::use(kind_text), soci::use(exposure.campaign_key), soci::use(member_id),
            soci::use(held_out), soci::use(at), soci::use(purchase, purchase_known);
    }
}

void move_campaign_exposures(soci::session& sql, long long from, long long into) {
    // IGNORE skips the rows whose campaign the survivor already has (the primary key): they are deleted after.
    sql << "UPDATE IGNORE campaign_exposures SET member_id = :into WHERE member_id = :from", soci::use(into, "into"),
        soci::use(from, "from");
    sql << "DELETE FROM campaign_exposures WHERE member_id = :from", soci::use(from, "from");
}

std::optional<core::Timestamp> first_exposure_at(soci::session& sql, long long program_id, core::CampaignKind kind,
                                                 const std::string& key) {
    const std::string kind_text = kind_of(kind);
    std::string first;
    soci::indicator known = soci::i_null;
    sql << "SELECT DATE_FORMAT(MIN(first_at), '%Y-%m-%d %H:%i:%s.%f') FROM campaign_exposures"
           " WHERE program_id = :program AND campaign_kind = :kind AND campaign_key = :campaign",
        soci::use(program_id), soci::use(kind_text), soci::use(key), soci::into(first, known);
    if (known != soci::i_ok) return std::nullopt;
    return from_sql_time(first);
}

std::pair<core::GroupTally, core::GroupTally> exposure_groups(soci::session& sql, long long program_id,
                                                              core::CampaignKind kind, const std::string& key,
                                                              core::Timestamp from, core::Timestamp until) {
    const std::string kind_text = kind_of(kind);
    const std::string first = to_sql_time(from);
    const std::string last = to_sql_time(until);
    std::pair<core::GroupTally, core::GroupTally> groups;
    // Per member first (through ix_purchases_member), then per group.
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(m.held_out AS SIGNED), CAST(COUNT(*) AS SIGNED), CAST(SUM(m.spend) AS SIGNED),"
                        " CAST(SUM(CAST(m.spend AS DOUBLE) * m.spend) AS DOUBLE), CAST(SUM(m.visits) AS SIGNED),"
                        " CAST(SUM(m.visits * m.visits) AS SIGNED), CAST(SUM(m.visits > 0) AS SIGNED)"
                        " FROM (SELECT e.held_out, e.member_id, IFNULL(SUM(p.total), 0) AS spend,"
                        " COUNT(p.id) AS visits FROM campaign_exposures e"
                        " LEFT JOIN purchases p ON p.member_id = e.member_id AND p.received_at >= :first"
                        " AND p.received_at < :last AND p.received_at > e.first_at AND "
                     << kKeptPurchase
                     << " AND p.program_id = e.program_id"
                        " WHERE e.program_id = :program AND e.campaign_kind = :kind AND e.campaign_key = :campaign"
                        " GROUP BY e.held_out, e.member_id) m GROUP BY m.held_out",
         soci::use(first), soci::use(last), soci::use(program_id), soci::use(kind_text), soci::use(key));
    for (const soci::row& row : rows) {
        core::GroupTally& group = integer_at(row, 0) != 0 ? groups.second : groups.first;
        group.members = integer_at(row, 1);
        group.spend = integer_at(row, 2);
        group.spend_squares = row.get<double>(3);
        group.visits = integer_at(row, 4);
        group.visits_squares = integer_at(row, 5);
        group.buyers = integer_at(row, 6);
    }
    return groups;
}

core::RewardCost targeted_reward_cost(soci::session& sql, long long program_id, core::CampaignKind kind,
                                      const std::string& key, const std::vector<std::string>& point_rules,
                                      core::Timestamp from, core::Timestamp until) {
    const std::string kind_text = kind_of(kind);
    const std::string first = to_sql_time(from);
    const std::string last = to_sql_time(until);
    core::RewardCost cost;
    for (const std::string& rule : point_rules) {
        long long points = 0;
        sql << "SELECT CAST(IFNULL(SUM(l.earned - l.reversed), 0) AS SIGNED) FROM point_lots l"
            << targeted_join("l.member_id")
            << " WHERE l.rule_id = :rule AND l.earned_at >= :first AND l.earned_at < :last",
            soci::use(program_id), soci::use(kind_text), soci::use(key), soci::use(rule), soci::use(first),
            soci::use(last), soci::into(points);
        cost.points += points;
    }
    if (kind == core::CampaignKind::kRule) {
        cost.cashback = single_sum(
            sql,
            "SELECT CAST(IFNULL(SUM(c.amount), 0) AS SIGNED) FROM cashback_entries c"
            " JOIN cashback_transfers t ON t.id = c.transfer_id" +
                targeted_join("c.member_id") +
                " WHERE c.account = 'member_cashback' AND t.rule_id = e.campaign_key AND t.program_id = e.program_id"
                " AND t.created_at >= :first AND t.created_at < :last",
            program_id, kind_text, key, first, last);
    } else {
        cost.discounts =
            single_sum(sql,
                       "SELECT CAST(IFNULL(SUM(r.discount), 0) AS SIGNED) FROM coupon_redemptions r" +
                           targeted_join("r.member_id") +
                           " WHERE r.campaign_id = CAST(e.campaign_key AS UNSIGNED)"
                           " AND r.status = 'redeemed' AND r.created_at >= :first AND r.created_at < :last",
                       program_id, kind_text, key, first, last);
    }
    return cost;
}

}  // namespace patron::store
