#include "loyalty/store/access/key_wrap_store.h"

#include <soci/soci.h>

namespace patron::store {
namespace {

struct WrappedTable {
    const char* table;
    const char* key_column;  // Ordered as text for members too: pages only need a stable order.
    const char* sealed_column;
};

WrappedTable table_of(WrappedKind kind) {
    switch (kind) {
        case WrappedKind::kMemberDataKey:
            return {"members", "id", "data_key_sealed"};
        case WrappedKind::kTerminalSecret:
            return {"terminal_keys", "key_id", "secret_sealed"};
        case WrappedKind::kFeedbackDataKey:
            return {"purchase_feedback", "purchase_id", "data_key_sealed"};
        case WrappedKind::kWriteAnswerKey:
            return {"write_answers", "id", "data_key_sealed"};
        case WrappedKind::kWebhookSecret:
            return {"webhook_subscriptions", "id", "secret_sealed"};
        case WrappedKind::kDrawSeed:
            return {"draws", "id", "seed_sealed"};
    }
    return {"members", "id", "data_key_sealed"};
}

}  // namespace

std::vector<WrappedRow> rows_not_wrapped_by(soci::session& sql, WrappedKind kind, const std::string& master_key_id,
                                            const std::string& after_key, int limit) {
    const WrappedTable table = table_of(kind);
    const bool numeric = kind != WrappedKind::kTerminalSecret;
    const std::string key = std::string("CAST(") + table.key_column + (numeric ? " AS SIGNED)" : " AS CHAR)");
    const std::string after = numeric && after_key.empty() ? "0" : after_key;
    std::vector<WrappedRow> rows;
    soci::rowset<soci::row> found =
        (sql.prepare << "SELECT " << key << ", master_key_id, HEX(" << table.sealed_column << ") FROM " << table.table
                     << " WHERE " << table.sealed_column << " IS NOT NULL AND master_key_id <> :master AND "
                     << table.key_column << (numeric ? " > CAST(:after AS UNSIGNED)" : " > :after") << " ORDER BY "
                     << table.key_column << " LIMIT " << limit,
         soci::use(master_key_id), soci::use(after));
    for (const soci::row& row : found) {
        const std::string row_key = numeric ? std::to_string(row.get<long long>(0)) : row.get<std::string>(0);
        rows.push_back(
            {row_key, row.get<std::string>(1), crypto::from_hex(row.get<std::string>(2)).value_or(crypto::Bytes{})});
    }
    return rows;
}

bool replace_wrapping(soci::session& sql, WrappedKind kind, const WrappedRow& before, const std::string& master_key_id,
                      const crypto::Bytes& sealed) {
    const WrappedTable table = table_of(kind);
    const std::string old_hex = crypto::to_hex(before.sealed);
    const std::string new_hex = crypto::to_hex(sealed);
    soci::statement update =
        (sql.prepare << "UPDATE " << table.table << " SET " << table.sealed_column
                     << " = UNHEX(:sealed), master_key_id = :master WHERE " << table.key_column
                     << " = :row_key AND master_key_id = :old_master AND " << table.sealed_column << " = UNHEX(:old)",
         soci::use(new_hex), soci::use(master_key_id), soci::use(before.row_key), soci::use(before.master_key_id),
         soci::use(old_hex));
    update.execute(true);
    return update.get_affected_rows() == 1;
}

std::map<std::string, long long> wrapped_count_by_master(soci::session& sql) {
    std::map<std::string, long long> counts;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT master_key_id, COUNT(*) FROM members WHERE data_key_sealed IS NOT NULL"
                        " GROUP BY master_key_id UNION ALL"
                        " SELECT master_key_id, COUNT(*) FROM terminal_keys GROUP BY master_key_id UNION ALL"
                        " SELECT master_key_id, COUNT(*) FROM purchase_feedback WHERE data_key_sealed IS NOT NULL"
                        " GROUP BY master_key_id UNION ALL"
                        " SELECT master_key_id, COUNT(*) FROM write_answers WHERE status <> 0 GROUP BY master_key_id"
                        " UNION ALL SELECT master_key_id, COUNT(*) FROM webhook_subscriptions GROUP BY master_key_id"
                        " UNION ALL SELECT master_key_id, COUNT(*) FROM draws WHERE seed_sealed IS NOT NULL"
                        " GROUP BY master_key_id");
    for (const soci::row& row : rows) counts[row.get<std::string>(0)] += row.get<long long>(1);
    return counts;
}

}  // namespace patron::store
