// Stores' terminals and their signing keys. A terminal holds one or more keys: a rotation adds
// one and gives the older ones an end (their grace period); a revocation ends a key at once.
// Secrets are stored only sealed, under a master key whose id sits beside them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct TerminalRecord {
    long long id = 0;
    long long store_id = 0;
    std::string code;
};

struct TerminalKeyRecord {
    std::string key_id;
    long long terminal_id = 0;
    crypto::Bytes secret_sealed;
    std::string master_key_id;
    core::Timestamp created_at{};
    std::optional<core::Timestamp> expires_at;  // Set once a newer key replaced it.
    std::optional<core::Timestamp> revoked_at;
};

long long insert_terminal(soci::session& sql, const TerminalRecord& terminal, core::Timestamp now);
std::optional<TerminalRecord> find_terminal(soci::session& sql, long long store_id, const std::string& code,
                                            bool for_update);
std::vector<TerminalRecord> terminals_of_store(soci::session& sql, long long store_id);

void insert_terminal_key(soci::session& sql, const TerminalKeyRecord& key);
// A key with its terminal and store, in one read: what admitting a signed request needs.
struct SigningKey {
    TerminalKeyRecord key;
    std::string terminal_code;
    long long store_id = 0;
    std::string store_code;
    long long program_id = 0;
    std::string currency;
};
std::optional<SigningKey> find_signing_key(soci::session& sql, const std::string& key_id);
std::vector<TerminalKeyRecord> keys_of_terminal(soci::session& sql, long long terminal_id);
struct KeyOwner {
    long long terminal_id = 0;
    long long program_id = 0;
};
// The terminal and program a key belongs to.
std::optional<KeyOwner> find_key_owner(soci::session& sql, const std::string& key_id);

// Gives every key of the terminal that has no end yet (and is not revoked) the end `at`.
void end_open_keys(soci::session& sql, long long terminal_id, core::Timestamp at);
// Revokes the key at `now`; false when it was revoked already.
bool revoke_terminal_key(soci::session& sql, const std::string& key_id, core::Timestamp now);

}  // namespace patron::store
