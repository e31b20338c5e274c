#include "loyalty/store/program/tier_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/json_rows.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::store {

namespace {

// Members whose `column` (tier_review_at, tier_warn_at: each indexed) is due by `now`, oldest first.
std::vector<long long> members_due_by(soci::session& sql, const char* column, core::Timestamp now, int limit) {
    std::vector<long long> members;
    const std::string when = to_sql_time(now);
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT CAST(member_id AS SIGNED) FROM member_accounts WHERE "
                                                << column << " <= :now ORDER BY " << column << " LIMIT :limit",
                                    soci::use(when, "now"), soci::use(limit, "limit"));
    for (const soci::row& row : rows) members.push_back(row.get<long long>(0));
    return members;
}

}  // namespace

namespace {

// What counts, per measure, as one query over the member's rows in the window; the activity's
// time is `at`. Integers and instants of our own: nothing to escape.
std::string measure_query(core::TierMeasure measure, const char* aggregate, long long member_id,
                          const core::Period& window) {
    const std::string member = std::to_string(member_id);
    const std::string from = "'" + to_sql_time(window.from) + "'", until = "'" + to_sql_time(window.until) + "'";
    switch (measure) {
        case core::TierMeasure::kPoints:
            return std::string("SELECT ") + aggregate +
                   " FROM ledger_entries e JOIN ledger_transfers t ON t.id = e.transfer_id"
                   " WHERE e.member_id = " +
                   member +
                   " AND e.account IN ('member_available', 'member_pending')"
                   " AND t.kind IN ('earn', 'reverse') AND t.created_at >= " +
                   from + " AND t.created_at < " + until;
        case core::TierMeasure::kAmount:
            return std::string("SELECT ") + aggregate + " FROM purchases p WHERE p.member_id = " + member +
                   " AND p.pos_time >= " + from + " AND p.pos_time < " + until;
        case core::TierMeasure::kVisits:
            return std::string("SELECT ") + aggregate + " FROM purchases p WHERE p.member_id = " + member +
                   " AND p.kind = 'purchase' AND p.voided_at IS NULL AND p.pos_time >= " + from + " AND p.pos_time < " +
                   until +
                   " AND EXISTS (SELECT 1 FROM purchase_lines l WHERE l.purchase_id = p.id"
                   " AND l.returned_milli < l.quantity_milli)";
    }
    return {};
}

const char* value_of(core::TierMeasure measure) {
    switch (measure) {
        case core::TierMeasure::kPoints:
            return "CAST(COALESCE(SUM(e.amount), 0) AS SIGNED)";
        case core::TierMeasure::kAmount:
            return "CAST(COALESCE(SUM(CASE p.kind WHEN 'purchase' THEN p.total ELSE -p.total END), 0) AS SIGNED)";
        case core::TierMeasure::kVisits:
            return "CAST(COUNT(*) AS SIGNED)";
    }
    return "0";
}

}  // namespace

std::optional<TierPolicyRecord> find_tier_policy(soci::session& sql, long long program_id) {
    TierPolicyRecord record;
    soci::indicator present = soci::i_null;
    sql << "SELECT tier_policy_version, tier_policy FROM programs WHERE id = :id", soci::into(record.version),
        soci::into(record.document, present), soci::use(program_id);
    if (!sql.got_data() || present != soci::i_ok) return std::nullopt;
    return record;
}

int store_tier_policy(soci::session& sql, long long program_id, const std::optional<std::string>& document) {
    const std::string text = document.value_or("");
    soci::indicator present = document ? soci::i_ok : soci::i_null;
    sql << "UPDATE programs SET tier_policy = :document, tier_policy_version = tier_policy_version + 1,"
           " settings_version = settings_version + 1 WHERE id = :id",
        soci::use(text, present), soci::use(program_id);
    int version = 0;
    sql << "SELECT tier_policy_version FROM programs WHERE id = :id", soci::into(version), soci::use(program_id);
    return version;
}

std::string tier_measure_sql(long long member_id, core::TierMeasure measure, const core::Period& window) {
    return "(" + measure_query(measure, value_of(measure), member_id, window) + ")";
}

long long tier_measure_of(const std::optional<std::string>& value) { return value ? std::stoll(*value) : 0; }

long long tier_measure(soci::session& sql, long long member_id, core::TierMeasure measure, const core::Period& window) {
    return tier_measure_of(select_value(sql, tier_measure_sql(member_id, measure, window)));
}

std::optional<core::Timestamp> oldest_tier_activity(soci::session& sql, long long member_id, core::TierMeasure measure,
                                                    const core::Period& window) {
    const std::string at = measure == core::TierMeasure::kPoints ? "t.created_at" : "p.pos_time";
    const auto oldest =
        select_value(sql, "(" +
                              measure_query(measure, ("DATE_FORMAT(MIN(" + at + "), " + kSqlTimeFormat + ")").c_str(),
                                            member_id, window) +
                              ")");
    if (!oldest) return std::nullopt;
    return from_sql_time(*oldest);
}

