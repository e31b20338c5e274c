#include "loyalty/store/ledger/stamp_store.h"

#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "loyalty/core/stamps.h"
#include "loyalty/store/db/insert_id.h"
#include "loyalty/store/db/json_rows.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/ledger/ledger_store.h"

namespace patron::store {
namespace {

// A collection's items as stored: {"green": 1, "oolong": -1}; NULL for a card of stamps.
std::string items_text(const std::map<std::string, std::int64_t>& items) {
    return items.empty() ? std::string() : nlohmann::json(items).dump();
}

std::map<std::string, std::int64_t> items_of(const std::string& text) {
    std::map<std::string, std::int64_t> items;
    const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
    if (!parsed.is_object()) return items;
    for (const auto& [item, count] : parsed.items()) {
        if (count.is_number_integer() && count.get<std::int64_t>() != 0) items[item] = count.get<std::int64_t>();
    }
    return items;
}

}  // namespace

std::string stamp_progress_sql(long long member_id) {
    return std::string("(SELECT JSON_OBJECTAGG(card_id, JSON_ARRAY(stamps, DATE_FORMAT(started_at, ") + kSqlTimeFormat +
           "), items)) FROM stamp_progress WHERE member_id = " + std::to_string(member_id) + ")";
}

std::map<std::string, core::StampProgress> stamp_progress_of(const std::optional<std::string>& rows) {
    std::map<std::string, core::StampProgress> progress;
    const nlohmann::json keyed = json_keyed_rows(rows);  // Alive through the loop: items() refers to it.
    for (const auto& [card_id, row] : keyed.items()) {
        core::StampProgress card;
        card.stamps = json_integer(row, 0);
        if (!row.at(1).is_null()) card.started_at = from_sql_time(json_text(row, 1));
        if (!row.at(2).is_null()) card.items = items_of(json_text(row, 2));
        progress[card_id] = card;
    }
    return progress;
}

std::map<std::string, core::StampProgress> stamp_progress(soci::session& sql, long long member_id) {
    return stamp_progress_of(select_value(sql, stamp_progress_sql(member_id)));
}

void save_stamp_progress(soci::session& sql, long long member_id, const std::string& card_id,
                         const core::StampProgress& progress, core::Timestamp now) {
    const std::string updated = to_sql_time(now);
    const std::string started = progress.started_at ? to_sql_time(*progress.started_at) : std::string();
    soci::indicator started_indicator = progress.started_at ? soci::i_ok : soci::i_null;
    const std::string items = items_text(progress.items);
    soci::indicator items_indicator = items.empty() ? soci::i_null : soci::i_ok;
    sql << "INSERT INTO stamp_progress (member_id, card_id, stamps, started_at, items, updated_at)"
           " VALUES (:member, :card, :stamps, :started, :items, :updated) ON DUPLICATE KEY UPDATE"
           " stamps = VALUES(stamps), started_at = VALUES(started_at), items = VALUES(items),"
           " updated_at = VALUES(updated_at)",
        soci::use(member_id), soci::use(card_id), soci::use(progress.stamps), soci::use(started, started_indicator),
        soci::use(items, items_indicator), soci::use(updated);
}

void insert_stamp_events(soci::session& sql, const std::vector<StampEvent>& events, core::Timestamp now) {
    const std::string created = to_sql_time(now);
    for (const StampEvent& event : events) {
        const long long purchase = event.purchase_id.value_or(0);
        const int line = event.line.value_or(0);
        soci::indicator purchase_indicator = event.purchase_id ? soci::i_ok : soci::i_null;
        soci::indicator line_indicator = event.line ? soci::i_ok : soci::i_null;
        soci::indicator item_indicator = event.item.empty() ? soci::i_null : soci::i_ok;
        sql << "INSERT INTO stamp_events (program_id, member_id, card_id, kind, purchase_id, line, stamps, threshold,"
               " item, rule_version, created_at) VALUES (:program, :member, :card, :kind, :purchase, :line, :stamps,"
               " :threshold, :item, :version, :created)",
            soci::use(event.program_id), soci::use(event.member_id), soci::use(event.card_id), soci::use(event.kind),
            soci::use(purchase, purchase_indicator), soci::use(line, line_indicator), soci::use(event.stamps),
            soci::use(event.threshold), soci::use(event.item, item_indicator), soci::use(event.rule_version),
            soci::use(created);
    }
}

std::vector<core::StampsGiven> standing_stamps(soci::session& sql, long long purchase_id) {
    std::vector<core::StampsGiven> given;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT card_id, line, CAST(SUM(stamps) AS SIGNED), CAST(MAX(threshold) AS SIGNED),"
                        " COALESCE(item, '') FROM stamp_events WHERE purchase_id = :id AND kind IN ('earn', 'return')"
                        " GROUP BY card_id, line, item ORDER BY card_id, line, item",
         soci::use(purchase_id));
    for (const soci::row& row : rows) {
        given.push_back(core::StampsGiven{row.get<std::string>(0), row.get<int>(1), row.get<long long>(2),
                                          row.get<long long>(3), row.get<std::string>(4)});
    }
    return given;
}

