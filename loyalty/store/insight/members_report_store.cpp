#include "loyalty/store/insight/members_report_store.h"

#include <soci/soci.h>

#include <chrono>
#include <map>
#include <string>

#include "loyalty/store/db/integer_column.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/insight/purchase_sql.h"

namespace patron::store {
namespace {

// A DATETIME(6) column as microseconds since 1970 (the column holds UTC; no session time zone).
std::string micros_of(const std::string& column) {
    return "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', " + column + ")";
}

// The span (0-based) that `column` falls in, found by the server's binary search over the bounds
// (our own numbers, never text from a request); rows outside the bounds are filtered apart.
std::string span_of(const std::string& column, const std::vector<core::Timestamp>& bounds) {
    std::string call = "INTERVAL(" + micros_of(column);
    for (const core::Timestamp bound : bounds) call += ", " + std::to_string(bound.time_since_epoch().count());
    return call + ") - 1";
}

constexpr std::size_t kBatch = 10'000;

}  // namespace

std::vector<core::MemberPurchaseFact> member_purchases_between(soci::session& sql, long long program_id,
                                                               core::Timestamp from, core::Timestamp until) {
    const std::string first = to_sql_time(from);
    const std::string last = to_sql_time(until);
    std::vector<long long> at(kBatch), member(kBatch), store(kBatch), visit(kBatch), spend(kBatch);
    soci::statement statement =
        (sql.prepare << "SELECT CAST(" << micros_of("p.received_at")
                     << " AS SIGNED), CAST(p.member_id AS SIGNED), CAST(p.store_id AS SIGNED), CAST(" << kKeptPurchase
                     << " AS SIGNED), CAST(" << kNetSpend
                     << " AS SIGNED)"
                        " FROM purchases p WHERE p.program_id = :program AND p.received_at >= :first"
                        " AND p.received_at < :last AND p.member_id IS NOT NULL",
         soci::into(at), soci::into(member), soci::into(store), soci::into(visit), soci::into(spend),
         soci::use(program_id, "program"), soci::use(first, "first"), soci::use(last, "last"));
    std::vector<core::MemberPurchaseFact> facts;
    statement.execute();
    while (statement.fetch()) {
        for (std::size_t i = 0; i < at.size(); ++i) {
            facts.push_back(
                {core::Timestamp{std::chrono::microseconds{at[i]}}, member[i], store[i], visit[i] != 0, spend[i]});
        }
        for (auto* column : {&at, &member, &store, &visit, &spend}) column->resize(kBatch);
    }
    return facts;
}

core::FirstPurchases first_purchases_between(soci::session& sql, long long program_id, core::Timestamp from,
                                             core::Timestamp until) {
    const std::string first = to_sql_time(from);
    const std::string last = to_sql_time(until);
    core::FirstPurchases found;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(a.member_id AS SIGNED), CAST(" + micros_of("a.first_purchase_at") +
                            " AS SIGNED) FROM member_accounts a JOIN members m ON m.id = a.member_id"
                            " WHERE a.first_purchase_at >= :first AND a.first_purchase_at < :last"
                            " AND m.program_id = :program",
         soci::use(first, "first"), soci::use(last, "last"), soci::use(program_id, "program"));
    for (const soci::row& row : rows) {
        found.emplace(row.get<long long>(0), core::Timestamp{std::chrono::microseconds{row.get<long long>(1)}});
    }
    return found;
}

void count_enrolments_and_tier_moves(soci::session& sql, long long program_id,
                                     const std::vector<core::Timestamp>& bounds,
                                     std::vector<core::MembersPeriodCounts>& counts) {
    if (bounds.size() < 2) return;
    const std::string first = to_sql_time(bounds.front());
    const std::string last = to_sql_time(bounds.back());
    const auto span_at = [&](long long span) -> core::MembersPeriodCounts* {
        return span >= 0 && static_cast<std::size_t>(span) < counts.size() ? &counts[static_cast<std::size_t>(span)]
                                                                           : nullptr;
    };
    // One row, a column per span: a count of the enrolment index's range, no expression worked out
    // per member.
    std::string counts_of_spans = "SELECT ";
    for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
        counts_of_spans += (i == 0 ? "" : ", ") +
                           std::string(
                               "(SELECT CAST(COUNT(*) AS SIGNED) FROM members m WHERE m.program_id = :program"
                               " AND m.created_at >= CAST('") +
                           to_sql_time(bounds[i]) + "' AS DATETIME(6)) AND m.created_at < CAST('" +
                           to_sql_time(bounds[i + 1]) + "' AS DATETIME(6)))";
    }
    soci::rowset<soci::row> enrolled = (sql.prepare << counts_of_spans, soci::use(program_id, "program"));
    for (const soci::row& row : enrolled) {
        for (std::size_t i = 0; i < row.size() && i < counts.size(); ++i) counts[i].enrolled = row.get<long long>(i);
    }
    soci::rowset<soci::row> moves =
        (sql.prepare << "SELECT CAST(" + span_of("t.created_at", bounds) +
                            " AS SIGNED) AS span, CAST(SUM(t.reason = 'upgrade') AS SIGNED),"
                            " CAST(SUM(t.reason = 'downgrade') AS SIGNED)"
                            " FROM tier_history t JOIN members m ON m.id = t.member_id"
                            " WHERE m.program_id = :program AND t.created_at >= :first AND t.created_at < :last"
                            " AND t.reason IN ('upgrade', 'downgrade') GROUP BY span",
         soci::use(program_id, "program"), soci::use(first, "first"), soci::use(last, "last"));
    for (const soci::row& row : moves) {
        if (auto* span = span_at(integer_at(row, 0))) {
            span->tier_ups = integer_at(row, 1);
            span->tier_downs = integer_at(row, 2);
        }
    }
}

