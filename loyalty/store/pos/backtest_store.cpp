#include "loyalty/store/pos/backtest_store.h"

#include <soci/soci.h>

#include <unordered_map>

#include "loyalty/core/member_profile.h"
#include "loyalty/store/db/id_list.h"
#include "loyalty/store/db/integer_column.h"
#include "loyalty/store/db/known_value.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::store {
namespace {

// A till whose clock runs ahead may write a POS time a little after it reached Patron.
constexpr auto kTillClockAhead = std::chrono::hours(24);

core::Timestamp time_of(const soci::row& row, std::size_t column) {
    return from_sql_time(row.get<std::string>(column)).value_or(core::Timestamp{});
}

// The purchase rows themselves (no lines yet), by id.
std::unordered_map<long long, core::PastPurchase> read_purchase_rows(soci::session& sql, const std::string& ids) {
    std::unordered_map<long long, core::PastPurchase> purchases;
    soci::rowset<soci::row> rows =
        (sql.prepare
         << "SELECT CAST(p.id AS SIGNED), CAST(p.member_id AS SIGNED), s.code, p.terminal,"
            " DATE_FORMAT(p.business_day, '%Y-%m-%d'), p.receipt, p.currency, p.total, DATE_FORMAT(p.pos_time, "
         << kSqlTimeFormat << "), CAST(p.pos_offset_minutes AS SIGNED), p.redeemed_value, p.cashback_spent,"
         << " DATE_FORMAT(p.received_at, " << kSqlTimeFormat
         << ")"
            " FROM purchases p JOIN stores s ON s.id = p.store_id WHERE p.id IN ("
         << ids << ")");
    for (const soci::row& row : rows) {
        core::PastPurchase past;
        past.id = integer_at(row, 0);
        past.member_id = row.get_indicator(1) == soci::i_ok ? integer_at(row, 1) : 0;
        core::Purchase& purchase = past.purchase;
        purchase.key = core::ReceiptKey{row.get<std::string>(2), row.get<std::string>(3),
                                        core::parse_date(row.get<std::string>(4)).value_or(core::LocalDate{}),
                                        row.get<std::string>(5)};
        purchase.currency = known_value(core::find_currency(row.get<std::string>(6)));
        purchase.total = integer_at(row, 7);
        purchase.pos_time = core::PosTime{time_of(row, 8), static_cast<int>(integer_at(row, 9))};
        purchase.redeem_points = 0;
        purchase.spend_cashback = 0;
        past.paid_otherwise = integer_at(row, 10) + integer_at(row, 11);
        past.received_at = time_of(row, 12);
        purchases.emplace(past.id, std::move(past));
    }
    return purchases;
}

void read_lines(soci::session& sql, const std::string& ids, std::unordered_map<long long, core::PastPurchase>& into) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(purchase_id AS SIGNED), line, sku, category, quantity_milli, unit_price, amount,"
                        " discount FROM purchase_lines WHERE purchase_id IN ("
                     << ids << ") ORDER BY purchase_id, line");
    for (const soci::row& row : rows) {
        const auto it = into.find(integer_at(row, 0));
        if (it == into.end()) continue;
        it->second.purchase.lines.push_back(
            core::PurchaseLine{static_cast<int>(integer_at(row, 1)), row.get<std::string>(2), row.get<std::string>(3),
                               integer_at(row, 4), integer_at(row, 5), integer_at(row, 6), integer_at(row, 7)});
    }
}

void read_coupons(soci::session& sql, const std::string& ids, std::unordered_map<long long, core::PastPurchase>& into) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(purchase_id AS SIGNED), CAST(campaign_id AS SIGNED), campaign_version, discount,"
                        " bonus_points FROM coupon_redemptions WHERE purchase_id IN ("
                     << ids << ") ORDER BY id");
    for (const soci::row& row : rows) {
        const auto it = into.find(integer_at(row, 0));
        if (it == into.end()) continue;
        it->second.coupons.push_back(core::CouponDiscount{"", integer_at(row, 1), static_cast<int>(integer_at(row, 2)),
                                                          integer_at(row, 3), integer_at(row, 4), core::ReceiptLine{}});
    }
}

void read_returned(soci::session& sql, const std::string& ids,
                   std::unordered_map<long long, core::PastPurchase>& into) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT DISTINCT CAST(original_id AS SIGNED) FROM purchases WHERE original_id IN (" << ids
                     << ") AND kind = 'return'");
    for (const soci::row& row : rows) {
        if (const auto it = into.find(integer_at(row, 0)); it != into.end()) it->second.returned = true;
    }
}

