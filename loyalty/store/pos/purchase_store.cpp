#include "loyalty/store/pos/purchase_store.h"

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "loyalty/core/member_profile.h"
#include "loyalty/store/db/sql_text.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/db/write_batch.h"

namespace patron::store {
namespace {

constexpr unsigned kDuplicateKey = 1062;

// The status columns of purchases (response_status) and batch_answers (status) keep an answer's
// kind as the HTTP status it was given when they were made, so rows written before kinds existed
// read the same. 0 is a purchase row whose answer its transaction has not stored yet.
constexpr int kCreatedStatus = 201;
constexpr int kAnsweredStatus = 200;

int status_column(core::AnswerKind kind) {
    switch (kind) {
        case core::AnswerKind::kCreated:
            return kCreatedStatus;
        case core::AnswerKind::kAnswered:
            return kAnsweredStatus;
    }
    return kCreatedStatus;
}

std::optional<core::AnswerKind> answer_kind(int status_column) {
    if (status_column == kCreatedStatus) return core::AnswerKind::kCreated;
    if (status_column == kAnsweredStatus) return core::AnswerKind::kAnswered;
    return std::nullopt;
}

// The points column of each line `shares` name, by line: a JSON array of {"lot", "points"} in the
// lots' order.
std::map<int, std::string> line_points_columns(std::span<const core::LotShare> shares) {
    std::vector<core::LotShare> ordered(shares.begin(), shares.end());
    std::ranges::stable_sort(ordered, {}, &core::LotShare::lot_id);
    std::map<int, nlohmann::json> by_line;
    for (const core::LotShare& share : ordered) {
        auto [entry, added] = by_line.try_emplace(share.line, nlohmann::json::array());
        entry->second.push_back({{"lot", share.lot_id}, {"points", share.points}});
    }
    std::map<int, std::string> columns;
    for (const auto& [line, points] : by_line) columns.emplace(line, points.dump());
    return columns;
}

}  // namespace

std::optional<StoredAnswer> find_answer_by_receipt(soci::session& sql, long long store_id,
                                                   const core::ReceiptKey& key) {
    StoredAnswer answer;
    std::string hash;
    int status = 0;
    const std::string day = core::format_date(key.business_day);
    sql << "SELECT id, HEX(request_sha256), response_status, response_body FROM purchases"
           " WHERE store_id = :store AND terminal = :terminal AND business_day = :day AND receipt = :receipt",
        soci::into(answer.purchase_id), soci::into(hash), soci::into(status), soci::into(answer.body),
        soci::use(store_id), soci::use(key.terminal), soci::use(day), soci::use(key.receipt);
    if (!sql.got_data()) return std::nullopt;
    answer.kind = answer_kind(status);
    answer.request_sha256 = crypto::from_hex(hash).value_or(crypto::Bytes{});
    return answer;
}

std::optional<StoredAnswer> find_answer_by_idempotency_key(soci::session& sql, long long store_id,
                                                           const std::string& terminal, const std::string& key) {
    StoredAnswer answer;
    std::string hash;
    int status = 0;
    sql << "SELECT id, HEX(request_sha256), response_status, response_body FROM purchases"
           " WHERE store_id = :store AND terminal = :terminal AND idempotency_key = :key",
        soci::into(answer.purchase_id), soci::into(hash), soci::into(status), soci::into(answer.body),
        soci::use(store_id), soci::use(terminal), soci::use(key);
    if (!sql.got_data()) return std::nullopt;
    answer.kind = answer_kind(status);
    answer.request_sha256 = crypto::from_hex(hash).value_or(crypto::Bytes{});
    return answer;
}

std::optional<PurchaseWritten> insert_purchase_with_credits(soci::session& sql, const core::Purchase& purchase,
                                                            const PurchaseRecord& record, core::Timestamp received_at,
                                                            std::span<const NewCredit> credits, core::Timestamp now) {
    const auto text = [&](std::string_view value) { return sql_text(sql, value); };
    // Texts escaped by the client library, the rest integers of our own (write_batch.h).
    std::vector<std::string> statements{
        "INSERT INTO purchases (program_id, store_id, terminal, business_day, receipt, member_id, card_number,"
        " currency, total, pos_time, pos_offset_minutes, received_at, rule_set_version, points_earned,"
        " request_sha256, response_status, response_body, kind, original_id, points_redeemed, redeemed_value,"
        " idempotency_key) VALUES (" +
        std::to_string(record.program_id) + ", " + std::to_string(record.store_id) + ", " +
        text(purchase.key.terminal) + ", " + text(core::format_date(purchase.key.business_day)) + ", " +
        text(purchase.key.receipt) + ", " + sql_number_or_null(record.member_id) + ", " +
        sql_text_or_null(sql, record.card_number) + ", " + text(purchase.currency.code) + ", " +
        std::to_string(purchase.total) + ", " + text(to_sql_time(purchase.pos_time.utc)) + ", " +
        std::to_string(purchase.pos_time.offset_minutes) + ", " + text(to_sql_time(received_at)) + ", " +
        std::to_string(record.rule_set_version) + ", " + std::to_string(record.points_earned) + ", UNHEX(" +
        text(crypto::to_hex(record.request_sha256)) + "), 0, '', " + text(record.kind) + ", " +
        sql_number_or_null(record.original_id) + ", " + std::to_string(record.points_redeemed) + ", " +
        std::to_string(record.redeemed_value) + ", " + sql_text_or_null(sql, record.idempotency_key) + ")"};
    std::ranges::move(credit_statements_after_purchase(sql, record.program_id, credits, now),
                      std::back_inserter(statements));
    std::vector<StatementOutcome> outcomes;
    try {
        outcomes = run_each(sql, statements);
    } catch (const StatementError& error) {
        // The purchase's keys of the client's: its receipt, or its Idempotency-Key.
        if (error.err_num_ == kDuplicateKey && error.index == 0) return std::nullopt;
        throw;
    }
    PurchaseWritten written{static_cast<long long>(outcomes.front().insert_id), {}};
    written.credits = credits_written(sql, credits, std::span(outcomes).subspan(1));
    return written;
}

std::optional<long long> insert_purchase(soci::session& sql, const core::Purchase& purchase,
                                         const PurchaseRecord& record, core::Timestamp received_at) {
    const auto written = insert_purchase_with_credits(sql, purchase, record, received_at, {}, received_at);
    if (!written) return std::nullopt;
    return written->purchase_id;
}

std::string line_points_rows_sql(const std::string& purchases) {
    return "SELECT CAST(l.purchase_id AS SIGNED) AS purchase_id, l.line, lp.lot_id, lp.points FROM purchase_lines l" +
           std::string(kLinePointsOfLines) + " WHERE l.purchase_id " + purchases +
           " UNION ALL SELECT CAST(o.purchase_id AS SIGNED), o.line, CAST(o.lot_id AS SIGNED), o.points"
           " FROM line_points o JOIN purchase_lines l ON l.purchase_id = o.purchase_id AND l.line = o.line"
           " WHERE l.points IS NULL AND o.purchase_id " +
           purchases;
}

void set_line_points(soci::session& sql, long long purchase_id, std::span<const core::LotShare> shares) {
    const std::map<int, std::string> columns = line_points_columns(shares);
    if (columns.empty()) return;
    std::string cases, lines;
    for (const auto& [line, points] : columns) {
        cases += " WHEN " + std::to_string(line) + " THEN " + sql_text(sql, points);
        lines += (lines.empty() ? "" : ", ") + std::to_string(line);
    }
    write(sql, "UPDATE purchase_lines SET points = CASE line" + cases +
                   " END WHERE purchase_id = " + std::to_string(purchase_id) + " AND line IN (" + lines + ")");
}

void insert_purchase_lines(soci::session& sql, long long purchase_id, const std::vector<core::PurchaseLine>& lines,
                           std::span<const core::LotShare> shares) {
    if (lines.empty()) return;
    const std::map<int, std::string> points = line_points_columns(shares);
    // One multi-row INSERT (SOCI's use(vector) would send one statement per line), its values
    // written as literals: integers, and SKUs, categories and the points' JSON escaped by the
    // client library.
    std::string query =
        "INSERT INTO purchase_lines (purchase_id, line, sku, category, quantity_milli, unit_price, amount,"
        " discount, cost, points) VALUES ";
    const std::string purchase = std::to_string(purchase_id);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const core::PurchaseLine& line = lines[i];
        const auto earned = points.find(line.line);
        query += (i == 0 ? "(" : ", (") + purchase + ", " + std::to_string(line.line) + ", " + sql_text(sql, line.sku) +
                 ", " + sql_text(sql, line.category) + ", " + std::to_string(line.quantity_milli) + ", " +
                 std::to_string(line.unit_price) + ", " + std::to_string(line.amount) + ", " +
                 std::to_string(line.discount) + ", " + sql_number_or_null(line.cost) + ", " +
                 (earned == points.end() ? std::string("NULL") : sql_text(sql, earned->second)) + ")";
    }
    write(sql, std::move(query));
}

