#include "loyalty/store/members/member_records_store.h"

#include <soci/soci.h>

#include <algorithm>
#include <set>
#include <string>

#include "loyalty/store/pos/purchase_store.h"

namespace patron::store {
namespace {

// A column of a row as it came: numbers as numbers, the rest as text.
ColumnValue value_of(const soci::row& row, std::size_t i) {
    if (row.get_indicator(i) == soci::i_null) return std::monostate{};
    switch (row.get_properties(i).get_data_type()) {
        case soci::dt_long_long:
            return row.get<long long>(i);
        case soci::dt_integer:
            return static_cast<long long>(row.get<int>(i));
        case soci::dt_unsigned_long_long:
            return row.get<unsigned long long>(i);
        default:
            return row.get<std::string>(i);
    }
}

// Every row of a query about one member.
std::vector<RecordRow> rows_of(soci::session& sql, const std::string& query, long long member_id) {
    std::vector<RecordRow> rows;
    soci::rowset<soci::row> result = (sql.prepare << query, soci::use(member_id, "member"));
    for (const soci::row& row : result) {
        RecordRow columns;
        for (std::size_t i = 0; i < row.size(); ++i) {
            columns.emplace_back(row.get_properties(i).get_name(), value_of(row, i));
        }
        rows.push_back(std::move(columns));
    }
    return rows;
}

// The one row of a table keyed by the member, if there is one.
std::optional<RecordRow> row_of(soci::session& sql, const std::string& query, long long member_id) {
    std::vector<RecordRow> rows = rows_of(sql, query, member_id);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

// Times are selected as text: SOCI would give a std::tm, which has no fraction of a second.
std::string utc(const char* column, const char* name) {
    return std::string("DATE_FORMAT(") + column + ", '%Y-%m-%dT%H:%i:%s.%fZ') AS " + name;
}

std::string day(const char* column, const char* name) {
    return std::string("DATE_FORMAT(") + column + ", '%Y-%m-%d') AS " + name;
}

}  // namespace

// Left out on purpose, with the reason:
// - members: the sealed profile and its wrapped data key (the export has the profile opened);
//   program_id columns everywhere (the member's programme, the same on every row).
// - member_lookups.digest: the blind index itself, a keyed HMAC of the phone or email; the
//   profile gives both in the clear, and the digest would only help someone guess them.
// - member_credentials.password_hash, member_codes.code_mac, member_tokens.token_sha256: what
//   a password, a one-time code and a session token are checked against; secrets, not facts
//   about the member.
// - purchases.request_sha256, response_body and idempotency_key: the till's request digest, its
//   answer and its retry key, the purchase in the till's words; the columns exported say it.
// - purchase_lines.cost: the retailer's cost price, the shop's figure rather than the member's.
// - quote_holds.basket_sha256: the digest a commit compares its basket with.
// - audit_log.staff_user_id, member_consent_history.staff_user_id: the staff account's number;
//   actor and changed_by say who acted.
// ledger_transfers and cashback_transfers are shown in the member's entries, each entry with its
// transfer's columns (but program_id); reward_days shows its store by code, as purchases do.
// Not kept per member at all: sign_in_attempts counts failures per login name (a blind index),
// whoever typed it; purchase_feedback is the export's feedback, read apart (its comments sealed).
MemberRecords member_records(soci::session& sql, long long program_id, long long member_id) {
    MemberRecords records;
    records.cards =
        rows_of(sql,
                "SELECT c.number, c.kind, c.state, c.state_reason, " + utc("c.state_changed_at", "state_changed_at") +
                    ", " + utc("c.created_at", "created_at") +
                    ", IF(c.number <=> m.primary_card, 1, 0) AS chosen_primary FROM cards c"
                    " JOIN members m ON m.id = c.member_id WHERE c.member_id = :member ORDER BY c.created_at, c.number",
                member_id);
    records.lookups =
        rows_of(sql, "SELECT kind FROM member_lookups WHERE member_id = :member ORDER BY kind", member_id);
    records.merged_members =
        rows_of(sql,
                "SELECT CAST(id AS SIGNED) AS id, status, " + utc("created_at", "created_at") + ", " +
                    utc("updated_at", "updated_at") + " FROM members WHERE merged_into = :member ORDER BY id",
                member_id);
    records.consent_history =
        rows_of(sql,
                "SELECT CAST(id AS SIGNED) AS id, consent, value, " + utc("changed_at", "changed_at") +
                    ", changed_by FROM member_consent_history WHERE member_id = :member ORDER BY id",
                member_id);
    records.account = row_of(
        sql,
        "SELECT points_available, points_pending, points_shortfall, cashback_balance, cashback_shortfall, tier, " +
            utc("tier_secured_until", "tier_secured_until") + ", " + utc("tier_review_at", "tier_review_at") + ", " +
            utc("first_purchase_at", "first_purchase_at") + ", " + utc("last_purchase_at", "last_purchase_at") + ", " +
            utc("updated_at", "updated_at") + " FROM member_accounts WHERE member_id = :member",
        member_id);
    records.point_lots = rows_of(
        sql,
        "SELECT CAST(id AS SIGNED) AS id, CAST(purchase_id AS SIGNED) AS purchase_id, CAST(transfer_id AS SIGNED)"
        " AS transfer, rule_id, rule_version, earned, remaining, reversed, charged, state, " +
            utc("earned_at", "earned_at") + ", " + utc("pending_until", "pending_until") + ", " +
            utc("expires_at", "expires_at") + " FROM point_lots WHERE member_id = :member ORDER BY id",
        member_id);
    // Lots are the member's alone: so is every use of one.
    records.point_lot_uses = rows_of(sql,
                                     "SELECT CAST(u.transfer_id AS SIGNED) AS transfer_id, CAST(u.lot_id AS SIGNED) AS"
                                     " lot_id, u.points FROM point_lots o JOIN point_lot_uses u ON u.lot_id = o.id"
                                     " WHERE o.member_id = :member ORDER BY u.transfer_id, u.lot_id",
                                     member_id);
    records.ledger_entries =
        rows_of(sql,
                "SELECT CAST(e.id AS SIGNED) AS id, CAST(t.id AS SIGNED) AS transfer, t.kind, CAST(t.purchase_id AS"
                " SIGNED) AS purchase_id, t.rule_id, t.rule_version, t.note, e.account, e.amount, " +
                    utc("t.created_at", "at") +
                    " FROM ledger_entries e JOIN ledger_transfers t ON t.id = e.transfer_id WHERE e.member_id = :member"
                    " ORDER BY e.id",
                member_id);
    records.rule_usage = rows_of(sql,
                                 "SELECT rule_id, period, points FROM member_rule_usage WHERE member_id = :member"
                                 " ORDER BY rule_id, period",
                                 member_id);
    records.cashback_entries =
        rows_of(sql,
                "SELECT CAST(e.id AS SIGNED) AS id, CAST(t.id AS SIGNED) AS transfer, t.kind, CAST(t.purchase_id AS"
                " SIGNED) AS purchase_id, t.rule_id, t.rule_version, t.note, e.account, e.amount, " +
                    utc("t.created_at", "at") +
                    " FROM cashback_entries e JOIN cashback_transfers t ON t.id = e.transfer_id"
                    " WHERE e.member_id = :member ORDER BY e.id",
                member_id);
    records.reward_days = rows_of(sql,
                                  "SELECT r.book, " + day("r.day", "day") +
                                      ", r.rule_key, r.kind, s.code AS store, r.amount, r.purchases FROM reward_days r"
                                      " LEFT JOIN stores s ON s.id = r.store_id WHERE r.program_id = " +
                                      std::to_string(program_id) +
                                      " AND r.member_id = :member ORDER BY r.book, r.day, r.rule_key, r.kind,"
                                      " r.store_id",
                                  member_id);
    records.stamp_progress =
        rows_of(sql,
                "SELECT card_id, stamps, " + utc("started_at", "started_at") + ", " + utc("updated_at", "updated_at") +
                    " FROM stamp_progress WHERE member_id = :member ORDER BY card_id",
                member_id);
    records.stamp_events =
        rows_of(sql,
                "SELECT CAST(id AS SIGNED) AS id, card_id, kind, CAST(purchase_id AS SIGNED) AS"
                " purchase_id, line, stamps, threshold, rule_version, " +
                    utc("created_at", "at") + " FROM stamp_events WHERE member_id = :member ORDER BY id",
                member_id);
    records.stamp_rewards = rows_of(
        sql,
        "SELECT CAST(id AS SIGNED) AS id, card_id, CAST(purchase_id AS SIGNED) AS purchase_id, goal,"
        " rule_version, points, CAST(lot_id AS SIGNED) AS lot_id, CAST(code_id AS SIGNED) AS code_id, status, " +
            utc("created_at", "created_at") + ", " + utc("revoked_at", "revoked_at") +
            " FROM stamp_rewards WHERE member_id = :member ORDER BY id",
        member_id);
    records.referral_code = row_of(
        sql, "SELECT code, " + utc("created_at", "created_at") + " FROM referral_codes WHERE member_id = :member",
        member_id);
    const std::string referral_times = utc("enrolled_at", "enrolled_at") + ", " + utc("qualify_by", "qualify_by") +
                                       ", " + utc("qualified_at", "qualified_at") + ", " +
                                       utc("updated_at", "updated_at");
    records.invitations = rows_of(sql,
                                  "SELECT CAST(id AS SIGNED) AS id, terms_version, state, reason, referrer_points,"
                                  " referrer_cashback, referrer_outcome, revocations, " +
                                      referral_times + " FROM referrals WHERE referrer_id = :member ORDER BY id",
                                  member_id);
    records.referred_by = rows_of(sql,
                                  "SELECT CAST(id AS SIGNED) AS id, terms_version, terms, state, reason,"
                                  " CAST(purchase_id AS SIGNED) AS purchase_id, friend_points, friend_cashback,"
                                  " revocations, " +
                                      referral_times + " FROM referrals WHERE friend_id = :member ORDER BY id",
                                  member_id);
    records.draw_entries = rows_of(sql,
                                   "SELECT CAST(id AS SIGNED) AS id, CAST(draw_id AS SIGNED) AS draw_id, source,"
                                   " CAST(purchase_id AS SIGNED) AS purchase_id, CAST(code_id AS SIGNED) AS code_id,"
                                   " entries, earned, " +
                                       utc("created_at", "created_at") + ", " + utc("updated_at", "updated_at") +
                                       " FROM draw_entries WHERE member_id = :member ORDER BY id",
                                   member_id);
    records.draw_codes =
        rows_of(sql,
                "SELECT CAST(id AS SIGNED) AS id, CAST(draw_id AS SIGNED) AS draw_id, code, " +
                    utc("used_at", "used_at") + " FROM draw_codes WHERE member_id = :member ORDER BY id",
                member_id);
    records.draw_entrants = rows_of(sql,
                                    "SELECT CAST(draw_id AS SIGNED) AS draw_id, reference, tickets FROM draw_entrants"
                                    " WHERE member_id = :member ORDER BY draw_id",
                                    member_id);
    records.draw_places = rows_of(sql,
                                  "SELECT CAST(draw_id AS SIGNED) AS draw_id, place, prize, reference, state, " +
                                      utc("claim_by", "claim_by") + ", " + utc("claimed_at", "claimed_at") +
                                      " FROM draw_places WHERE member_id = :member ORDER BY draw_id, place",
                                  member_id);
    records.coupon_codes =
        rows_of(sql,
                "SELECT CAST(c.id AS SIGNED) AS id, CAST(c.campaign_id AS SIGNED) AS campaign_id, k.name AS campaign,"
                " c.code, c.single_use, c.redemptions, " +
                    utc("c.created_at", "created_at") + ", " + utc("c.revoked_at", "revoked_at") +
                    " FROM coupon_codes c JOIN coupon_campaigns k ON k.id = c.campaign_id WHERE c.member_id = :member"
                    " ORDER BY c.id",
                member_id);
    records.coupon_redemptions =
        rows_of(sql,
                "SELECT CAST(r.id AS SIGNED) AS id, c.code, CAST(r.campaign_id AS SIGNED) AS campaign_id,"
                " r.campaign_version, CAST(r.purchase_id AS SIGNED) AS purchase_id, r.discount, r.bonus_points,"
                " r.status, " +
                    utc("r.created_at", "created_at") + ", " + utc("r.given_back_at", "given_back_at") +
                    ", CAST(r.given_back_by AS SIGNED) AS given_back_by FROM coupon_redemptions r"
                    " JOIN coupon_codes c ON c.id = r.code_id WHERE r.member_id = :member ORDER BY r.id",
                member_id);
    records.purchases =
        rows_of(sql,
                "SELECT CAST(p.id AS SIGNED) AS id, p.kind, CAST(p.original_id AS SIGNED) AS original_id,"
                " s.code AS store, p.terminal, " +
                    day("p.business_day", "business_day") +
                    ", p.receipt, p.card_number, p.currency, p.total, p.points_earned, p.points_redeemed,"
                    " p.redeemed_value, p.cashback_earned, p.cashback_spent, p.rule_set_version, " +
                    utc("p.pos_time", "pos_time") + ", p.pos_offset_minutes, " + utc("p.received_at", "received_at") +
                    ", " + utc("p.voided_at", "voided_at") +
                    " FROM purchases p JOIN stores s ON s.id = p.store_id WHERE p.member_id = :member ORDER BY p.id",
                member_id);
    records.purchase_lines = rows_of(sql,
                                     "SELECT CAST(l.purchase_id AS SIGNED) AS purchase_id, l.line, l.sku, l.category,"
                                     " l.quantity_milli, l.unit_price, l.amount, l.discount, l.returned_milli"
                                     " FROM purchases p JOIN purchase_lines l ON l.purchase_id = p.id"
                                     " WHERE p.member_id = :member ORDER BY l.purchase_id, l.line",
                                     member_id);
    records.return_lines = rows_of(sql,
                                   "SELECT CAST(l.return_id AS SIGNED) AS return_id, l.line, l.quantity_milli, l.amount"
                                   " FROM purchases p JOIN return_lines l ON l.return_id = p.id"
                                   " WHERE p.member_id = :member ORDER BY l.return_id, l.line",
                                   member_id);
    // A purchase's lines earn for the purchase's member, into her lots and her cashback.
    // Her id a literal inside, where the rows are picked (the query binds :member once, outside).
    records.line_points = rows_of(
        sql,
        "SELECT r.purchase_id, r.line, r.lot_id, r.points FROM (" +
            line_points_rows_sql("IN (SELECT id FROM purchases WHERE member_id = " + std::to_string(member_id) + ")") +
            ") r JOIN purchases p ON p.id = r.purchase_id WHERE p.member_id = :member"
            " ORDER BY r.purchase_id, r.line, r.lot_id",
        member_id);
    // The cashback each line of her purchases earned, and each line whose cashback went to her
    // wallet (a purchase moved to her by a merge leaves its cashback on the record merged in).
    const std::string line_earning =
        "SELECT CAST(l.purchase_id AS SIGNED) AS purchase_id, CAST(l.transfer_id AS SIGNED) AS transfer_id, l.line,"
        " l.amount FROM ";
    records.cashback_line_earnings =
        rows_of(sql,
                line_earning +
                    "purchases p JOIN cashback_line_earnings l ON l.purchase_id = p.id"
                    " WHERE p.member_id = :member UNION " +
                    line_earning +
                    "cashback_entries e JOIN cashback_line_earnings l ON l.transfer_id = e.transfer_id"
                    " WHERE e.member_id = " +
                    std::to_string(member_id) + " ORDER BY purchase_id, transfer_id, line",
                member_id);
    records.quote_holds =
        rows_of(sql,
                "SELECT CAST(h.id AS SIGNED) AS id, h.quote_id, s.code AS store, h.points, h.points_earned,"
                " h.rule_set_version, h.tier, " +
                    utc("h.created_at", "created_at") + ", " + utc("h.expires_at", "expires_at") +
                    ", CAST(h.used_by_purchase_id AS SIGNED) AS used_by_purchase_id FROM quote_holds h"
                    " JOIN stores s ON s.id = h.store_id WHERE h.member_id = :member ORDER BY h.id",
                member_id);
    records.claim_failures = rows_of(sql,
                                     "SELECT CAST(id AS SIGNED) AS id, " + utc("failed_at", "failed_at") +
                                         " FROM member_claim_failures WHERE member_id = :member ORDER BY id",
                                     member_id);
    records.tier_history = rows_of(
        sql,
        "SELECT CAST(id AS SIGNED) AS id, from_tier, to_tier, reason, progress, " +
            utc("secured_until", "secured_until") + ", policy_version, CAST(purchase_id AS SIGNED) AS purchase_id, " +
            utc("created_at", "at") + " FROM tier_history WHERE member_id = :member ORDER BY id",
        member_id);
    records.password =
        row_of(sql, "SELECT " + utc("updated_at", "updated_at") + " FROM member_credentials WHERE member_id = :member",
               member_id);
    records.sign_in_codes =
        rows_of(sql,
                "SELECT CAST(id AS SIGNED) AS id, purpose, attempts, " + utc("created_at", "created_at") + ", " +
                    utc("expires_at", "expires_at") + ", " + utc("used_at", "used_at") +
                    " FROM member_codes WHERE member_id = :member ORDER BY id",
                member_id);
    // A session has no number but its token's hash: ordered by it, never shown.
    records.sessions = rows_of(sql,
                               "SELECT " + utc("created_at", "created_at") + ", " + utc("expires_at", "expires_at") +
                                   " FROM member_tokens WHERE member_id = :member ORDER BY created_at, token_sha256",
                               member_id);
    records.scores = row_of(
        sql,
        "SELECT " + utc("refreshed_at", "refreshed_at") +
            ", window_days, recency_days, frequency, monetary_minor, r_score, f_score, m_score, rfm_segment,"
            " churn_permille, churn_band, spend_minor, points_earned, points_cost_minor, cashback_minor,"
            " coupon_discount_minor, reward_cost_minor, net_value_minor, cost_minor, margin_minor, net_margin_minor"
            " FROM member_scores WHERE member_id = :member",
        member_id);
    // A segment's memberships go after the segment, in transactions of their own: for a moment a
    // membership may outlive its segment, shown then with its number alone.
    records.segments = rows_of(sql,
                               "SELECT CAST(ms.segment_id AS SIGNED) AS segment_id, s.code, s.name, " +
                                   utc("ms.refreshed_at", "refreshed_at") +
                                   " FROM member_segments ms LEFT JOIN segments s ON s.id = ms.segment_id"
                                   " WHERE ms.member_id = :member ORDER BY ms.segment_id",
                               member_id);
    records.campaign_exposures =
        rows_of(sql,
                "SELECT campaign_kind, campaign_key, held_out, " + utc("first_at", "first_at") +
                    ", CAST(purchase_id AS SIGNED) AS purchase_id FROM campaign_exposures WHERE member_id = :member"
                    " ORDER BY campaign_kind, campaign_key",
                member_id);
    records.messages =
        rows_of(sql,
                "SELECT CAST(id AS SIGNED) AS id, kind, state, reason, channel, CAST(attempts AS SIGNED)"
                " AS attempts, " +
                    utc("created_at", "created_at") + ", " + utc("due_at", "due_at") + ", " +
                    utc("sent_at", "sent_at") + " FROM member_messages WHERE member_id = :member ORDER BY id",
                member_id);
    records.trigger_firings =
        rows_of(sql,
                "SELECT CAST(f.trigger_id AS SIGNED) AS trigger_id, t.name AS trigger_name, f.window_key AS window,"
                " CAST(f.trigger_version AS SIGNED) AS version, f.outcome, " +
                    utc("f.fired_at", "fired_at") +
                    " FROM trigger_firings f JOIN triggers t ON t.id = f.trigger_id WHERE f.member_id = :member"
                    " ORDER BY f.id",
                member_id);
    records.segment_additions = rows_of(
        sql,
        "SELECT CAST(a.segment_id AS SIGNED) AS segment_id, s.code, CAST(a.trigger_id AS SIGNED) AS trigger_id, " +
            utc("a.added_at", "added_at") + ", " + utc("a.until", "until") +
            " FROM segment_additions a LEFT JOIN segments s ON s.id = a.segment_id WHERE a.member_id = :member"
            " ORDER BY a.segment_id",
        member_id);
    records.audit =
        rows_of(sql,
                "SELECT CAST(id AS SIGNED) AS id, actor, action, entity, CAST(entity_id AS SIGNED) AS"
                " entity_id, fields, " +
                    utc("created_at", "at") + " FROM audit_log WHERE program_id = " + std::to_string(program_id) +
                    " AND member_id = :member ORDER BY id",
                member_id);
    return records;
}

std::vector<long long> records_merged_into(soci::session& sql, long long member_id, std::size_t limit) {
    std::vector<long long> found;
    std::set<long long> seen = {member_id};  // A merge never makes a cycle; the walk would not loop if one did.
    std::vector<long long> frontier = {member_id};
    while (!frontier.empty() && found.size() < limit) {
        const long long into = frontier.back();
        frontier.pop_back();
        soci::rowset<long long> rows =
            (sql.prepare << "SELECT CAST(id AS SIGNED) FROM members WHERE merged_into = :into ORDER BY id",
             soci::use(into));
        for (const long long id : rows) {
            if (found.size() == limit) break;
            if (!seen.insert(id).second) continue;
            found.push_back(id);
            frontier.push_back(id);
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

}  // namespace patron::store