// Adds (purchase, key, amount) rows of a query to the map `field` of each purchase's given rewards.
void read_given(soci::session& sql, const std::string& query,
                std::map<std::string, std::int64_t> core::GivenRewards::*field,
                std::unordered_map<long long, core::PastPurchase>& into) {
    soci::rowset<soci::row> rows = sql.prepare << query;
    for (const soci::row& row : rows) {
        const auto it = into.find(integer_at(row, 0));
        if (it == into.end()) continue;
        (it->second.given.*field)[row.get<std::string>(1)] += integer_at(row, 2);
    }
}

// What the published rules gave: points and cashback from their ledgers' earnings (the member's
// side of each transfer), stamps from the stamp events, filled cards from the rewards issued.
void read_published(soci::session& sql, const std::string& ids, const std::string& members,
                    std::unordered_map<long long, core::PastPurchase>& into) {
    read_given(sql,
               "SELECT CAST(t.purchase_id AS SIGNED), t.rule_id, CAST(SUM(e.amount) AS SIGNED) FROM ledger_transfers t"
               " JOIN ledger_entries e ON e.transfer_id = t.id AND e.member_id IS NOT NULL WHERE t.purchase_id IN (" +
                   ids + ") AND t.kind = 'earn' GROUP BY t.purchase_id, t.rule_id",
               &core::GivenRewards::points, into);
    read_given(
        sql,
        "SELECT CAST(t.purchase_id AS SIGNED), t.rule_id, CAST(SUM(e.amount) AS SIGNED) FROM cashback_transfers t"
        " JOIN cashback_entries e ON e.transfer_id = t.id AND e.member_id IS NOT NULL WHERE t.purchase_id IN (" +
            ids + ") AND t.kind = 'earn' GROUP BY t.purchase_id, t.rule_id",
        &core::GivenRewards::cashback, into);
    read_given(sql,
               "SELECT CAST(purchase_id AS SIGNED), card_id, CAST(SUM(stamps) AS SIGNED) FROM stamp_events"
               " WHERE purchase_id IN (" +
                   ids + ") AND kind = 'earn' GROUP BY purchase_id, card_id",
               &core::GivenRewards::stamps, into);
    if (members.empty()) return;
    // stamp_rewards is indexed by member: the members narrow it first.
    read_given(sql,
               "SELECT CAST(purchase_id AS SIGNED), card_id, COUNT(*) FROM stamp_rewards WHERE member_id IN (" +
                   members + ") AND purchase_id IN (" + ids + ") GROUP BY purchase_id, card_id",
               &core::GivenRewards::rewards, into);
}

void read_tier_changes(soci::session& sql, const std::string& members, std::map<long long, BacktestMember>& into) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(member_id AS SIGNED), from_tier, to_tier, CAST(purchase_id AS SIGNED),"
                        " DATE_FORMAT(created_at, "
                     << kSqlTimeFormat << ") FROM tier_history WHERE member_id IN (" << members
                     << ") ORDER BY member_id, id");
    for (const soci::row& row : rows) {
        into[integer_at(row, 0)].tier_changes.push_back(core::TierChange{
            row.get<std::string>(1), row.get<std::string>(2),
            row.get_indicator(3) == soci::i_ok ? std::optional<std::int64_t>(integer_at(row, 3)) : std::nullopt,
            time_of(row, 4)});
    }
    soci::rowset<soci::row> accounts =
        (sql.prepare << "SELECT CAST(member_id AS SIGNED), tier FROM member_accounts WHERE member_id IN (" << members
                     << ")");
    for (const soci::row& row : accounts) into[integer_at(row, 0)].tier = row.get<std::string>(1);
}

void read_birth_dates(soci::session& sql, const std::string& members, std::map<long long, BacktestMember>& into) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(id AS SIGNED), HEX(data_key_sealed), master_key_id, HEX(birth_date_sealed)"
                        " FROM members WHERE id IN ("
                     << members << ")");
    for (const soci::row& row : rows) {
        BacktestMember& member = into[integer_at(row, 0)];
        if (row.get_indicator(1) != soci::i_ok || row.get_indicator(3) != soci::i_ok) continue;
        member.data_key = crypto::WrappedKey{row.get_indicator(2) == soci::i_ok ? row.get<std::string>(2) : "",
                                             crypto::from_hex(row.get<std::string>(1)).value_or(crypto::Bytes{})};
        member.birth_date_sealed = crypto::from_hex(row.get<std::string>(3)).value_or(crypto::Bytes{});
    }
}

