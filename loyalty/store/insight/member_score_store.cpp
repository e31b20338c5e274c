#include "loyalty/store/insight/member_score_store.h"

#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "loyalty/core/card_state.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/primary_card.h"
#include "loyalty/store/db/id_list.h"
#include "loyalty/store/db/sql_text.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/insight/insight_rows.h"
#include "loyalty/store/insight/purchase_sql.h"

namespace patron::store {
namespace {

std::optional<long long> number_at(const soci::row& row, std::size_t column) {
    if (row.get_indicator(column) != soci::i_ok) return std::nullopt;
    return row.get<long long>(column);
}

// INT, SMALLINT and TINYINT columns read as int (BIGINT ones as long long).
std::optional<int> small_at(const soci::row& row, std::size_t column) {
    if (row.get_indicator(column) != soci::i_ok) return std::nullopt;
    return row.get<int>(column);
}

// The window and member range every activity query shares; `p` is purchases.
std::string activity_filter(long long program_id, const std::vector<long long>& member_ids, const ScoreWindow& window) {
    return " WHERE p.member_id BETWEEN " + std::to_string(member_ids.front()) + " AND " +
           std::to_string(member_ids.back()) + " AND p.program_id = " + std::to_string(program_id) +
           " AND p.pos_time >= '" + to_sql_time(window.from) + "' AND p.pos_time < '" + to_sql_time(window.until) + "'";
}

struct PurchaseTotals {
    long long purchases = 0;
    std::optional<core::Timestamp> first, last;
    long long spend = 0, points = 0, cashback = 0;
};

std::map<long long, PurchaseTotals> purchase_totals(soci::session& sql, const std::string& filter) {
    std::map<long long, PurchaseTotals> totals;
    std::ostringstream query;
    query << "SELECT CAST(p.member_id AS SIGNED), CAST(SUM(" << kKeptPurchase << ") AS SIGNED),"
          << " DATE_FORMAT(MIN(CASE WHEN " << kKeptPurchase << " THEN p.pos_time END), " << kSqlTimeFormat << "),"
          << " DATE_FORMAT(MAX(CASE WHEN " << kKeptPurchase << " THEN p.pos_time END), " << kSqlTimeFormat << "),"
          << " CAST(SUM(" << kNetSpend << ") AS SIGNED),"
          << " CAST(SUM(p.points_earned) AS SIGNED), CAST(SUM(p.cashback_earned) AS SIGNED)"
          << " FROM purchases p" << filter << " GROUP BY p.member_id";
    soci::rowset<soci::row> rows = sql.prepare << query.str();
    for (const soci::row& row : rows) {
        totals[row.get<long long>(0)] =
            PurchaseTotals{row.get<long long>(1), time_at(row, 2),       time_at(row, 3),
                           row.get<long long>(4), row.get<long long>(5), row.get<long long>(6)};
    }
    return totals;
}

std::map<long long, long long> coupon_discounts(soci::session& sql, const std::string& filter) {
    std::map<long long, long long> discounts;
    soci::rowset<soci::row> rows =
        sql.prepare << "SELECT CAST(p.member_id AS SIGNED), CAST(SUM(r.discount) AS SIGNED)"
                       " FROM purchases p JOIN coupon_redemptions r ON r.purchase_id = p.id"
                    << filter << " AND p.kind = 'purchase' AND r.status = 'redeemed' GROUP BY p.member_id";
    for (const soci::row& row : rows) discounts[row.get<long long>(0)] = row.get<long long>(1);
    return discounts;
}

struct LineCosts {
    long long cost = 0;
    long long costed_lines = 0;
    long long lines = 0;
};

// A purchase line counts its cost for the quantity kept (returns take their share off, rounded
// down); a line of a return without its receipt takes its cost off.
std::map<long long, LineCosts> line_costs(soci::session& sql, const std::string& filter) {
    std::map<long long, LineCosts> costs;
    soci::rowset<soci::row> rows =
        sql.prepare << "SELECT CAST(p.member_id AS SIGNED), CAST(COALESCE(SUM(CASE WHEN p.kind = 'purchase'"
                       " THEN l.cost * CAST(l.quantity_milli - l.returned_milli AS DECIMAL(20, 0))"
                       " DIV NULLIF(l.quantity_milli, 0) ELSE -l.cost END), 0) AS SIGNED),"
                       " CAST(SUM(l.cost IS NOT NULL) AS SIGNED), CAST(COUNT(*) AS SIGNED)"
                       " FROM purchases p JOIN purchase_lines l ON l.purchase_id = p.id"
                    << filter << " AND p.kind IN ('purchase', 'return') GROUP BY p.member_id";
    for (const soci::row& row : rows) {
        costs[row.get<long long>(0)] = LineCosts{row.get<long long>(1), row.get<long long>(2), row.get<long long>(3)};
    }
    return costs;
}

template <typename T>
const T* find_in(const std::map<long long, T>& map, long long key) {
    const auto it = map.find(key);
    return it == map.end() ? nullptr : &it->second;
}

constexpr const char* kScoreColumns =
    "CAST(member_id AS SIGNED), DATE_FORMAT(refreshed_at, '%Y-%m-%d %H:%i:%s.%f'), window_days, recency_days,"
    " frequency, monetary_minor, r_score, f_score, m_score, rfm_segment, churn_permille, churn_band, spend_minor,"
    " points_earned, points_cost_minor, cashback_minor, coupon_discount_minor, reward_cost_minor, net_value_minor,"
    " cost_minor, margin_minor, net_margin_minor";

StoredScore score_of(const soci::row& row) {
    StoredScore stored;
    core::MemberScore& score = stored.score;
    score.member_id = row.get<long long>(0);
    stored.refreshed_at = time_at(row, 1).value_or(core::Timestamp{});
    stored.window_days = row.get<int>(2);
    score.recency_days = small_at(row, 3);
    score.frequency = row.get<long long>(4);
    score.monetary_minor = row.get<long long>(5);
    score.r_score = small_at(row, 6);
    score.f_score = small_at(row, 7);
    score.m_score = small_at(row, 8);
    score.segment = core::segment_from_code(row.get<std::string>(9)).value_or(core::RfmSegment::kNone);
    score.churn_permille = small_at(row, 10);
    score.churn_band = core::churn_band_from_code(row.get<std::string>(11)).value_or(core::ChurnBand::kNone);
    core::CustomerValue& value = score.value;
    value.spend_minor = row.get<long long>(12);
    value.points_earned = row.get<long long>(13);
    value.points_cost_minor = row.get<long long>(14);
    value.cashback_minor = row.get<long long>(15);
    value.coupon_discount_minor = row.get<long long>(16);
    value.reward_cost_minor = row.get<long long>(17);
    value.net_value_minor = row.get<long long>(18);
    value.cost_minor = number_at(row, 19);
    value.margin_minor = number_at(row, 20);
    value.net_margin_minor = number_at(row, 21);
    return stored;
}

struct StoredCard {
    std::string number;
    core::CardState state;
};

// The primary card of each member (core/primary_card.h), by member id.
std::map<long long, std::string> primary_cards(soci::session& sql, const std::vector<long long>& member_ids) {
    std::map<long long, std::string> cards;
    if (member_ids.empty()) return cards;
    std::map<long long, std::pair<std::string, std::vector<StoredCard>>> owned;
    soci::rowset<soci::row> rows =
        sql.prepare << "SELECT CAST(c.member_id AS SIGNED), c.number, c.state, COALESCE(m.primary_card, '')"
                       " FROM cards c JOIN members m ON m.id = c.member_id WHERE c.member_id IN ("
                    << id_list(member_ids) << ") ORDER BY c.member_id, c.created_at, c.number";
    for (const soci::row& row : rows) {
        auto& [chosen, list] = owned[row.get<long long>(0)];
        chosen = row.get<std::string>(3);
        list.push_back(StoredCard{row.get<std::string>(1),
                                  core::parse_card_state(row.get<std::string>(2)).value_or(core::CardState::kClosed)});
    }
    for (const auto& [member_id, choice] : owned) {
        if (const auto index = core::primary_card_index(choice.second, choice.first)) {
            cards[member_id] = choice.second[*index].number;
        }
    }
    return cards;
}

}  // namespace

long long count_active_members(soci::session& sql, long long program_id) {
    long long members = 0;
    sql << "SELECT COUNT(*) FROM members WHERE program_id = :program AND status = 'active'", soci::use(program_id),
        soci::into(members);
    return members;
}

std::vector<long long> member_ids_after(soci::session& sql, long long program_id, long long after_id,
                                        std::size_t limit) {
    std::vector<long long> ids;
    ids.reserve(limit);
    const long long count = static_cast<long long>(limit);
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT CAST(id AS SIGNED) FROM members WHERE program_id = :program"
                                                   " AND id > :after AND status = 'active' ORDER BY id LIMIT :count",
                                    soci::use(program_id), soci::use(after_id), soci::use(count));
    for (const soci::row& row : rows) ids.push_back(row.get<long long>(0));
    return ids;
}

