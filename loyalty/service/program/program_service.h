// Setting a program up: the program itself, its stores and terminals (each terminal gets a
// key id and a secret, shown once and stored sealed), published rule sets and staff tokens.
// Used by patronctl today and by the admin API later.
#pragma once

#include <optional>
#include <string>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/error.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/core/staff_role.h"
#include "loyalty/service/access/terminal_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {

// Stores a rule document as the program's next version, in force from `effective_from`, and
// creates the budget counters of `rules` (what document.validate() read); the new version. Inside
// the caller's transaction.
int publish_rule_set(soci::session& sql, long long program_id, const core::RuleSet& rules,
                     const core::RuleDocument& document, core::Timestamp effective_from, core::Timestamp now);

class ProgramService {
  public:
    ProgramService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                   crypto::RandomSource& random);

    core::Result<long long> create_program(const store::ProgramRecord& program);
    // A programme an operator adds (patronctl program add), each value checked first: a code of 1 to
    // 32 letters, digits, '-' or '_' no other programme has, a name of 1 to 200 bytes, a currency
    // Patron knows, a country calling code of 1 to 3 digits, fa or en, a card prefix of 1 to 6
    // digits and a time zone of the zone database. Refused by the field at fault.
    core::Result<long long> add_program(const store::ProgramRecord& program);
    std::optional<store::ProgramRecord> find_program(const std::string& code);
    core::Result<void> set_points_policy(long long program_id, const core::PointsPolicy& policy);
    core::Result<long long> create_store(const store::StoreRecord& store);
    core::Result<TerminalKey> create_terminal(long long store_id, const std::string& code);
    // Validates the rule document and publishes it as the next version, in force from `effective_from`.
    core::Result<int> publish_rules(long long program_id, const core::RuleDocument& document,
                                    core::Timestamp effective_from);
    // A new random bearer token for staff; Patron keeps only its hash.
    core::Result<std::string> issue_staff_token(long long program_id, const std::string& label, core::StaffRole role);

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    crypto::RandomSource& random_;
};

}  // namespace patron::service
