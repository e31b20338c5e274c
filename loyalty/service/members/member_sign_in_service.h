// Members signing in to the portal. A member asks for a one-time code (six digits, valid 10
// minutes, single use, 5 tries; only the newest works; at most 5 an hour), sent by the notifier
// to the phone or email they named; with it they set their password (activation, or a reset
// that also ends their other sessions) and are signed in; signed in, they change it by giving
// the one they have (member_password_check.h). Sign-in with phone or email and
// password gives a random 256-bit bearer token (kept as SHA-256) for /v1/me/... only; five failed
// sign-ins in a row lock that phone or email for 15 minutes, whether or not it is a member's
// (sign_in_attempts.h). Whether a phone or email belongs to a member is never told apart by the
// answer, nor by the work done before it.
#pragma once

#include <chrono>
#include <string>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/error.h"
#include "loyalty/core/sign_in_requests.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/service/runtime/notifier.h"
#include "loyalty/store/db/database.h"

namespace patron::service {

inline constexpr std::chrono::minutes kMemberCodeLife{10};
inline constexpr int kMemberCodeTriesMax = 5;
inline constexpr int kMemberCodesPerHourMax = 5;
inline constexpr std::chrono::hours kMemberSessionLife{24 * 30};

struct MemberSession {
    std::string token;  // Shown once.
    core::Timestamp expires_at{};
    long long member_id = 0;
};

// What became of a code request; the caller answers the same either way.
struct CodeDelivery {
    bool sent = false;
    std::string failure;  // Why the notifier failed (never personal data), when it did.
};

class MemberSignInService {
  public:
    MemberSignInService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                        crypto::RandomSource& random, Notifier& notifier);

    // A code to the phone or the email (exactly one) of the program the contact names.
    core::Result<CodeDelivery> send_code(const core::MemberContact& contact);
    // The contact, the code and the new password, as core::decode_member_password read them (six
    // digits; 8 to 256 bytes): CODE_INVALID for a wrong, used or expired code (each wrong try
    // counts). The right code also lifts a sign-in lock on the name.
    core::Result<MemberSession> set_password(const core::MemberSignInRequest& request);
    core::Result<MemberSession> sign_in(const core::MemberContact& contact, const std::string& password);
    core::Result<void> sign_out(const std::string& token);
    // The signed-in member's new password, given the one they have (member_password_check.h: a
    // wrong one counts like a failed sign-in): every session of theirs but `token`'s ends. Audited.
    core::Result<void> change_password(const MemberIdentity& member, const std::string& token,
                                       const core::MemberPasswordChange& change);

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    crypto::RandomSource& random_;
    Notifier& notifier_;
};

}  // namespace patron::service
