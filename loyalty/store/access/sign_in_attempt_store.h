// Failed sign-ins counted per login name, whether or not an account has that name, so that the
// answers never tell which accounts exist. The name is known here only as its blind index. A
// sign-in reserves its attempt before the password is hashed, so parallel guesses are counted
// one by one and the lock applies to the very next guess, not after all of them were checked.
#pragma once

#include "crypto/bytes.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct SignInReservation {
    bool granted = false;
    core::Timestamp locked_until{};  // When not granted: when the lock ends.
};

// Reserves one attempt for the login, counted as a failure until the login is cleared. The
// `failures_max`-th reservation in a row locks the login until `lock_until` (that one still goes
// on: it may be the right password); a lock that has ended starts the count again. Each
// statement commits on its own, so run it on a session outside any transaction: holding the
// row's lock across the hashing would serialise every sign-in of that name.
SignInReservation reserve_sign_in_attempt(soci::session& sql, const crypto::Bytes& login_mac, int failures_max,
                                          core::Timestamp now, core::Timestamp lock_until);
// Forgets the login's failures and lock: its owner proved who they are.
void clear_sign_in_attempts(soci::session& sql, const crypto::Bytes& login_mac);
// Forgets logins last tried before `before`, at most `limit` of them; how many went.
long long purge_sign_in_attempts(soci::session& sql, core::Timestamp before, int limit);

}  // namespace patron::store
