// Who may call: staff bearer tokens (kept only as SHA-256 hashes) and the nonces of signed
// POS requests (kept in the database, so replays are caught across restarts and instances).
#pragma once

#include <optional>
#include <string>

#include "crypto/bytes.h"
#include "loyalty/core/staff_role.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct StaffTokenRecord {
    long long program_id = 0;
    std::string label;  // The staff user's name (or what a patronctl token was issued for).
    // Absent when the stored role is none this build knows (a token's own role is free text):
    // such a token admits nothing. Stored absent, it reads back so.
    std::optional<core::StaffRole> role;
    std::optional<long long> staff_user_id = {};  // Absent for tokens patronctl issued.
};

void insert_staff_token(soci::session& sql, const crypto::Bytes& token_sha256, const StaffTokenRecord& token,
                        core::Timestamp now, std::optional<core::Timestamp> expires_at);
// The token's record when it exists, has not expired at `now` and its user (if any) is active;
// the role is the user's current one.
std::optional<StaffTokenRecord> find_staff_token(soci::session& sql, const crypto::Bytes& token_sha256,
                                                 core::Timestamp now);

// find_staff_token's check as a column of another read (json_rows.h): the role the token's
// record has then, NULL when find_staff_token would find none.
std::string staff_token_role_sql(const crypto::Bytes& token_sha256, core::Timestamp now);

void delete_staff_token(soci::session& sql, const crypto::Bytes& token_sha256);

// Records a nonce for a key if the key may sign at `now` (not revoked, not past its grace period);
// false when that key already used it or may not sign. The first statement of a unit that begins
// with it carries the unit's BEGIN (Begin::kWithFirstStatements).
bool remember_nonce(soci::session& sql, const std::string& key_id, const std::string& nonce, core::Timestamp now);

// Forgets nonces seen before `before`, at most `limit` of them; how many went. Requests that
// old are refused by their timestamp anyway, so their nonces no longer need remembering.
long long purge_nonces(soci::session& sql, core::Timestamp before, int limit);

}  // namespace patron::store
