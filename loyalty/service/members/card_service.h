// What support staff do with cards: issue a member another card (a number drawn, or a pre-printed
// card from one of the program's registered ranges), list a member's cards, choose the primary one
// (the card the portal prints), block and unblock, mark lost or close (with a reason, audited), and
// replace a lost or damaged card: the new card carries on the same member and account, the old one
// is marked replaced and refused at the till from then on. Admins register the pre-printed ranges.
// Every card of a member reaches the same account at the till.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/card_state.h"
#include "loyalty/core/error.h"
#include "loyalty/core/member_requests.h"
#include "loyalty/core/time.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/members/card_range_store.h"
#include "loyalty/store/members/member_store.h"

namespace patron::service {

// A member's card as staff and the member's portal see it.
struct CardView {
    std::string number;
    std::string kind;
    core::CardState state;
    bool primary = false;
    core::Timestamp issued_at = {};
    core::Timestamp state_changed_at = {};
    std::optional<std::string> state_reason = {};  // Staff's words: shown to staff only.
};

// Cards a member may hold that are not closed or replaced (active, blocked or lost): a desk cannot
// hand one member a stack of cards. A merge may bring the survivor more; it then gets no other.
inline constexpr std::size_t kCardsHeldMax = 10;
// Ranges a program may register: its list is answered whole.
inline constexpr std::size_t kCardRangesMax = 1000;

// A card number of the program nobody holds yet: prefix, random digits, Luhn check digit. With
// 11 random digits a collision is rare but real at scale (about 1 in 20 programs of 100,000
// members would meet one), so a taken number is drawn again; so is a number in a pre-printed
// range (of any program), which belongs to a plastic card still in a drawer.
std::string fresh_card_number(soci::session& sql, const std::string& prefix, crypto::RandomSource& random);

// The member's cards: the primary first (core/primary_card.h), then the others oldest first.
std::vector<CardView> member_cards(soci::session& sql, long long member_id);
// The same of the member's cards as read (store::find_cards_of_member).
std::vector<CardView> card_views(const std::vector<store::CardRecord>& records);

class CardService {
  public:
    CardService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                crypto::RandomSource& random);

    // Another card for an active member (NOT_AVAILABLE for one erased or merged, or holding
    // kCardsHeldMax cards). A pre-printed number must pass its check digit (CARD_NUMBER_INVALID), lie
    // in one of the program's ranges (VALIDATION_FAILED) and be free (CARD_NUMBER_TAKEN). The card
    // becomes primary when asked, or when the member has no active card. Audited.
    core::Result<CardView> issue(const StaffIdentity& staff, long long member_id, const core::CardIssue& issue);
    core::Result<std::vector<CardView>> cards(const StaffIdentity& staff, long long member_id);
    // Makes an active card of this active member its primary (CARD_NOT_FOUND for another member's,
    // CARD_BLOCKED or CARD_CLOSED for one not active); audited. Answers the member's cards.
    core::Result<std::vector<CardView>> choose_primary(const StaffIdentity& staff, long long member_id,
                                                       const std::string& number);
    // `state` is active, blocked, lost or closed (VALIDATION_FAILED for none or replaced, after the
    // number and reason are checked); a closed or replaced card stays so.
    core::Result<store::CardRecord> set_state(const StaffIdentity& staff, const std::string& number,
                                              std::optional<core::CardState> state, const std::string& reason);
    // A new card for the same member; the old card becomes replaced. Replacing the primary card
    // makes the new card primary.
    core::Result<store::CardRecord> replace(const StaffIdentity& staff, const std::string& number,
                                            const std::string& reason);

    // A pre-printed range (admin): checked by core::check_card_range, sharing no number with any
    // program's range (CARD_NUMBER_TAKEN); audited. `issued` is 0, or the cards already numbered in it.
    core::Result<store::CardRangeRecord> register_range(const StaffIdentity& staff,
                                                        const core::CardRangeRegistration& registration);
    // The program's ranges in the order registered, each with how many of its numbers are issued.
    core::Result<std::vector<store::CardRangeRecord>> ranges(const StaffIdentity& staff);

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    crypto::RandomSource& random_;
};

}  // namespace patron::service
