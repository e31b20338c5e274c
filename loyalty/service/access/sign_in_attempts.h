// The lock-out staff and member sign-in share: five failed sign-ins in a row for one login name
// lock it for 15 minutes, whether or not an account has that name, so an unknown name answers
// exactly like a real one. Each sign-in reserves its attempt before the password is hashed, so a
// locked name costs no hashing and parallel guesses cannot outrun the lock.
#pragma once

#include <chrono>
#include <string_view>

#include "crypto/bytes.h"
#include "crypto/key_ring.h"
#include "loyalty/core/error.h"
#include "loyalty/core/time.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

inline constexpr int kSignInFailuresMax = 5;
inline constexpr std::chrono::minutes kSignInLock{15};
// A name nobody tried for this long is forgotten, failures and all.
inline constexpr std::chrono::hours kSignInAttemptsKept{24};

// The blind index a login name is counted under: `login` is the normalised name with whatever
// makes it unique ("staff:<email>", "member:<program id>:sms:<phone>"), never stored as such.
crypto::Bytes sign_in_login_mac(const crypto::KeyRing& keys, std::string_view login);

// Reserves one attempt for the login on `sql`, a session outside any transaction (each statement
// commits on its own): TOO_MANY_ATTEMPTS while the login is locked. The reservation counts as a
// failure until a successful sign-in clears it (store::clear_sign_in_attempts).
core::Result<void> reserve_sign_in_attempt(soci::session& sql, const crypto::Bytes& login_mac, core::Timestamp now);

// Forgets logins nobody tried for kSignInAttemptsKept, in small batches (forget_in_batches); how
// many went.
core::Result<long long> forget_old_sign_in_attempts(store::Database& database, core::Timestamp now);

}  // namespace patron::service
