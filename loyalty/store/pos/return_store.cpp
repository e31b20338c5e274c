#include "loyalty/store/pos/return_store.h"

#include <soci/soci.h>

#include <sstream>

#include "loyalty/core/member_profile.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/db/write_batch.h"
#include "loyalty/store/pos/purchase_store.h"

namespace patron::store {
namespace {

core::Timestamp time_of(const soci::row& row, std::size_t column) {
    return from_sql_time(row.get<std::string>(column)).value_or(core::Timestamp{});
}

// A purchase's lines as committed, each with the quantity returned so far.
std::vector<std::pair<core::PurchaseLine, long long>> stored_lines(soci::session& sql, long long purchase_id) {
    std::vector<std::pair<core::PurchaseLine, long long>> lines;
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT line, sku, category, quantity_milli, unit_price, amount,"
                                                   " discount, returned_milli FROM purchase_lines"
                                                   " WHERE purchase_id = :id ORDER BY line",
                                    soci::use(purchase_id));
    for (const soci::row& row : rows) {
        lines.emplace_back(
            core::PurchaseLine{row.get<int>(0), row.get<std::string>(1), row.get<std::string>(2), row.get<long long>(3),
                               row.get<long long>(4), row.get<long long>(5), row.get<long long>(6)},
            row.get<long long>(7));
    }
    return lines;
}

}  // namespace

std::optional<OriginalPurchase> find_purchase_by_receipt(soci::session& sql, long long program_id,
                                                         const core::ReceiptKey& key) {
    const std::string day = core::format_date(key.business_day);
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(p.id AS SIGNED), CAST(p.store_id AS SIGNED), p.kind,"
                        " CAST(COALESCE(p.member_id, 0) AS SIGNED), p.currency, p.total, p.points_redeemed,"
                        " p.redeemed_value, p.rule_set_version, DATE_FORMAT(p.pos_time, "
                     << kSqlTimeFormat << "), p.pos_offset_minutes, DATE_FORMAT(p.received_at, " << kSqlTimeFormat
                     << "), DATE_FORMAT(p.business_day, '%Y-%m-%d'), p.voided_at IS NOT NULL"
                        " FROM purchases p JOIN stores s ON s.id = p.store_id"
                        " WHERE s.program_id = :program AND s.code = :store AND p.terminal = :terminal"
                        " AND p.business_day = :day AND p.receipt = :receipt",
         soci::use(program_id), soci::use(key.store), soci::use(key.terminal), soci::use(day), soci::use(key.receipt));
    for (const soci::row& row : rows) {
        OriginalPurchase found;
        found.id = row.get<long long>(0);
        found.store_id = row.get<long long>(1);
        found.kind = row.get<std::string>(2);
        if (const long long member = row.get<long long>(3); member != 0) found.member_id = member;
        found.currency = row.get<std::string>(4);
        found.total = row.get<long long>(5);
        found.points_redeemed = row.get<long long>(6);
        found.redeemed_value = row.get<long long>(7);
        found.rule_set_version = row.get<int>(8);
        found.pos_time = core::PosTime{time_of(row, 9), row.get<int>(10)};
        found.received_at = time_of(row, 11);
        found.business_day = core::parse_date(row.get<std::string>(12)).value_or(std::chrono::year_month_day{});
        found.voided = row.get<int>(13) != 0;
        return found;
    }
    return std::nullopt;
}

std::optional<long long> lock_purchase(soci::session& sql, long long purchase_id) {
    long long member_id = 0;
    soci::indicator member = soci::i_null;
    sql << "SELECT CAST(member_id AS SIGNED) FROM purchases WHERE id = :id FOR UPDATE", soci::into(member_id, member),
        soci::use(purchase_id);
    if (!sql.got_data()) return std::nullopt;
    // Written as well as locked: on Galera a return and a claim of one purchase, or two returns of
    // it, on two nodes conflict at certification (docs/cluster.md, "Row locks").
    write(sql, "UPDATE purchases SET write_mark = write_mark + 1 WHERE id = " + std::to_string(purchase_id));
    if (member != soci::i_ok) return std::nullopt;
    return member_id;
}

std::vector<core::OriginalLine> original_lines(soci::session& sql, long long purchase_id) {
    std::vector<core::OriginalLine> lines;
    for (const auto& [line, returned_milli] : stored_lines(sql, purchase_id)) {
        lines.push_back(
            core::OriginalLine{line.line, line.quantity_milli, line.net_amount(), returned_milli, line.sku});
    }
    return lines;
}

std::vector<core::LotShare> line_points(soci::session& sql, long long purchase_id) {
    std::vector<core::LotShare> shares;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT lot_id, line, points FROM (" +
                            line_points_rows_sql("= " + std::to_string(purchase_id)) + ") r ORDER BY lot_id, line");
    for (const soci::row& row : rows) {
        shares.push_back(core::LotShare{row.get<long long>(0), row.get<int>(1), row.get<long long>(2)});
    }
    return shares;
}

