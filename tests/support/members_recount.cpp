#include "tests/support/members_recount.h"

#include <soci/soci.h>

#include <chrono>
#include <stdexcept>

#include "loyalty/service/insight/report_scope.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::testing {
namespace {

using store::to_sql_time;

struct InstantSpan {
    core::Timestamp from;
    core::Timestamp until;
};

// The spans as a derived table `s` (span, starts, ends).
std::string spans_table(const std::vector<InstantSpan>& spans) {
    std::string table = "(";
    for (std::size_t i = 0; i < spans.size(); ++i) {
        table += (i == 0 ? "SELECT " : " UNION ALL SELECT ") + std::to_string(i) + " AS span, CAST('" +
                 to_sql_time(spans[i].from) + "' AS DATETIME(6)) AS starts, CAST('" + to_sql_time(spans[i].until) +
                 "' AS DATETIME(6)) AS ends";
    }
    return table + ") s";
}

std::string within_spans(const std::string& column) {
    return " ON " + column + " >= s.starts AND " + column + " < s.ends";
}

core::MembersPeriodCounts* span_at(std::vector<core::MembersPeriodCounts>& counts, long long span) {
    return span >= 0 && static_cast<std::size_t>(span) < counts.size() ? &counts[static_cast<std::size_t>(span)]
                                                                       : nullptr;
}

void count_buyers(soci::session& sql, long long program_id, const std::vector<InstantSpan>& spans,
                  std::optional<long long> store_id, bool per_store, std::vector<core::MembersPeriodCounts>& counts) {
    const std::string first = to_sql_time(spans.front().from);
    const std::string last = to_sql_time(spans.back().until);
    const std::string of_store = store_id ? " AND p.store_id = " + std::to_string(*store_id) : "";
    const std::string store_column = per_store ? "p.store_id" : "0";
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT CAST(b.span AS SIGNED), CAST(b.store_id AS SIGNED), CAST(SUM(b.visits > 0) AS SIGNED),"
                        " CAST(SUM(b.visits > 0 AND NOT EXISTS (SELECT 1 FROM purchases e"
                        " WHERE e.member_id = b.member_id AND e.received_at < b.starts AND e.kind = 'purchase'"
                        " AND e.voided_at IS NULL)) AS SIGNED),"
                        " CAST(SUM(b.visits) AS SIGNED), CAST(SUM(b.spend) AS SIGNED)"
                        " FROM (SELECT s.span, s.starts, " +
                            store_column +
                            " AS store_id, p.member_id,"
                            " SUM(p.kind = 'purchase' AND p.voided_at IS NULL) AS visits,"
                            " SUM(IF(p.kind = 'purchase', p.total, -p.total)) AS spend"
                            " FROM purchases p JOIN " +
                            spans_table(spans) + within_spans("p.received_at") +
                            " WHERE p.program_id = :program AND p.received_at >= :first AND p.received_at < :last"
                            " AND p.member_id IS NOT NULL" +
                            of_store +
                            " GROUP BY s.span, s.starts, store_id, p.member_id) b"
                            " GROUP BY b.span, b.store_id",
         soci::use(program_id, "program"), soci::use(first, "first"), soci::use(last, "last"));
    for (const soci::row& row : rows) {
        auto* span = span_at(counts, row.get<long long>(0));
        if (span == nullptr) continue;
        const core::BuyerCounts buyers{row.get<long long>(2), row.get<long long>(3), row.get<long long>(4),
                                       row.get<long long>(5)};
        if (per_store) {
            span->stores[row.get<long long>(1)] = buyers;
        } else {
            span->buyers = buyers;
        }
    }
}

void count_enrolments_and_tier_moves(soci::session& sql, long long program_id, const std::vector<InstantSpan>& spans,
                                     std::vector<core::MembersPeriodCounts>& counts) {
    const std::string first = to_sql_time(spans.front().from);
    const std::string last = to_sql_time(spans.back().until);
    soci::rowset<soci::row> enrolled =
        (sql.prepare << "SELECT CAST(s.span AS SIGNED), CAST(COUNT(*) AS SIGNED) FROM members m JOIN " +
                            spans_table(spans) + within_spans("m.created_at") +
                            " WHERE m.program_id = :program AND m.created_at >= :first AND m.created_at < :last"
                            " GROUP BY s.span",
         soci::use(program_id, "program"), soci::use(first, "first"), soci::use(last, "last"));
    for (const soci::row& row : enrolled) {
        if (auto* span = span_at(counts, row.get<long long>(0))) span->enrolled = row.get<long long>(1);
    }
    soci::rowset<soci::row> moves =
        (sql.prepare << "SELECT CAST(s.span AS SIGNED), CAST(SUM(t.reason = 'upgrade') AS SIGNED),"
                        " CAST(SUM(t.reason = 'downgrade') AS SIGNED)"
                        " FROM tier_history t JOIN members m ON m.id = t.member_id JOIN " +
                            spans_table(spans) + within_spans("t.created_at") +
                            " WHERE m.program_id = :program AND t.created_at >= :first AND t.created_at < :last"
                            " AND t.reason IN ('upgrade', 'downgrade') GROUP BY s.span",
         soci::use(program_id, "program"), soci::use(first, "first"), soci::use(last, "last"));
    for (const soci::row& row : moves) {
        if (auto* span = span_at(counts, row.get<long long>(0))) {
            span->tier_ups = row.get<long long>(1);
            span->tier_downs = row.get<long long>(2);
        }
    }
}