std::vector<core::MemberActivity> read_activities(soci::session& sql, long long program_id,
                                                  const std::vector<long long>& member_ids, const ScoreWindow& window,
                                                  const core::TimeZone& zone) {
    std::vector<core::MemberActivity> activities;
    if (member_ids.empty()) return activities;
    const std::string filter = activity_filter(program_id, member_ids, window);
    const auto totals = purchase_totals(sql, filter);
    const auto discounts = coupon_discounts(sql, filter);
    const auto costs = line_costs(sql, filter);
    activities.reserve(member_ids.size());
    for (const long long member_id : member_ids) {
        core::MemberActivity activity;
        activity.member_id = member_id;
        if (const PurchaseTotals* total = find_in(totals, member_id)) {
            activity.purchases = total->purchases;
            if (total->first) activity.first_purchase = core::local_date(zone, *total->first);
            if (total->last) activity.last_purchase = core::local_date(zone, *total->last);
            activity.spend_minor = total->spend;
            activity.points_earned = total->points;
            activity.cashback_minor = total->cashback;
        }
        if (const long long* discount = find_in(discounts, member_id)) activity.coupon_discount_minor = *discount;
        if (const LineCosts* cost = find_in(costs, member_id); cost != nullptr && cost->costed_lines > 0) {
            activity.cost_minor = cost->cost;
            activity.every_line_costed = cost->costed_lines == cost->lines;
        }
        activities.push_back(activity);
    }
    return activities;
}

