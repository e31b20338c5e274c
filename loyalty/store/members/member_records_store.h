// What Patron holds about one member besides the sealed profile, read for a right-of-access
// export: cards, account, point lots, ledger entries, purchases, tier history and the audit
// entries about them, each as rows named by their columns (the export shows them as stored).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace soci {
class session;
}

namespace patron::store {

// A column's value as the database gave it: NULL (monostate), a whole number or text (times
// are RFC 3339 text).
using ColumnValue = std::variant<std::monostate, long long, unsigned long long, std::string>;
// A row's columns by name, in the order the query selects them.
using RecordRow = std::vector<std::pair<std::string, ColumnValue>>;

struct MemberRecords {
    std::vector<RecordRow> cards;
    std::optional<RecordRow> account;
    std::vector<RecordRow> point_lots;
    std::vector<RecordRow> ledger_entries;
    std::vector<RecordRow> purchases;
    std::vector<RecordRow> tier_history;
    std::vector<RecordRow> audit;
};

MemberRecords member_records(soci::session& sql, long long program_id, long long member_id);

}  // namespace patron::store
