#include "loyalty/store/insight/feedback_store.h"

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <sstream>

#include "loyalty/core/member_profile.h"
#include "loyalty/store/db/integer_column.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/insight/insight_rows.h"

namespace patron::store {
namespace {

constexpr unsigned kDuplicateKey = 1062;

// The subject's columns, as read_subject() reads them; `p` is purchases, `s` stores.
constexpr const char* kSubjectColumns =
    "CAST(p.id AS SIGNED), CAST(p.program_id AS SIGNED), CAST(p.store_id AS SIGNED), s.code, s.name,"
    " CAST(IFNULL(p.member_id, 0) AS SIGNED), DATE_FORMAT(p.business_day, '%Y-%m-%d'),"
    " DATE_FORMAT(p.received_at, '%Y-%m-%d %H:%i:%s.%f'), p.total, p.currency,"
    " CAST(EXISTS(SELECT 1 FROM purchase_feedback f WHERE f.purchase_id = p.id) AS SIGNED)";

FeedbackSubject read_subject(const soci::row& row) {
    FeedbackSubject subject;
    subject.purchase_id = integer_at(row, 0);
    subject.program_id = integer_at(row, 1);
    subject.store_id = integer_at(row, 2);
    subject.store_code = row.get<std::string>(3);
    subject.store_name = row.get<std::string>(4);
    if (const long long member = integer_at(row, 5); member != 0) subject.member_id = member;
    subject.business_day = core::parse_date(row.get<std::string>(6)).value_or(core::LocalDate{});
    subject.received_at = from_sql_time(row.get<std::string>(7)).value_or(core::Timestamp{});
    subject.total = integer_at(row, 8);
    subject.currency = row.get<std::string>(9);
    subject.answered = integer_at(row, 10) != 0;
    return subject;
}

std::optional<int> score_of(const soci::row& row, std::size_t column) {
    if (row.get_indicator(column) == soci::i_null) return std::nullopt;
    return static_cast<int>(integer_at(row, column));
}

std::string text_or_empty(const soci::row& row, std::size_t column) {
    return row.get_indicator(column) == soci::i_null ? std::string() : row.get<std::string>(column);
}

// An answer's columns, as read_answer() reads them; `f` is purchase_feedback, `s` stores.
constexpr const char* kAnswerColumns =
    "CAST(f.purchase_id AS SIGNED), s.code, DATE_FORMAT(f.visit_day, '%Y-%m-%d'),"
    " DATE_FORMAT(f.answered_at, '%Y-%m-%d %H:%i:%s.%f'), CAST(f.nps AS SIGNED), CAST(f.csat AS SIGNED),"
    " CAST(f.ces AS SIGNED), HEX(f.comment_sealed), f.master_key_id, HEX(f.data_key_sealed)";

SealedComment read_answer(const soci::row& row) {
    SealedComment answer;
    answer.entry.purchase_id = integer_at(row, 0);
    answer.entry.store_code = row.get<std::string>(1);
    answer.entry.visit_day = core::parse_date(row.get<std::string>(2)).value_or(core::LocalDate{});
    answer.entry.answered_at = from_sql_time(row.get<std::string>(3)).value_or(core::Timestamp{});
    answer.entry.nps = score_of(row, 4);
    answer.entry.csat = score_of(row, 5);
    answer.entry.ces = score_of(row, 6);
    answer.comment_sealed = bytes_at(row, 7);
    answer.master_key_id = text_or_empty(row, 8);
    answer.data_key_sealed = bytes_at(row, 9);
    return answer;
}

}  // namespace

std::optional<FeedbackSubject> find_feedback_subject(soci::session& sql, long long purchase_id) {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kSubjectColumns
                     << " FROM purchases p JOIN stores s ON s.id = p.store_id WHERE p.id = :id AND p.kind = 'purchase'",
         soci::use(purchase_id));
    for (const soci::row& row : rows) return read_subject(row);
    return std::nullopt;
}