void store_answer(soci::session& sql, long long purchase_id, core::AnswerKind kind, const std::string& body,
                  const std::optional<PurchaseBalanceMove>& move, core::Timestamp now) {
    const auto answer = [&](const std::string& row) {
        return row + "response_status = " + std::to_string(status_column(kind)) + ", " + row +
               "response_body = " + sql_text(sql, body);
    };
    if (!move) {
        write(sql, "UPDATE purchases SET " + answer("") + " WHERE id = " + std::to_string(purchase_id));
        return;
    }
    // Both rows are this transaction's, locked since its start (its own purchase, and the account
    // the till's first read locked). Affected rows are not checked: a move of nothing at the
    // instant of the account's last update changes no value of its row, and MariaDB counts changes.
    write(sql, "UPDATE purchases p, member_accounts a SET " + answer("p.") + ", " +
                   purchase_move_assignments(sql, "a", *move, now) + " WHERE p.id = " + std::to_string(purchase_id) +
                   " AND a.member_id = " + std::to_string(move->member_id));
}

long long forget_idempotency_keys(soci::session& sql, core::Timestamp before, int limit) {
    const std::string at = to_sql_time(before);
    soci::statement forget =
        (sql.prepare << "UPDATE purchases SET idempotency_key = NULL"
                        " WHERE received_at < :before AND idempotency_key IS NOT NULL LIMIT :limit",
         soci::use(at), soci::use(limit));
    forget.execute(true);
    return forget.get_affected_rows();
}