long long insert_stamp_reward(soci::session& sql, const StampReward& reward, core::Timestamp now) {
    const std::string created = to_sql_time(now);
    const long long lot = reward.lot_id.value_or(0), code = reward.code_id.value_or(0);
    soci::indicator lot_indicator = reward.lot_id ? soci::i_ok : soci::i_null;
    soci::indicator code_indicator = reward.code_id ? soci::i_ok : soci::i_null;
    sql << "INSERT INTO stamp_rewards (program_id, member_id, card_id, purchase_id, goal, rule_version, points,"
           " cashback, lot_id, code_id, created_at) VALUES (:program, :member, :card, :purchase, :goal, :version,"
           " :points, :cashback, :lot, :code, :created)",
        soci::use(reward.program_id), soci::use(reward.member_id), soci::use(reward.card_id),
        soci::use(reward.purchase_id), soci::use(reward.goal), soci::use(reward.rule_version), soci::use(reward.points),
        soci::use(reward.cashback), soci::use(lot, lot_indicator), soci::use(code, code_indicator), soci::use(created);
    return last_insert_id(sql);
}

std::vector<StampReward> issued_stamp_rewards(soci::session& sql, long long member_id, const std::string& card_id) {
    std::vector<StampReward> rewards;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(r.id AS SIGNED), CAST(r.program_id AS SIGNED), CAST(r.purchase_id AS SIGNED),"
                        " r.goal, r.rule_version, r.points, CAST(r.lot_id AS SIGNED), CAST(r.code_id AS SIGNED),"
                        " COALESCE(c.redemptions, 0), r.cashback FROM stamp_rewards r"
                        " LEFT JOIN coupon_codes c ON c.id = r.code_id"
                        " WHERE r.member_id = :member AND r.card_id = :card AND r.status = 'issued'"
                        " ORDER BY r.id DESC FOR UPDATE",
         soci::use(member_id), soci::use(card_id));
    for (const soci::row& row : rows) {
        StampReward reward;
        reward.id = row.get<long long>(0);
        reward.program_id = row.get<long long>(1);
        reward.member_id = member_id;
        reward.card_id = card_id;
        reward.purchase_id = row.get<long long>(2);
        reward.goal = row.get<long long>(3);
        reward.rule_version = row.get<int>(4);
        reward.points = row.get<long long>(5);
        if (row.get_indicator(6) == soci::i_ok) reward.lot_id = row.get<long long>(6);
        if (row.get_indicator(7) == soci::i_ok) reward.code_id = row.get<long long>(7);
        reward.used = row.get<long long>(8) > 0;
        reward.cashback = row.get<long long>(9);
        rewards.push_back(reward);
    }
    return rewards;
}

void revoke_stamp_reward(soci::session& sql, const StampReward& reward, core::Timestamp now) {
    const std::string revoked = to_sql_time(now);
    sql << "UPDATE stamp_rewards SET status = 'revoked', revoked_at = :revoked WHERE id = :id", soci::use(revoked),
        soci::use(reward.id);
    if (reward.code_id) {
        sql << "UPDATE coupon_codes SET revoked_at = :revoked WHERE id = :id", soci::use(revoked),
            soci::use(*reward.code_id);
    }
}

