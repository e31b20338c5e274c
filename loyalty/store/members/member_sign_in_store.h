// What lets a member into the portal: a password hash, one-time codes (kept as a keyed MAC,
// counted tries, single use) and bearer tokens (kept as SHA-256). Failed sign-ins are counted by
// login name, apart from the members (sign_in_attempt_store.h).
#pragma once

#include <optional>
#include <string>

#include "crypto/bytes.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct MemberCredentials {
    long long member_id = 0;
    std::string password_hash;
};

std::optional<MemberCredentials> find_member_credentials(soci::session& sql, long long member_id);
void save_member_password(soci::session& sql, long long member_id, const std::string& password_hash,
                          core::Timestamp now);

struct MemberCodeRecord {
    long long id = 0;
    long long member_id = 0;
    std::string purpose;  // "activate" or "reset".
    crypto::Bytes code_mac;
    int attempts = 0;
};

// Issues a code and retires the member's earlier unused ones: only the newest code works.
void insert_member_code(soci::session& sql, const MemberCodeRecord& code, core::Timestamp now,
                        core::Timestamp expires_at);
int member_codes_since(soci::session& sql, long long member_id, core::Timestamp since);
// The member's live code (unused, unexpired, tries left), locked for the check.
std::optional<MemberCodeRecord> live_member_code(soci::session& sql, long long member_id, int attempts_max,
                                                 core::Timestamp now);
void count_member_code_attempt(soci::session& sql, long long code_id);
void use_member_code(soci::session& sql, long long code_id, core::Timestamp now);

struct MemberTokenRecord {
    long long member_id = 0;
    long long program_id = 0;
};

void insert_member_token(soci::session& sql, const crypto::Bytes& token_sha256, const MemberTokenRecord& token,
                         core::Timestamp now, core::Timestamp expires_at);
// The token's member while it is unexpired and the member active.
std::optional<MemberTokenRecord> find_member_token(soci::session& sql, const crypto::Bytes& token_sha256,
                                                   core::Timestamp now);
// find_member_token's check as a column of another read (json_rows.h): the token's member id,
// NULL when find_member_token would find none.
std::string member_token_member_sql(const crypto::Bytes& token_sha256, core::Timestamp now);
void delete_member_token(soci::session& sql, const crypto::Bytes& token_sha256);
void delete_member_tokens(soci::session& sql, long long member_id);
// Every session of the member but the one whose token hashes to `kept_sha256`.
void delete_member_tokens_except(soci::session& sql, long long member_id, const crypto::Bytes& kept_sha256);
// Everything that lets the member in (password, codes, sessions): for erasure and merges.
void forget_member_sign_in(soci::session& sql, long long member_id);

}  // namespace patron::store
