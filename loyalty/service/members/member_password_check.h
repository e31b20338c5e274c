// A signed-in member proving again that it is them, with their password, before the portal
// changes the password or deletes the account: a stolen session alone can do neither. Each check
// counts like a sign-in under the member's phone and email (sign_in_attempts.h): five wrong
// passwords in a row lock both for 15 minutes, for sign-in too, and a right one clears them.
#pragma once

#include <string>

#include "crypto/bytes.h"
#include "crypto/key_ring.h"
#include "loyalty/core/error.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

// The name a member's sign-ins are counted under: the normalised phone ("sms") or email
// ("email") in its program (the same phone in another program is another name).
crypto::Bytes member_login_mac(const crypto::KeyRing& keys, long long program_id, const std::string& channel,
                               const std::string& normalised);

// UNAUTHENTICATED (naming `field`) for a wrong password, after the same hashing as a right one;
// TOO_MANY_ATTEMPTS while the member's phone or email is locked, without hashing.
core::Result<void> confirm_member_password(store::Database& database, const crypto::KeyRing& keys,
                                           const MemberIdentity& member, const std::string& password,
                                           const std::string& field, core::Timestamp now);

}  // namespace patron::service