bool insert_feedback(soci::session& sql, const FeedbackRow& row, core::Timestamp now) {
    const std::string day = core::format_date(row.visit_day);
    const std::string at = to_sql_time(now);
    const int nps = row.nps.value_or(0);
    const int csat = row.csat.value_or(0);
    const int ces = row.ces.value_or(0);
    soci::indicator nps_null = row.nps ? soci::i_ok : soci::i_null;
    soci::indicator csat_null = row.csat ? soci::i_ok : soci::i_null;
    soci::indicator ces_null = row.ces ? soci::i_ok : soci::i_null;
    const bool has_comment = !row.comment_sealed.empty();
    const std::string comment = crypto::to_hex(row.comment_sealed);
    const std::string key = crypto::to_hex(row.data_key_sealed);
    soci::indicator comment_null = has_comment ? soci::i_ok : soci::i_null;
    soci::indicator master_null = has_comment ? soci::i_ok : soci::i_null;
    try {
        sql << "INSERT INTO purchase_feedback (purchase_id, program_id, store_id, visit_day, channel, nps, csat, ces,"
               " comment_sealed, data_key_sealed, master_key_id, answered_at) VALUES (:purchase, :program, :store,"
               " :day, :channel, :nps, :csat, :ces, UNHEX(:comment), UNHEX(:data_key), :master, :at)",
            soci::use(row.purchase_id), soci::use(row.program_id), soci::use(row.store_id), soci::use(day),
            soci::use(row.channel), soci::use(nps, nps_null), soci::use(csat, csat_null), soci::use(ces, ces_null),
            soci::use(comment, comment_null), soci::use(key, comment_null), soci::use(row.master_key_id, master_null),
            soci::use(at);
    } catch (const soci::mysql_soci_error& error) {
        if (error.err_num_ == kDuplicateKey) return false;
        throw;
    }
    return true;
}

std::vector<FeedbackSubject> purchases_awaiting_feedback(soci::session& sql, long long member_id, core::Timestamp since,
                                                         int limit) {
    const std::string from = to_sql_time(since);
    std::vector<FeedbackSubject> subjects;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kSubjectColumns
                     << " FROM purchases p JOIN stores s ON s.id = p.store_id"
                        " WHERE p.member_id = :member AND p.received_at >= :since AND p.kind = 'purchase'"
                        " AND NOT EXISTS (SELECT 1 FROM purchase_feedback f WHERE f.purchase_id = p.id)"
                        " ORDER BY p.received_at DESC, p.id DESC LIMIT "
                     << limit,
         soci::use(member_id), soci::use(from));
    for (const soci::row& row : rows) subjects.push_back(read_subject(row));
    return subjects;
}

