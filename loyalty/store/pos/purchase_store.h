// Committed purchases: their receipt key (unique), lines, and the answer the POS was given,
// kept so that a replay of the same receipt gets the same answer back.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"
#include "loyalty/core/answer_kind.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/returns.h"
#include "loyalty/core/time.h"
#include "loyalty/store/ledger/point_store.h"
#include "loyalty/store/members/member_store.h"

namespace soci {
class session;
}

namespace patron::store {

struct PurchaseRecord {
    long long program_id = 0;
    long long store_id = 0;
    std::optional<long long> member_id;
    std::optional<std::string> card_number;
    int rule_set_version = 0;
    long long points_earned = 0;
    crypto::Bytes request_sha256;
    std::string kind = "purchase";  // Or "return", "void": operations on an earlier purchase.
    std::optional<long long> original_id;
    long long points_redeemed = 0;  // For a return or void: negative, the points given back.
    long long redeemed_value = 0;
    std::optional<std::string> idempotency_key;  // The POS's Idempotency-Key header, if it sent one.
};

// An answer kept for replays. Its table holds the kind as the HTTP status it was first given (201
// created, 200 answered), as it always has: purchase_store.cpp alone converts, both ways.
struct StoredAnswer {
    long long purchase_id = 0;
    crypto::Bytes request_sha256;
    std::optional<core::AnswerKind> kind;  // None until the operation's own transaction stores its answer.
    std::string body;
};

std::optional<StoredAnswer> find_answer_by_receipt(soci::session& sql, long long store_id, const core::ReceiptKey& key);
// The operation a terminal sent under this Idempotency-Key.
std::optional<StoredAnswer> find_answer_by_idempotency_key(soci::session& sql, long long store_id,
                                                           const std::string& terminal, const std::string& key);

// The new purchase's id, or nullopt when its receipt key was already taken (by a racing commit).
std::optional<long long> insert_purchase(soci::session& sql, const core::Purchase& purchase,
                                         const PurchaseRecord& record, core::Timestamp received_at);

// A purchase and the points it credits (point_store.h), written together: in one round trip where
// the unit allows it (write_batch.h, run_each).
struct PurchaseWritten {
    long long purchase_id = 0;
    std::vector<CreditIds> credits;  // In the order of the credits given.
};
// insert_purchase, with the credits' transfers (made at `now`) and lots behind it, each taking the
// new purchase's id through LAST_INSERT_ID(); nullopt, and nothing written, when the receipt key
// was taken.
std::optional<PurchaseWritten> insert_purchase_with_credits(soci::session& sql, const core::Purchase& purchase,
                                                            const PurchaseRecord& record, core::Timestamp received_at,
                                                            std::span<const NewCredit> credits, core::Timestamp now);

// A purchase line keeps the points it earned, by lot, in purchase_lines.points: a JSON array of
// {"lot", "points"} in the lots' order (NULL: none). Joined to purchase_lines `l`, this gives a row
// `lp` (lot_id, points) for each.
inline constexpr std::string_view kLinePointsOfLines =
    " CROSS JOIN JSON_TABLE(l.points, '$[*]' COLUMNS (lot_id BIGINT PATH '$.lot', points BIGINT PATH '$.points')) lp";
// The points the lines of the purchases `purchases` names earned, by lot, as a SELECT of rows
// (purchase_id, line, lot_id, points); `purchases` is a condition on a purchase id ("= 7", "IN
// (...)"), used twice. The lines' own, and for a line without them the rows of the table
// line_points, which a patrond older than migration 0063 still writes while an upgrade runs.
std::string line_points_rows_sql(const std::string& purchases);
// Writes `shares` onto lines stored without them (a claimed purchase's), through write().
void set_line_points(soci::session& sql, long long purchase_id, std::span<const core::LotShare> shares);

// The lines, written through write(): with the unit's COMMIT when it deferred its writes. `shares`
// are the points each line earned, by lot (a member's sale), kept on the lines they name.
void insert_purchase_lines(soci::session& sql, long long purchase_id, const std::vector<core::PurchaseLine>& lines,
                           std::span<const core::LotShare> shares = {});
// The answer and, when the purchase moved its member's points, that move on the member's account
// (adjust_points_for_purchase), in one statement: the two rows a till's commit ends with, both
// locked by then. Written through write().
void store_answer(soci::session& sql, long long purchase_id, core::AnswerKind kind, const std::string& body,
                  const std::optional<PurchaseBalanceMove>& move, core::Timestamp now);

// Forgets the Idempotency-Keys of operations received before `before`, at most `limit`; how many.
long long forget_idempotency_keys(soci::session& sql, core::Timestamp before, int limit);

// A batch's answer kept under its Idempotency-Key (purchase_id unused).
std::optional<StoredAnswer> find_batch_answer(soci::session& sql, long long store_id, const std::string& terminal,
                                              const std::string& key);
// Keeps it; false when another request under the key got there first.
bool insert_batch_answer(soci::session& sql, long long store_id, const std::string& terminal, const std::string& key,
                         const crypto::Bytes& request_sha256, core::AnswerKind kind, const std::string& body,
                         core::Timestamp now);
long long forget_batch_answers(soci::session& sql, core::Timestamp before, int limit);

}  // namespace patron::store