core::MembersSnapshotCounts count_member_snapshot(soci::session& sql, long long program_id, core::Timestamp end) {
    using std::chrono::days;
    core::MembersSnapshotCounts snapshot;
    const std::string until = to_sql_time(end);
    sql << "SELECT CAST(COUNT(*) AS SIGNED), CAST(COALESCE(SUM(c.marketing_sms), 0) AS SIGNED),"
           " CAST(COALESCE(SUM(c.marketing_email), 0) AS SIGNED) FROM members m"
           " LEFT JOIN member_consents c ON c.member_id = m.id"
           " WHERE m.program_id = :program AND m.status = 'active' AND m.created_at < :until",
        soci::into(snapshot.members), soci::into(snapshot.marketing_sms), soci::into(snapshot.marketing_email),
        soci::use(program_id, "program"), soci::use(until, "until");
    soci::rowset<soci::row> tiers =
        (sql.prepare << "SELECT a.tier, CAST(COUNT(*) AS SIGNED) FROM members m"
                        " JOIN member_accounts a ON a.member_id = m.id"
                        " WHERE m.program_id = :program AND m.status = 'active' AND m.created_at < :until"
                        " GROUP BY a.tier",
         soci::use(program_id, "program"), soci::use(until, "until"));
    for (const soci::row& row : tiers) snapshot.by_tier[row.get<std::string>(0)] = row.get<long long>(1);
    const std::string since_30 = to_sql_time(end - days{30});
    const std::string since_90 = to_sql_time(end - days{90});
    const std::string since_365 = to_sql_time(end - days{365});
    sql << "SELECT CAST(COALESCE(SUM(a.last_at >= :since_30), 0) AS SIGNED),"
           " CAST(COALESCE(SUM(a.last_at >= :since_90), 0) AS SIGNED),"
           " CAST(COALESCE(SUM(a.last_at >= :since_365), 0) AS SIGNED)"
           " FROM (SELECT (SELECT e.received_at FROM purchases e WHERE e.member_id = m.id AND e.received_at < :until"
           " AND e.kind = 'purchase' AND e.voided_at IS NULL ORDER BY e.received_at DESC LIMIT 1) AS last_at"
           " FROM members m WHERE m.program_id = :program AND m.status = 'active' AND m.created_at < :enrolled) a",
        soci::into(snapshot.active_30_days), soci::into(snapshot.active_90_days), soci::into(snapshot.active_365_days),
        soci::use(since_30, "since_30"), soci::use(since_90, "since_90"), soci::use(since_365, "since_365"),
        soci::use(until, "until"), soci::use(program_id, "program"), soci::use(until, "enrolled");
    return snapshot;
}

std::vector<core::MembersPeriodCounts> count_spans(soci::session& sql, long long program_id,
                                                   const std::vector<InstantSpan>& spans,
                                                   const service::ReportScope& scope) {
    std::vector<core::MembersPeriodCounts> counts(spans.size());
    count_enrolments_and_tier_moves(sql, program_id, spans, counts);
    count_buyers(sql, program_id, spans, std::nullopt, false, counts);
    if (scope.query.per_store()) count_buyers(sql, program_id, spans, scope.store_id, true, counts);
    return counts;
}

std::vector<InstantSpan> spans_of(const std::vector<core::ReportPeriod>& periods, const core::TimeZone& zone) {
    std::vector<InstantSpan> spans;
    for (const core::ReportPeriod& period : periods) {
        spans.push_back({zone.day_start(period.first), core::day_end(zone, period.last)});
    }
    return spans;
}

}  // namespace

core::MembersReport recount_members_report(soci::session& sql, long long program_id, const core::ReportRequest& request,
                                           core::Timestamp now) {
    const auto scope = service::settle_report_scope(sql, program_id, request, now);
    if (!scope) throw std::runtime_error(scope.error().message);
    core::MembersReportInputs inputs;
    inputs.query = scope->query;
    inputs.time_zone = scope->zone->name();
    inputs.currency = scope->currency;
    inputs.store_codes = scope->store_codes;
    inputs.store_id = scope->store_id;
    const auto periods = core::report_periods(scope->query.from, scope->query.to, scope->query.by);
    inputs.periods = count_spans(sql, program_id, spans_of(periods, *scope->zone), *scope);
    const auto whole = core::report_periods(scope->query.from, scope->query.to, core::PeriodSize::kTotal);
    inputs.total = count_spans(sql, program_id, spans_of(whole, *scope->zone), *scope).front();
    inputs.snapshot = count_member_snapshot(sql, program_id, scope->ends());
    return core::build_members_report(inputs);
}

}  // namespace patron::testing
