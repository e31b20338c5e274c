// Seals and opens a member's personal data with the member's own data key. The associated
// data binds each ciphertext to its column and member id, so a value copied to another row or
// column does not open. Plaintext exists only in memory, never in SQL.
#pragma once

#include <optional>

#include "crypto/envelope.h"
#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/store/members/member_store.h"

namespace patron::service {

store::SealedProfile seal_profile(const crypto::SecretBytes& data_key, long long member_id,
                                  const core::MemberProfile& profile, crypto::RandomSource& random);

// The member's profile, or nullopt when the data key is gone (erased) or a field fails to open.
std::optional<core::MemberProfile> open_profile(const crypto::KeyRing& ring, const store::MemberRecord& member);

std::string data_key_binding(long long member_id);

}  // namespace patron::service