namespace {

// Members by tier, with how many of them bought in the 30, 90 and 365 days before `until` (their
// last purchase not voided before it: the account's last one, unless they bought since, then found
// through the index of the member's purchases), from `accounts` (a FROM clause naming the account
// `a` and its member's id as `a.member_id`) and `condition`.
struct TierActivity {
    long long members = 0;
    long long active_30_days = 0;
    long long active_90_days = 0;
    long long active_365_days = 0;
};

std::map<std::string, TierActivity> tier_activity(soci::session& sql, const std::string& accounts,
                                                  const std::string& condition, long long program_id,
                                                  core::Timestamp end) {
    using std::chrono::days;
    const std::string until = to_sql_time(end);
    const std::string since_30 = to_sql_time(end - days{30});
    const std::string since_90 = to_sql_time(end - days{90});
    const std::string since_365 = to_sql_time(end - days{365});
    std::map<std::string, TierActivity> tiers;
    // The last purchase is worked out inline, grouped without sorting: a derived table would be
    // written out and sorted whole (0.8 s instead of 0.6 s for 1,000,000 accounts).
    const std::string last_at =
        "CASE WHEN a.last_purchase_at IS NULL OR a.last_purchase_at < :until THEN a.last_purchase_at"
        " ELSE (SELECT MAX(p.received_at) FROM purchases p WHERE p.member_id = a.member_id"
        " AND p.received_at < :until AND " +
        std::string(kKeptPurchase) + ") END";
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT a.tier, CAST(COUNT(*) AS SIGNED), CAST(COALESCE(SUM(" + last_at +
                            " >= :since_30), 0) AS SIGNED), CAST(COALESCE(SUM(" + last_at +
                            " >= :since_90), 0) AS SIGNED), CAST(COALESCE(SUM(" + last_at +
                            " >= :since_365), 0) AS SIGNED) FROM " + accounts + " WHERE " + condition +
                            " GROUP BY a.tier ORDER BY NULL",
         soci::use(since_30, "since_30"), soci::use(since_90, "since_90"), soci::use(since_365, "since_365"),
         soci::use(until, "until"), soci::use(program_id, "program"));
    for (const soci::row& row : rows) {
        tiers[row.get<std::string>(0)] = {row.get<long long>(1), row.get<long long>(2), row.get<long long>(3),
                                          row.get<long long>(4)};
    }
    return tiers;
}

}  // namespace

core::MembersSnapshotCounts count_member_snapshot(soci::session& sql, long long program_id, core::Timestamp end) {
    core::MembersSnapshotCounts snapshot;
    const std::string until = to_sql_time(end);
    // The members counted are the programme's active ones enrolled before `end`, counted from the
    // index of members by enrolment alone; the consents from the consents given.
    sql << "SELECT CAST(COUNT(*) AS SIGNED) FROM members m"
           " WHERE m.program_id = :program AND m.created_at < :until AND m.status = 'active'",
        soci::into(snapshot.members), soci::use(program_id, "program"), soci::use(until, "until");
    sql << "SELECT CAST(COALESCE(SUM(c.marketing_sms), 0) AS SIGNED), CAST(COALESCE(SUM(c.marketing_email), 0) AS "
           "SIGNED)"
           " FROM member_consents c JOIN members m ON m.id = c.member_id"
           " WHERE (c.marketing_sms OR c.marketing_email) AND m.program_id = :program AND m.created_at < :until"
           " AND m.status = 'active'",
        soci::into(snapshot.marketing_sms), soci::into(snapshot.marketing_email), soci::use(program_id, "program"),
        soci::use(until, "until");
    // Tiers and activity: every account of the programme, read alone (no join per member), less
    // those of members who are not counted (erased, merged, or enrolled since), who are few.
    auto tiers = tier_activity(sql, "member_accounts a", "a.program_id = :program", program_id, end);
    const auto left_out =
        tier_activity(sql, "members m JOIN member_accounts a ON a.member_id = m.id",
                      "m.program_id = :program AND (m.status <> 'active' OR m.created_at >= :until)", program_id, end);
    for (const auto& [tier, out] : left_out) {
        TierActivity& kept = tiers[tier];
        kept.members -= out.members;
        kept.active_30_days -= out.active_30_days;
        kept.active_90_days -= out.active_90_days;
        kept.active_365_days -= out.active_365_days;
    }
    for (const auto& [tier, counted] : tiers) {
        if (counted.members == 0) continue;
        snapshot.by_tier[tier] = counted.members;
        snapshot.active_30_days += counted.active_30_days;
        snapshot.active_90_days += counted.active_90_days;
        snapshot.active_365_days += counted.active_365_days;
    }
    return snapshot;
}

}  // namespace patron::store
