// What Patron holds about one member besides the sealed profile, read for a right-of-access
// export: cards, account, point lots, ledger entries, purchases, tier history and the audit
// entries about them, each as rows of JSON objects named by their columns.
#pragma once

#include <nlohmann/json.hpp>

namespace soci {
class session;
}

namespace patron::store {

struct MemberRecords {
    nlohmann::json cards;
    nlohmann::json account;
    nlohmann::json point_lots;
    nlohmann::json ledger_entries;
    nlohmann::json purchases;
    nlohmann::json tier_history;
    nlohmann::json audit;
};

MemberRecords member_records(soci::session& sql, long long program_id, long long member_id);

}  // namespace patron::store
