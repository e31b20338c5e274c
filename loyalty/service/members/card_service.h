// What support staff do with cards: block and unblock, mark lost or close (with a reason, audited),
// and replace a lost or damaged card: the new card carries on the same member and account, the old
// one is marked replaced and refused at the till from then on.
#pragma once

#include <string>

#include "crypto/secure_random.h"
#include "loyalty/core/card_state.h"
#include "loyalty/core/error.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/members/member_store.h"

namespace patron::service {

// A card number of the program nobody holds yet: prefix, random digits, Luhn check digit. With
// 11 random digits a collision is rare but real at scale (about 1 in 20 programs of 100,000
// members would meet one), so a taken number is drawn again.
std::string fresh_card_number(soci::session& sql, const std::string& prefix, crypto::RandomSource& random);

class CardService {
  public:
    CardService(store::Database& database, const Clock& clock, crypto::RandomSource& random);

    // `state` is active, blocked, lost or closed (VALIDATION_FAILED for none or replaced, after the
    // number and reason are checked); a closed or replaced card stays so.
    core::Result<store::CardRecord> set_state(const StaffIdentity& staff, const std::string& number,
                                              std::optional<core::CardState> state, const std::string& reason);
    // A new card for the same member; the old card becomes replaced.
    core::Result<store::CardRecord> replace(const StaffIdentity& staff, const std::string& number,
                                            const std::string& reason);

  private:
    store::Database& database_;
    const Clock& clock_;
    crypto::RandomSource& random_;
};

}  // namespace patron::service