std::vector<core::FeedbackDayTally> feedback_day_tallies(soci::session& sql, long long program_id, core::LocalDate from,
                                                         core::LocalDate to, const FeedbackMembers& members) {
    const std::string first = core::format_date(from);
    const std::string last = core::format_date(to);
    // The answer's member is the purchase's; the segment joins only when asked for. The segment is
    // a number and the RFM segment a code of the core's table, so both are written inline.
    std::string joins;
    if (members.segment_id || members.rfm_segment || members.by_rfm_segment) {
        joins += " JOIN purchases p ON p.id = f.purchase_id";
    }
    if (members.segment_id) {
        joins += " JOIN member_segments ms ON ms.member_id = p.member_id AND ms.segment_id = " +
                 std::to_string(*members.segment_id);
    }
    if (members.rfm_segment) {
        joins += " JOIN member_scores sc ON sc.member_id = p.member_id AND sc.rfm_segment = '" +
                 std::string(core::segment_code(*members.rfm_segment)) + "'";
    } else if (members.by_rfm_segment) {
        joins += " LEFT JOIN member_scores sc ON sc.member_id = p.member_id";
    }
    std::ostringstream query;
    query << "SELECT s.code, DATE_FORMAT(f.visit_day, '%Y-%m-%d'), CAST(COUNT(*) AS SIGNED),"
             " CAST(COUNT(f.nps) AS SIGNED), CAST(IFNULL(SUM(f.nps >= 9), 0) AS SIGNED),"
             " CAST(IFNULL(SUM(f.nps <= 6), 0) AS SIGNED), CAST(COUNT(f.csat) AS SIGNED),"
             " CAST(IFNULL(SUM(f.csat >= 4), 0) AS SIGNED), CAST(IFNULL(SUM(f.csat), 0) AS SIGNED),"
             " CAST(COUNT(f.ces) AS SIGNED), CAST(IFNULL(SUM(f.ces), 0) AS SIGNED), "
          << (members.by_rfm_segment ? "COALESCE(sc.rfm_segment, 'none')" : "''")
          << " FROM purchase_feedback f JOIN stores s ON s.id = f.store_id" << joins
          << " WHERE f.program_id = :program AND f.visit_day BETWEEN :first AND :last"
             " GROUP BY f.store_id, f.visit_day"
          << (members.by_rfm_segment ? ", 12" : "");
    soci::rowset<soci::row> rows =
        (sql.prepare << query.str(), soci::use(program_id), soci::use(first), soci::use(last));
    std::vector<core::FeedbackDayTally> days;
    for (const soci::row& row : rows) {
        core::FeedbackDayTally day;
        day.store = row.get<std::string>(0);
        day.day = core::parse_date(row.get<std::string>(1)).value_or(core::LocalDate{});
        day.tally = {integer_at(row, 2), integer_at(row, 3), integer_at(row, 4), integer_at(row, 5), integer_at(row, 6),
                     integer_at(row, 7), integer_at(row, 8), integer_at(row, 9), integer_at(row, 10)};
        day.segment = row.get<std::string>(11);
        days.push_back(std::move(day));
    }
    return days;
}

std::vector<SealedComment> feedback_comments(soci::session& sql, long long program_id, core::LocalDate from,
                                             core::LocalDate to, const std::optional<long long>& store_id,
                                             long long before_purchase_id, int limit) {
    const std::string first = core::format_date(from);
    const std::string last = core::format_date(to);
    const long long store = store_id.value_or(0);
    std::vector<SealedComment> comments;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kAnswerColumns
                     << " FROM purchase_feedback f JOIN stores s ON s.id = f.store_id"
                        " WHERE f.program_id = :program AND f.visit_day BETWEEN :first AND :last"
                        " AND (:any_store = 0 OR f.store_id = :store) AND f.comment_sealed IS NOT NULL"
                        " AND (:no_cursor = 0 OR f.purchase_id < :before)"
                        " ORDER BY f.purchase_id DESC LIMIT "
                     << limit,
         soci::use(program_id), soci::use(first), soci::use(last), soci::use(store), soci::use(store),
         soci::use(before_purchase_id), soci::use(before_purchase_id));
    for (const soci::row& row : rows) comments.push_back(read_answer(row));
    return comments;
}

std::vector<SealedComment> member_feedback(soci::session& sql, long long member_id) {
    std::vector<SealedComment> answers;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " << kAnswerColumns
                     << " FROM purchase_feedback f JOIN purchases p ON p.id = f.purchase_id"
                        " JOIN stores s ON s.id = f.store_id WHERE p.member_id = :member ORDER BY f.purchase_id",
         soci::use(member_id));
    for (const soci::row& row : rows) answers.push_back(read_answer(row));
    return answers;
}

long long erase_member_feedback_comments(soci::session& sql, long long member_id) {
    soci::statement erase =
        (sql.prepare << "UPDATE purchase_feedback f JOIN purchases p ON p.id = f.purchase_id"
                        " SET f.comment_sealed = NULL, f.data_key_sealed = NULL, f.master_key_id = NULL"
                        " WHERE p.member_id = :member AND f.comment_sealed IS NOT NULL",
         soci::use(member_id));
    erase.execute(true);
    return static_cast<long long>(erase.get_affected_rows());
}

}  // namespace patron::store