void read_purchases_before(soci::session& sql, const std::string& members, core::Timestamp window_start,
                           std::map<long long, BacktestMember>& into) {
    const std::string start = to_sql_time(window_start);
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(member_id AS SIGNED), COUNT(*) FROM purchases WHERE member_id IN (" << members
                     << ") AND kind = 'purchase' AND pos_time < :start GROUP BY member_id",
         soci::use(start, "start"));
    for (const soci::row& row : rows) into[integer_at(row, 0)].purchases_before = integer_at(row, 1);
}

void read_enrolments(soci::session& sql, const std::string& members, std::map<long long, BacktestMember>& into) {
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT CAST(id AS SIGNED), DATE_FORMAT(created_at, "
                                                << kSqlTimeFormat << ") FROM members WHERE id IN (" << members << ")");
    for (const soci::row& row : rows) into[integer_at(row, 0)].enrolled_at = time_of(row, 1);
}

}  // namespace

BacktestPlan plan_backtest(soci::session& sql, long long program_id, core::Timestamp starts_at, core::Timestamp ends_at,
                           core::Timestamp received_until, long long ids_max) {
    BacktestPlan plan;
    const std::string received_from = to_sql_time(starts_at - kTillClockAhead);
    const std::string received_to = to_sql_time(received_until);
    const std::string from = to_sql_time(starts_at);
    const std::string to = to_sql_time(ends_at);
    const std::string window =
        " FROM purchases WHERE received_at >= :received_from AND received_at < :received_to"
        " AND program_id = :program AND kind = 'purchase' AND pos_time >= :from AND pos_time < :to";
    const long long ids_read = ids_max + 1;
    soci::rowset<long long> ids =
        (sql.prepare << "SELECT CAST(id AS SIGNED)" << window
                     << " AND member_id IS NOT NULL AND voided_at IS NULL ORDER BY received_at, id LIMIT :ids",
         soci::use(received_from, "received_from"), soci::use(received_to, "received_to"),
         soci::use(program_id, "program"), soci::use(from, "from"), soci::use(to, "to"), soci::use(ids_read, "ids"));
    for (const long long id : ids) plan.ids.push_back(id);
    if (static_cast<long long>(plan.ids.size()) > ids_max) return plan;  // Refused: the rest is not needed.
    sql << "SELECT CAST(IFNULL(SUM(member_id IS NULL), 0) AS SIGNED),"
           " CAST(IFNULL(SUM(member_id IS NOT NULL AND voided_at IS NOT NULL), 0) AS SIGNED)"
        << window,
        soci::use(received_from, "received_from"), soci::use(received_to, "received_to"),
        soci::use(program_id, "program"), soci::use(from, "from"), soci::use(to, "to"), soci::into(plan.anonymous),
        soci::into(plan.voided);
    return plan;
}

std::vector<core::PastPurchase> read_backtest_purchases(soci::session& sql, std::span<const long long> ids) {
    if (ids.empty()) return {};
    const std::string list = id_list(ids);
    auto by_id = read_purchase_rows(sql, list);
    std::vector<long long> member_ids;
    for (const auto& [id, past] : by_id) {
        if (past.member_id != 0) member_ids.push_back(past.member_id);
    }
    std::sort(member_ids.begin(), member_ids.end());
    member_ids.erase(std::unique(member_ids.begin(), member_ids.end()), member_ids.end());
    read_lines(sql, list, by_id);
    read_coupons(sql, list, by_id);
    read_returned(sql, list, by_id);
    read_published(sql, list, id_list(member_ids), by_id);
    std::vector<core::PastPurchase> purchases;
    purchases.reserve(ids.size());
    for (const long long id : ids) {
        auto it = by_id.find(id);
        if (it != by_id.end()) purchases.push_back(std::move(it->second));
    }
    return purchases;
}

std::map<long long, BacktestMember> read_backtest_members(soci::session& sql, std::span<const long long> member_ids,
                                                          const BacktestMemberReads& reads,
                                                          core::Timestamp window_start) {
    std::map<long long, BacktestMember> members;
    if (member_ids.empty()) return members;
    const std::string list = id_list(member_ids);
    read_tier_changes(sql, list, members);
    if (reads.birth_dates) read_birth_dates(sql, list, members);
    if (reads.purchases_before) read_purchases_before(sql, list, window_start, members);
    if (reads.enrolments) read_enrolments(sql, list, members);
    return members;
}

}  // namespace patron::store