void move_stamps(soci::session& sql, long long program_id, long long from, long long into, core::Timestamp now) {
    const auto moving = stamp_progress(sql, from);
    const auto held = stamp_progress(sql, into);
    // Every event total moves (with the rewards, whose stamps the events still count), so that on
    // both records progress stays their events less their rewards' stamps.
    std::map<std::string, long long> totals;
    {
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT card_id, CAST(SUM(stamps) AS SIGNED) FROM stamp_events WHERE member_id = :member"
                            " GROUP BY card_id",
             soci::use(from));
        for (const soci::row& row : rows) totals[row.get<std::string>(0)] = row.get<long long>(1);
    }
    std::vector<StampEvent> events;
    for (const auto& [card_id, total] : totals) {
        if (total != 0) {
            events.push_back(StampEvent{program_id, from, card_id, "merge", std::nullopt, std::nullopt, -total});
            events.push_back(StampEvent{program_id, into, card_id, "merge", std::nullopt, std::nullopt, total});
        }
        const auto progress = moving.find(card_id);
        core::StampProgress merged = progress == moving.end() ? core::StampProgress{} : progress->second;
        if (const auto it = held.find(card_id); it != held.end()) {
            merged.stamps += it->second.stamps;
            // A collection: an item both cards hold is held once (the other is dropped, as an event).
            if (const std::int64_t dropped = core::merge_collection(merged.items, it->second.items); dropped > 0) {
                merged.stamps -= dropped;
                events.push_back(StampEvent{program_id, into, card_id, "drop", std::nullopt, std::nullopt, -dropped});
            }
            // The card keeps the earlier start: merging must not buy a card more time.
            if (it->second.started_at && (!merged.started_at || *it->second.started_at < *merged.started_at)) {
                merged.started_at = it->second.started_at;
            }
        }
        save_stamp_progress(sql, into, card_id, merged, now);
        save_stamp_progress(sql, from, card_id, core::StampProgress{}, now);
    }
    insert_stamp_events(sql, events, now);
    sql << "UPDATE stamp_rewards SET member_id = :into WHERE member_id = :from", soci::use(into), soci::use(from);
}

std::vector<std::string> stamp_discrepancies(soci::session& sql) {
    std::vector<std::string> found;
    // Progress = events - the goals of the rewards still issued (a revoked reward's stamps came back).
    collect_discrepancies(
        sql,
        "SELECT CAST(p.member_id AS SIGNED), CAST(COALESCE(e.total, 0) - COALESCE(r.used, 0) AS SIGNED),"
        " CAST(p.stamps AS SIGNED) FROM stamp_progress p"
        " LEFT JOIN (SELECT member_id, card_id, SUM(stamps) AS total FROM stamp_events GROUP BY member_id, card_id) e"
        " ON e.member_id = p.member_id AND e.card_id = p.card_id"
        " LEFT JOIN (SELECT member_id, card_id, SUM(goal) AS used FROM stamp_rewards WHERE status = 'issued'"
        " GROUP BY member_id, card_id) r ON r.member_id = p.member_id AND r.card_id = p.card_id"
        " WHERE COALESCE(e.total, 0) - COALESCE(r.used, 0) <> p.stamps",
        "member stamps (events less rewards vs card)", found);
    collect_discrepancies(sql,
                          "SELECT CAST(e.member_id AS SIGNED), CAST(0 AS SIGNED), CAST(COUNT(*) AS SIGNED)"
                          " FROM (SELECT DISTINCT member_id, card_id FROM stamp_events) e LEFT JOIN stamp_progress p"
                          " ON p.member_id = e.member_id AND p.card_id = e.card_id WHERE p.member_id IS NULL"
                          " GROUP BY e.member_id",
                          "member stamps (cards with events but no progress)", found);
    // A collection's stamps are its items' counts added up (held 1, owed below 0).
    soci::rowset<soci::row> collections =
        sql.prepare << "SELECT CAST(member_id AS SIGNED), CAST(stamps AS SIGNED), items FROM stamp_progress"
                       " WHERE items IS NOT NULL";
    for (const soci::row& row : collections) {
        std::int64_t total = 0;
        for (const auto& [item, count] : items_of(row.get<std::string>(2))) total += count;
        if (total == row.get<long long>(1)) continue;
        found.push_back("member collection items (items vs stamps) " + std::to_string(row.get<long long>(0)) +
                        ": expected " + std::to_string(total) + ", found " + std::to_string(row.get<long long>(1)));
    }
    return found;
}

}  // namespace patron::store