namespace {

// The lots a condition on point_lots `l` (binding :id, :rule) finds, locked, with what left them unspent.
std::vector<PurchaseLot> lots_for_update(soci::session& sql, const std::string& condition, long long id,
                                         const std::string& rule_id) {
    std::vector<PurchaseLot> lots;
    {
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT CAST(l.id AS SIGNED), l.rule_id, l.rule_version, l.earned, l.remaining,"
                            " l.state = 'pending', l.reversed, l.charged FROM point_lots l WHERE " +
                                condition + " ORDER BY l.id FOR UPDATE",
             soci::use(id, "id"), soci::use(rule_id, "rule"));
        for (const soci::row& row : rows) {
            lots.push_back(PurchaseLot{row.get<long long>(0), row.get<std::string>(1), row.get<int>(2),
                                       row.get<long long>(3), row.get<long long>(4), row.get<int>(5) != 0,
                                       row.get<long long>(6), row.get<long long>(7), 0});
        }
    }
    soci::rowset<soci::row> expired =
        (sql.prepare << "SELECT CAST(u.lot_id AS SIGNED), CAST(SUM(u.points) AS SIGNED) FROM point_lot_uses u"
                        " JOIN point_lots l ON l.id = u.lot_id JOIN ledger_transfers t ON t.id = u.transfer_id"
                        " WHERE " +
                            condition + " AND t.kind IN ('expire', 'forfeit') GROUP BY u.lot_id",
         soci::use(id, "id"), soci::use(rule_id, "rule"));
    for (const soci::row& row : expired) {
        for (PurchaseLot& lot : lots) {
            if (lot.id == row.get<long long>(0)) lot.expired = row.get<long long>(1);
        }
    }
    return lots;
}

}  // namespace

std::vector<PurchaseLot> purchase_lots_for_update(soci::session& sql, long long purchase_id) {
    return lots_for_update(sql, "l.purchase_id = :id AND :rule = ''", purchase_id, "");
}

std::vector<PurchaseLot> member_lots_of_rule_for_update(soci::session& sql, long long member_id,
                                                        const std::string& rule_id) {
    return lots_for_update(sql, "l.member_id = :id AND l.rule_id = :rule", member_id, rule_id);
}

void record_lot_reversal(soci::session& sql, long long lot_id, long long reversed, long long charged) {
    sql << "UPDATE point_lots SET reversed = reversed + :reversed, charged = charged + :charged WHERE id = :id",
        soci::use(reversed), soci::use(charged), soci::use(lot_id);
}

void add_returned_quantities(soci::session& sql, long long purchase_id, const std::vector<core::ReturnedLine>& lines) {
    for (const core::ReturnedLine& line : lines) {
        sql << "UPDATE purchase_lines SET returned_milli = returned_milli + :quantity"
               " WHERE purchase_id = :id AND line = :line",
            soci::use(line.quantity_milli), soci::use(purchase_id), soci::use(line.line);
    }
}

void insert_return_lines(soci::session& sql, long long return_id, const std::vector<core::ReturnedLine>& lines,
                         const std::vector<std::int64_t>& amounts) {
    if (lines.empty()) return;
    std::ostringstream query;  // Integers only: nothing to escape.
    query << "INSERT INTO return_lines (return_id, line, quantity_milli, amount) VALUES ";
    for (std::size_t i = 0; i < lines.size(); ++i) {
        query << (i == 0 ? "(" : ", (") << return_id << ", " << lines[i].line << ", " << lines[i].quantity_milli << ", "
              << amounts.at(i) << ")";
    }
    sql << query.str();
}

std::vector<core::PurchaseLine> purchase_lines(soci::session& sql, long long purchase_id) {
    std::vector<core::PurchaseLine> lines;
    for (auto& [line, returned_milli] : stored_lines(sql, purchase_id)) lines.push_back(std::move(line));
    return lines;
}

bool has_returns(soci::session& sql, long long purchase_id) {
    int found = 0;
    sql << "SELECT EXISTS (SELECT 1 FROM purchases WHERE original_id = :id)", soci::into(found), soci::use(purchase_id);
    return found != 0;
}

void assign_purchase(soci::session& sql, long long purchase_id, long long member_id, int rule_set_version,
                     long long points_earned) {
    sql << "UPDATE purchases SET member_id = :member, rule_set_version = :version, points_earned = :points"
           " WHERE id = :id",
        soci::use(member_id), soci::use(rule_set_version), soci::use(points_earned), soci::use(purchase_id);
}

void set_points_earned(soci::session& sql, long long purchase_id, long long points) {
    sql << "UPDATE purchases SET points_earned = :points WHERE id = :id", soci::use(points), soci::use(purchase_id);
}

void mark_voided(soci::session& sql, long long purchase_id, core::Timestamp at) {
    const std::string time = to_sql_time(at);
    sql << "UPDATE purchases SET voided_at = :at WHERE id = :id", soci::use(time), soci::use(purchase_id);
}

void add_points_shortfall(soci::session& sql, long long member_id, long long points) {
    sql << "UPDATE member_accounts SET points_shortfall = points_shortfall + :points WHERE member_id = :id",
        soci::use(points), soci::use(member_id);
}

}  // namespace patron::store
