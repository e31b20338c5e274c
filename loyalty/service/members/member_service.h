// The member registry's use cases: enrol a member (personal data sealed, phone and email
// unique through blind indexes, a first card issued), read a member back for staff, their
// balances, and the POS's card look-up. Each is one database transaction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/card_state.h"
#include "loyalty/core/error.h"
#include "loyalty/core/member_history.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/member_requests.h"
#include "loyalty/core/member_status.h"
#include "loyalty/core/stamps.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/access/folded_check.h"
#include "loyalty/service/members/balance_outlook.h"
#include "loyalty/service/members/card_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/service/runtime/rule_set_cache.h"
#include "loyalty/store/db/database.h"

namespace patron::store {
struct ConsentChanger;
}

namespace patron::service {

// The enrolment and update documents are read in the core (loyalty/core/member_requests.h).
using core::ConsentChange;
using core::MemberApplication;
using core::MemberUpdate;

// `consents` after `change`, each changed consent stamped with `now`.
core::Consents apply_consents(core::Consents consents, const ConsentChange& change, core::Timestamp now);

struct EnrolledMember {
    long long id = 0;
    std::string card_number;
};

struct MemberView {
    long long id = 0;
    core::MemberStatus status;
    std::optional<core::MemberProfile> profile;  // Absent once erased.
    std::vector<CardView> cards;                 // The primary first (member_cards).
    core::Timestamp created_at;
    core::Consents consents = {};
};

// A stamp card in force as the member sees it: its rules (the goal and what a full card gives) and
// the member's stamps on it.
struct StampCardHeld {
    core::StampCard card;
    std::int64_t count = 0;                          // A collection: the items its card holds.
    std::map<std::string, std::int64_t> items = {};  // A collection: held (1) or owed (negative) items.
};

struct Balance {
    long long member_id = 0;
    long long points_available = 0;
    long long points_pending = 0;
    long long cashback_amount = 0;
    std::string currency;
    std::string tier;
    std::vector<StampCardHeld> stamps = {};           // Every card in force, with the member's stamps on it.
    std::optional<BalanceOutlook> outlook = {};       // The portal's home page; none at the till or in adjustments.
};

struct CardHolder {
    std::string card_number;
    core::CardState card_state;
    std::string masked_name;
    Balance balance;
};

// One page of a member's history, newest first; `next_before` continues it (0: nothing older).
struct HistoryPage {
    std::vector<core::HistoryItem> items;
    std::vector<std::string> descriptions;  // One per item, in the member's language.
    // The first page (no `before`) also holds the newest wallet movements and stamp card changes.
    std::vector<core::HistoryItem> cashback;
    std::vector<std::string> cashback_descriptions;
    std::vector<core::StampHistoryItem> stamps;
    std::vector<std::string> stamp_descriptions;
    std::vector<core::CouponHistoryItem> coupons;
    std::vector<std::string> coupon_descriptions;
    std::vector<core::DrawHistoryItem> draws;
    std::vector<std::string> draw_descriptions;
    std::string language;
    long long next_before = 0;
};

// One list of a member's history (?kind=), newest first: the points movements of some transfer
// kinds, the cashback wallet's movements, the stamp card changes, the coupons used or the prize
// draws' entries.
struct HistoryListPage {
    core::HistoryList list = core::HistoryList::kEarned;
    std::vector<core::HistoryItem> movements;  // The points lists and the cashback list.
    std::vector<core::StampHistoryItem> stamps;
    std::vector<core::CouponHistoryItem> coupons;
    std::vector<core::DrawHistoryItem> draws;
    std::vector<std::string> descriptions;  // One per entry, in the member's language.
    std::string language;
    // Goes on with the next (older) page; 0: nothing older. A points list's page looks at a bounded
    // number of movements (store::kMovementEntriesScannedMax), so it may hold fewer than asked
    // for, even none, and still go on.
    long long next_before = 0;
};

inline constexpr int kHistoryPageMax = 100;

class MemberService {
  public:
    MemberService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                  crypto::RandomSource& random);

    // A member enrolled by staff, audited as theirs (member.enrol, with the names of the fields given).
    core::Result<EnrolledMember> enrol(const StaffIdentity& staff, const MemberApplication& application);
    // Every check enrol makes, and every write, in a transaction rolled back: what enrol would
    // answer now (the member's id and card number it would have had), with nothing written.
    core::Result<EnrolledMember> check_enrolment(const StaffIdentity& staff, const MemberApplication& application);
    // A member no one enrolled by hand (the demo data): not audited.
    core::Result<EnrolledMember> enrol_unattended(long long program_id, const MemberApplication& application);
    core::Result<MemberView> get(long long program_id, long long member_id);
    // With a caller's `check`, that check is read with the member and settled (FoldedCheck);
    // UNAUTHENTICATED when it read as changed.
    core::Result<Balance> balance(long long program_id, long long member_id, FoldedCheck* check = nullptr);
    // Up to `limit` (1..100) movements older than transfer `before` (0: the newest).
    core::Result<HistoryPage> history(long long program_id, long long member_id, long long before, int limit);
    // Up to `limit` (1..100) entries of one list older than its entry `before` (0: the newest).
    core::Result<HistoryListPage> history_list(long long program_id, long long member_id, core::HistoryList list,
                                               long long before, int limit);
    core::Result<CardHolder> lookup_card(long long program_id, const std::string& number);
    // The member with this exact phone, email or card number ("phone", "email", "card"), found
    // through the blind indexes (or the card table): nothing is decrypted to search.
    core::Result<MemberView> search(long long program_id, const std::string& kind, const std::string& value);
    // A partial update of full_name, phone, email, birth_date, language (a field sent as null is
    // removed; phone and email not both); phone and email stay unique. Audited by field name.
    // `changes` is the update as the edge read it (core::decode_member_update), or why it could
    // not be read: that refusal is answered only once the member is known to exist and not
    // erased, so a member that is not there is MEMBER_NOT_FOUND whatever was sent.
    core::Result<MemberView> update(const StaffIdentity& staff, long long member_id,
                                    const core::Result<MemberUpdate>& changes);
    // The signed-in member's change of their own record (core::decode_own_member_update), checked
    // and stored as `update` does; audited as by the member.
    core::Result<MemberView> update_own(const MemberIdentity& member, const MemberUpdate& changes);

  private:
    enum class Enrolment { kWritten, kCheckOnly };
    core::Result<EnrolledMember> enrol_member(long long program_id, const store::AuditActor* actor,
                                              const MemberApplication& application,
                                              Enrolment mode = Enrolment::kWritten);
    core::Result<MemberView> change_member(long long program_id, const store::AuditActor& actor,
                                           const store::ConsentChanger& changer, long long member_id,
                                           const core::Result<MemberUpdate>& changes);
    // The stamp cards of the rules in force now (none when they cannot be read).
    std::vector<core::StampCard> stamp_cards_in_force(soci::session& sql, long long program_id);

    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
    crypto::RandomSource& random_;
    RuleSetCache rule_sets_;  // The stamp cards, tiers and time zone a balance shows.
};

// The first tier every member starts in until tiers are configured.
inline constexpr const char* kBaseTier = "Member";

}  // namespace patron::service
