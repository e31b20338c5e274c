// Members (personal data only as sealed bytes), their blind-index look-ups, cards and the
// account row that serialises every write for one member.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "crypto/envelope.h"
#include "loyalty/core/card_state.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/member_status.h"
#include "loyalty/core/time.h"
#include "loyalty/store/program/program_store.h"

namespace soci {
class session;
class statement;
}

namespace patron::store {

// Each field is the AEAD-sealed plaintext; empty means absent (NULL).
struct SealedProfile {
    crypto::Bytes full_name;
    crypto::Bytes phone;
    crypto::Bytes email;
    crypto::Bytes birth_date;
    crypto::Bytes details = {};  // Gender, city, postal code and time zone as one sealed JSON value.
};

struct MemberRecord {
    long long id = 0;
    long long program_id = 0;
    core::MemberStatus status;
    crypto::WrappedKey data_key;
    SealedProfile profile;
    std::optional<std::string> language;
    core::Timestamp created_at;
};

enum class LookupKind { kPhone, kEmail };

struct CardRecord {
    std::string number;
    long long member_id = 0;
    std::string kind;
    core::CardState state;
    // Read by find_cards_of_member and cards_of_member_sql only.
    core::Timestamp issued_at = {};
    core::Timestamp state_changed_at = {};
    std::optional<std::string> state_reason = {};
    bool chosen_primary = false;  // Staff chose it as the member's primary (members.primary_card).
};

struct AccountRecord {
    long long member_id = 0;
    long long points_available = 0;
    long long points_pending = 0;
    long long cashback_balance = 0;
    std::string tier;
    bool has_purchased = false;  // A purchase of the member's counts (first_purchase_at is set).
    // The open fraud signal holding her new points (fraud.h), if any: they go into held lots.
    std::optional<long long> fraud_hold;
    // Her referral waiting for her first qualifying purchase (referral_store.h), if any.
    std::optional<long long> referral = {};
};

// A member row without personal data yet, so that its id can bind the ciphertexts to it.
long long insert_member_row(soci::session& sql, long long program_id, const std::optional<std::string>& language,
                            core::Timestamp now);
void store_sealed_profile(soci::session& sql, long long member_id, const crypto::WrappedKey& data_key,
                          const SealedProfile& profile, core::Timestamp now);
std::optional<MemberRecord> find_member(soci::session& sql, long long member_id);

// False when the program already has this phone or email (the digest is taken).
bool insert_lookup(soci::session& sql, long long program_id, LookupKind kind, const crypto::Bytes& digest,
                   long long member_id);

// The member a blind index points to, if any.
std::optional<long long> find_lookup(soci::session& sql, long long program_id, LookupKind kind,
                                     const crypto::Bytes& digest);
// Removes the member's blind index of this kind (all kinds when none is given).
void delete_lookups(soci::session& sql, long long member_id, std::optional<LookupKind> kind = std::nullopt);
void set_member_language(soci::session& sql, long long member_id, const std::optional<std::string>& language);

// Who changed a member's consents, for their history: "member" (in the portal), "staff" (with the
// staff account, when a user rather than a token acted) or "enrolment" (a till or the member enrolling).
struct ConsentChanger {
    std::string by;
    std::optional<long long> staff_user_id = {};
};
// Stores `after` as the member's consents and adds each consent whose time differs from `before`
// to their history (member_consent_history), in the caller's transaction.
void store_consents(soci::session& sql, long long member_id, const core::Consents& before, const core::Consents& after,
                    const ConsentChanger& changer);
core::Consents find_consents(soci::session& sql, long long member_id);
// Crypto-shredding: the wrapped data key and every sealed field are deleted; the row stays
// (status 'erased') so the ledger's rows keep their pseudonymous member id. The consents go too;
// their history stays (a record merged into another keeps it) until forget_consent_history.
void erase_member_row(soci::session& sql, long long member_id, core::Timestamp now);
// A member erased: without a phone or an email there is no one the history could be about.
void forget_consent_history(soci::session& sql, long long member_id);

// Moves what `from` holds to `into`: cards, point lots (each with its own dates), purchases,
// tier history, coupons assigned and redeemed, and rule usage (added up per rule and period); drops `from`'s quote
// holds and consents (their history stays with `from`, whose consents it was) and moves its points shortfall. Balances
// and the ledger are the caller's.
void move_member_rows(soci::session& sql, long long from, long long into);
// After erase_member_row: the record was merged into `into`, not erased.
void mark_merged(soci::session& sql, long long member_id, long long into);

void insert_card(soci::session& sql, const CardRecord& card, core::Timestamp now);
// The same for a number staff typed: false, and nothing written, when a card has it already (also
// when another request took it a moment ago).
bool insert_card_unless_taken(soci::session& sql, const CardRecord& card, core::Timestamp now);
std::optional<CardRecord> find_card(soci::session& sql, const std::string& number, bool for_update = false);
// A member, their account (none when it is missing) with the tier's secured-until, and their
// programme's currency and settings version in one read, nothing locked: what a member's balance
// starts from.
struct MemberAccountRecord {
    MemberRecord member;
    std::optional<AccountRecord> account;
    std::optional<core::Timestamp> tier_secured_until;
    std::string currency;
    long long settings_version = 0;  // programs.settings_version.
    std::vector<std::optional<std::string>> also;  // The values of the columns `also` asked for, as text.
};
// `also`: more columns for the same read, scalar subqueries of the member's other rows (json_rows.h),
// so that a page of what the member holds takes one round trip: SQL of the store's own making (its
// *_sql functions), never text from outside.
std::optional<MemberAccountRecord> find_member_with_account(soci::session& sql, long long member_id,
                                                            const std::vector<std::string>& also = {});

struct CardHolderRecord {
    CardRecord card;
    MemberRecord member;
    AccountRecord account;           // Locked when the read was asked to.
    long long settings_version = 0;  // The member's programme's programs.settings_version.
    // The latest close among the programme's published draws (none when no draw is published),
    // read with the card and without a lock: a purchase at or after it takes no entry, and need not
    // read or mark the draws.
    std::optional<core::Timestamp> last_draw_close;
};
// A card, its member, the member's account, their programme's settings version and its draws' last
// close in one read:
// what a till's operation starts from. A writer has the account locked by this read, the first lock
// every write for a member takes; the card and member rows are never locked here, as card and member
// changes take them after the account's lock.
// With `lock_account`, the member's account is locked (FOR UPDATE).
std::optional<CardHolderRecord> find_card_with_member(soci::session& sql, const std::string& number, bool lock_account);
void set_card_state(soci::session& sql, const std::string& number, core::CardState state, const std::string& reason,
                    core::Timestamp now);
// Oldest first (by issue time, then number), with their times and state reasons.
std::vector<CardRecord> find_cards_of_member(soci::session& sql, long long member_id);
// The same as a column of another read (json_rows.h), and what it gave.
std::string cards_of_member_sql(long long member_id);
std::vector<CardRecord> cards_of_member_of(const std::optional<std::string>& rows);
// Records the card staff chose as the member's primary (core/primary_card.h says what stands in for
// it); find_cards_of_member reads it back with the cards (CardRecord::chosen_primary).
void set_primary_card(soci::session& sql, long long member_id, const std::string& number);

// The accounts of these members, locked, in member order (the order every batch locks them in),
// and written (mark_account_written).
std::vector<AccountRecord> find_accounts_for_update(soci::session& sql, std::span<const long long> member_ids);

// A change to one member's points balances.
struct PointsDelta {
    long long member_id = 0;
    long long available = 0;
    long long pending = 0;
};
// adjust_points for many members in one statement.
void adjust_points(soci::session& sql, const std::vector<PointsDelta>& deltas, core::Timestamp now);

void insert_account(soci::session& sql, long long member_id, const std::string& tier, core::Timestamp now);
// With for_update the row stays locked until the transaction ends: the member's write lock, and
// it is written (mark_account_written), so that on Galera the lock holds across nodes too.
std::optional<AccountRecord> find_account(soci::session& sql, long long member_id, bool for_update);
// Writes the member's account (its write mark) for a unit that decided under the account's lock
// and writes no balance: on Galera the lock holds on one node only, and this write is what
// certification compares with another node's unit (docs/cluster.md, "Row locks"). With the
// unit's COMMIT when it defers its writes.
void mark_account_written(soci::session& sql, long long member_id);
// Moves the cached balances by these deltas, in the transaction that writes the ledger entries.
void adjust_points(soci::session& sql, long long member_id, long long available_delta, long long pending_delta,
                   core::Timestamp now);
// What a purchase moves on its member's account: points available and pending, and the account's
// first and last purchase instants (the Members report's), which take in its `received_at`.
struct PurchaseBalanceMove {
    long long member_id = 0;
    long long available_delta = 0;
    long long pending_delta = 0;
    core::Timestamp received_at{};
};
void adjust_points_for_purchase(soci::session& sql, const PurchaseBalanceMove& move, core::Timestamp now);
// The SET list of that move on the member_accounts row aliased `account`, its values written as
// literals, for a statement that writes more than the account (its WHERE picks the account's row).
std::string purchase_move_assignments(soci::session& sql, const std::string& account, const PurchaseBalanceMove& move,
                                      core::Timestamp now);
// The account's first and last purchase instants counted again from the member's purchases not
// voided, after a void. The caller holds the account's lock.
void recount_purchase_span(soci::session& sql, long long member_id);

}  // namespace patron::store