void write_scores(soci::session& sql, long long program_id, core::Timestamp refreshed_at, int window_days,
                  const std::vector<core::MemberScore>& scores) {
    if (scores.empty()) return;
    // Every value is a number or a code of the core's own tables, so the rows are written inline:
    // one statement of up to a chunk's rows instead of a bind per value.
    std::ostringstream query;
    query << "INSERT INTO member_scores (member_id, program_id, refreshed_at, window_days, recency_days, frequency,"
             " monetary_minor, r_score, f_score, m_score, rfm_segment, churn_permille, churn_band, spend_minor,"
             " points_earned, points_cost_minor, cashback_minor, coupon_discount_minor, reward_cost_minor,"
             " net_value_minor, cost_minor, margin_minor, net_margin_minor) VALUES ";
    const std::string at = to_sql_time(refreshed_at);
    for (std::size_t i = 0; i < scores.size(); ++i) {
        const core::MemberScore& s = scores[i];
        const core::CustomerValue& v = s.value;
        query << (i == 0 ? "(" : ",(") << s.member_id << "," << program_id << ",'" << at << "'," << window_days << ","
              << sql_number_or_null(s.recency_days) << "," << s.frequency << "," << s.monetary_minor << ","
              << sql_number_or_null(s.r_score) << "," << sql_number_or_null(s.f_score) << ","
              << sql_number_or_null(s.m_score) << ",'" << core::segment_code(s.segment) << "',"
              << sql_number_or_null(s.churn_permille) << ",'" << core::churn_band_code(s.churn_band) << "',"
              << v.spend_minor << "," << v.points_earned << "," << v.points_cost_minor << "," << v.cashback_minor << ","
              << v.coupon_discount_minor << "," << v.reward_cost_minor << "," << v.net_value_minor << ","
              << sql_number_or_null(v.cost_minor) << "," << sql_number_or_null(v.margin_minor) << ","
              << sql_number_or_null(v.net_margin_minor) << ")";
    }
    query << " ON DUPLICATE KEY UPDATE program_id = VALUES(program_id), refreshed_at = VALUES(refreshed_at),"
             " window_days = VALUES(window_days), recency_days = VALUES(recency_days),"
             " frequency = VALUES(frequency), monetary_minor = VALUES(monetary_minor), r_score = VALUES(r_score),"
             " f_score = VALUES(f_score), m_score = VALUES(m_score), rfm_segment = VALUES(rfm_segment),"
             " churn_permille = VALUES(churn_permille), churn_band = VALUES(churn_band),"
             " spend_minor = VALUES(spend_minor), points_earned = VALUES(points_earned),"
             " points_cost_minor = VALUES(points_cost_minor), cashback_minor = VALUES(cashback_minor),"
             " coupon_discount_minor = VALUES(coupon_discount_minor), reward_cost_minor = VALUES(reward_cost_minor),"
             " net_value_minor = VALUES(net_value_minor), cost_minor = VALUES(cost_minor),"
             " margin_minor = VALUES(margin_minor), net_margin_minor = VALUES(net_margin_minor)";
    sql << query.str();
}