std::optional<StoredAnswer> find_batch_answer(soci::session& sql, long long store_id, const std::string& terminal,
                                              const std::string& key) {
    StoredAnswer answer;
    std::string hash;
    int status = 0;
    sql << "SELECT HEX(request_sha256), status, body FROM batch_answers"
           " WHERE store_id = :store AND terminal = :terminal AND idempotency_key = :key",
        soci::into(hash), soci::into(status), soci::into(answer.body), soci::use(store_id), soci::use(terminal),
        soci::use(key);
    if (!sql.got_data()) return std::nullopt;
    answer.kind = answer_kind(status);
    answer.request_sha256 = crypto::from_hex(hash).value_or(crypto::Bytes{});
    return answer;
}

bool insert_batch_answer(soci::session& sql, long long store_id, const std::string& terminal, const std::string& key,
                         const crypto::Bytes& request_sha256, core::AnswerKind kind, const std::string& body,
                         core::Timestamp now) {
    const std::string hash = crypto::to_hex(request_sha256);
    const std::string created = to_sql_time(now);
    const int status = status_column(kind);
    soci::statement insert =
        (sql.prepare << "INSERT IGNORE INTO batch_answers (store_id, terminal, idempotency_key, request_sha256, status,"
                        " body, created_at) VALUES (:store, :terminal, :key, UNHEX(:hash), :status, :body, :created)",
         soci::use(store_id), soci::use(terminal), soci::use(key), soci::use(hash), soci::use(status), soci::use(body),
         soci::use(created));
    insert.execute(true);
    return insert.get_affected_rows() > 0;
}

long long forget_batch_answers(soci::session& sql, core::Timestamp before, int limit) {
    const std::string at = to_sql_time(before);
    soci::statement forget = (sql.prepare << "DELETE FROM batch_answers WHERE created_at < :before LIMIT :limit",
                              soci::use(at), soci::use(limit));
    forget.execute(true);
    return forget.get_affected_rows();
}

}  // namespace patron::store