std::optional<MemberTier> find_member_tier(soci::session& sql, long long member_id) {
    MemberTier found;
    std::string secured, review;
    soci::indicator present = soci::i_null, reviewed = soci::i_null;
    sql << "SELECT tier, DATE_FORMAT(tier_secured_until, " << kSqlTimeFormat << "), DATE_FORMAT(tier_review_at, "
        << kSqlTimeFormat << ") FROM member_accounts WHERE member_id = :id",
        soci::into(found.tier), soci::into(secured, present), soci::into(review, reviewed), soci::use(member_id);
    if (!sql.got_data()) return std::nullopt;
    if (present == soci::i_ok) found.secured_until = from_sql_time(secured);
    if (reviewed == soci::i_ok) found.review_at = from_sql_time(review);
    return found;
}

void record_tier(soci::session& sql, const TierChange& change, core::Timestamp now) {
    const std::string secured = to_sql_time(change.secured_until);
    const std::string review = to_sql_time(change.review_at);
    const std::string at = to_sql_time(now);
    // Looked at for a warning 14 days before the period ends (migration 0052).
    const auto warn_at = core::tier_warning_at(change.secured_until, now);
    const std::string warn = warn_at ? to_sql_time(*warn_at) : std::string();
    soci::indicator warn_indicator = warn_at ? soci::i_ok : soci::i_null;
    sql << "UPDATE member_accounts SET tier = :tier, tier_secured_until = :secured, tier_review_at = :review,"
           " tier_warn_at = :warn, updated_at = :at WHERE member_id = :member",
        soci::use(change.to, "tier"), soci::use(secured, "secured"), soci::use(review, "review"),
        soci::use(warn, warn_indicator, "warn"), soci::use(at, "at"), soci::use(change.member_id, "member");
    const long long purchase = change.purchase_id.value_or(0);
    soci::indicator purchase_indicator = change.purchase_id ? soci::i_ok : soci::i_null;
    sql << "INSERT INTO tier_history (member_id, from_tier, to_tier, reason, progress, secured_until, policy_version,"
           " purchase_id, created_at) VALUES (:member, :from_tier, :to_tier, :reason, :progress, :secured,"
           " :version, :purchase, :at)",
        soci::use(change.member_id, "member"), soci::use(change.from, "from_tier"), soci::use(change.to, "to_tier"),
        soci::use(change.reason, "reason"), soci::use(change.progress, "progress"), soci::use(secured, "secured"),
        soci::use(change.policy_version, "version"), soci::use(purchase, purchase_indicator, "purchase"),
        soci::use(at, "at");
}

std::vector<TierHistoryEntry> tier_history(soci::session& sql, long long member_id) {
    std::vector<TierHistoryEntry> entries;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT from_tier, to_tier, reason, progress, DATE_FORMAT(secured_until, " << kSqlTimeFormat
                     << "), DATE_FORMAT(created_at, " << kSqlTimeFormat
                     << ") FROM tier_history WHERE member_id = :member ORDER BY id",
         soci::use(member_id));
    for (const soci::row& row : rows) {
        entries.push_back(TierHistoryEntry{row.get<std::string>(0), row.get<std::string>(1), row.get<std::string>(2),
                                           row.get<long long>(3),
                                           from_sql_time(row.get<std::string>(4)).value_or(core::Timestamp{}),
                                           from_sql_time(row.get<std::string>(5)).value_or(core::Timestamp{})});
    }
    return entries;
}

std::string tier_reached_at_sql(long long member_id) {
    const std::string member = std::to_string(member_id);
    return std::string("(SELECT DATE_FORMAT(MAX(h.created_at), ") + kSqlTimeFormat +
           ") FROM tier_history h JOIN member_accounts a ON a.member_id = h.member_id AND a.tier = h.to_tier"
           " WHERE h.member_id = " +
           member + " AND h.from_tier <> h.to_tier)";
}

std::optional<core::Timestamp> tier_reached_at_of(const std::optional<std::string>& value) {
    if (!value) return std::nullopt;
    return from_sql_time(*value);
}

void clear_tier_review(soci::session& sql, long long member_id) {
    sql << "UPDATE member_accounts SET tier_review_at = NULL, tier_warn_at = NULL WHERE member_id = :member",
        soci::use(member_id);
}

std::vector<long long> members_due_for_tier_warning(soci::session& sql, core::Timestamp now, int limit) {
    return members_due_by(sql, "tier_warn_at", now, limit);
}

std::optional<core::Timestamp> tier_warn_at(soci::session& sql, long long member_id) {
    std::string at;
    soci::indicator present = soci::i_null;
    sql << "SELECT DATE_FORMAT(tier_warn_at, " << kSqlTimeFormat << ") FROM member_accounts WHERE member_id = :member",
        soci::into(at, present), soci::use(member_id);
    if (!sql.got_data() || present != soci::i_ok) return std::nullopt;
    return from_sql_time(at);
}

void clear_tier_warning(soci::session& sql, long long member_id) {
    sql << "UPDATE member_accounts SET tier_warn_at = NULL WHERE member_id = :member", soci::use(member_id);
}

std::vector<long long> members_due_for_tier_review(soci::session& sql, core::Timestamp now, int limit) {
    return members_due_by(sql, "tier_review_at", now, limit);
}

}  // namespace patron::store