long long delete_scores_before(soci::session& sql, long long program_id, core::Timestamp before, std::size_t limit) {
    return delete_refreshed_before(sql, "member_scores", program_id, before, limit);
}

void record_refresh(soci::session& sql, const RefreshRecord& record) {
    const std::string at = to_sql_time(record.refreshed_at);
    const std::string today = core::format_date(record.today);
    sql << "INSERT INTO insight_refreshes (program_id, refreshed_at, window_days, today, members, took_ms)"
           " VALUES (:program, :at, :window, :today, :members, :took) ON DUPLICATE KEY UPDATE"
           " refreshed_at = VALUES(refreshed_at), window_days = VALUES(window_days), today = VALUES(today),"
           " members = VALUES(members), took_ms = VALUES(took_ms)",
        soci::use(record.program_id), soci::use(at), soci::use(record.window_days), soci::use(today),
        soci::use(record.members), soci::use(record.took_ms);
}

std::optional<RefreshRecord> last_refresh(soci::session& sql, long long program_id) {
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT DATE_FORMAT(refreshed_at, " << kSqlTimeFormat
                                                << "), window_days, DATE_FORMAT(today, '%Y-%m-%d'), members, took_ms"
                                                   " FROM insight_refreshes WHERE program_id = :program",
                                    soci::use(program_id));
    for (const soci::row& row : rows) {
        return RefreshRecord{program_id,
                             time_at(row, 0).value_or(core::Timestamp{}),
                             row.get<int>(1),
                             core::parse_date(row.get<std::string>(2)).value_or(core::LocalDate{}),
                             row.get<long long>(3),
                             row.get<long long>(4)};
    }
    return std::nullopt;
}

std::optional<StoredScore> find_score(soci::session& sql, long long program_id, long long member_id) {
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT " << kScoreColumns
                                                << " FROM member_scores WHERE member_id = :member"
                                                   " AND program_id = :program",
                                    soci::use(member_id), soci::use(program_id));
    for (const soci::row& row : rows) return score_of(row);
    return std::nullopt;
}

std::vector<SegmentCell> segment_cells(soci::session& sql, long long program_id) {
    std::vector<SegmentCell> cells;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT rfm_segment, churn_band, CAST(COUNT(*) AS SIGNED), CAST(SUM(spend_minor) AS SIGNED),"
                        " CAST(SUM(reward_cost_minor) AS SIGNED), CAST(SUM(net_value_minor) AS SIGNED)"
                        " FROM member_scores WHERE program_id = :program GROUP BY rfm_segment, churn_band",
         soci::use(program_id));
    for (const soci::row& row : rows) {
        cells.push_back(
            SegmentCell{core::segment_from_code(row.get<std::string>(0)).value_or(core::RfmSegment::kNone),
                        core::churn_band_from_code(row.get<std::string>(1)).value_or(core::ChurnBand::kNone),
                        row.get<long long>(2), row.get<long long>(3), row.get<long long>(4), row.get<long long>(5)});
    }
    return cells;
}

std::vector<ValueRow> members_by_value(soci::session& sql, long long program_id, ValueOrder order, std::size_t limit) {
    const char* column = order == ValueOrder::kSpend ? "spend_minor" : "net_value_minor";
    const long long count = static_cast<long long>(limit);
    std::vector<ValueRow> list;
    std::vector<long long> ids;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kScoreColumns << " FROM member_scores WHERE program_id = :program ORDER BY "
                     << column << " DESC, member_id DESC LIMIT :count",
         soci::use(program_id), soci::use(count));
    for (const soci::row& row : rows) {
        list.push_back(ValueRow{score_of(row), std::nullopt});
        ids.push_back(list.back().stored.score.member_id);
    }
    const auto cards = primary_cards(sql, ids);
    for (ValueRow& row : list) {
        if (const auto it = cards.find(row.stored.score.member_id); it != cards.end()) row.card = it->second;
    }
    return list;
}

}  // namespace patron::store
