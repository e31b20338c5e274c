// Referrals (core/referrals.h) as the database keeps them: the programme's terms beside its other
// settings (their version raises the settings version), each member's referral code, each friend's
// referral with the terms it was made under and what it gave, and the account's pointer to her
// pending referral that a till's purchase reads with the account it locks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/referrals.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

// The programme's terms as stored, with their version (version 0, inactive, when none were set);
// INTERNAL when the stored document no longer parses.
core::Result<core::ReferralTerms> find_referral_terms(soci::session& sql, long long program_id);
// Stores the document (compact JSON) as the next version, raising the settings version; the version.
int store_referral_terms(soci::session& sql, long long program_id, const std::string& document);

std::optional<std::string> referral_code_of(soci::session& sql, long long member_id);
// False when the code is taken in the programme (or the member has one already).
bool insert_referral_code(soci::session& sql, long long program_id, long long member_id, const std::string& code,
                          core::Timestamp now);
// The member whose code it is.
std::optional<long long> member_of_referral_code(soci::session& sql, long long program_id, const std::string& code);

using core::ReferralState;

struct ReferralRecord {
    long long id = 0;
    long long program_id = 0;
    long long referrer_id = 0;
    long long friend_id = 0;
    core::ReferralTerms terms;  // Those it was made under (terms.version theirs).
    core::Timestamp enrolled_at{};
    core::Timestamp qualify_by{};
    ReferralState state = ReferralState::kPending;
    std::string reason;  // refused: same_till, existing_member, same_member, returned.
    std::optional<long long> purchase_id;
    std::optional<core::Timestamp> qualified_at;
    long long friend_points = 0;
    long long friend_cashback = 0;
    long long referrer_points = 0;
    long long referrer_cashback = 0;
    std::string referrer_outcome = "none";  // none, rewarded, capped
    int revocations = 0;
};

// Writes a new pending referral and names it on the friend's account; its id.
long long insert_referral(soci::session& sql, const ReferralRecord& referral, core::Timestamp now);
// Writes the referral's state, what it gave and its purchase; the friend's account names it while
// it is pending and no more once it is not.
void save_referral(soci::session& sql, const ReferralRecord& referral, core::Timestamp now);

// Her purchases no longer read her referral (it lapsed).
void forget_account_referral(soci::session& sql, long long member_id);

std::optional<ReferralRecord> find_referral(soci::session& sql, long long id, bool for_update);
std::optional<ReferralRecord> referral_of_friend(soci::session& sql, long long friend_id, bool for_update);
// The rewarded referral whose qualifying purchase this is, locked.
std::optional<ReferralRecord> referral_of_purchase(soci::session& sql, long long purchase_id);
// The referrals the member made, newest first (at most `limit`).
std::vector<ReferralRecord> referrals_by(soci::session& sql, long long referrer_id, int limit);
// Every referral the member made or was made by, locked (a merge moves or refuses them).
std::vector<ReferralRecord> referrals_naming(soci::session& sql, long long member_id);
void move_referrer(soci::session& sql, long long from, long long into);

struct ReferralCounts {
    long long invited = 0;
    long long pending = 0;  // Still within their days.
    long long lapsed = 0;   // Pending past their days.
    long long rewarded = 0;
    long long capped = 0;  // Rewarded friends who came past her monthly limit: nothing for her.
    long long refused = 0;
    long long points = 0;  // What the referrer holds from them.
    long long cashback = 0;
};
ReferralCounts referral_counts(soci::session& sql, long long referrer_id, core::Timestamp now);

// The referrer's rewards given for friends who qualified in [from, until).
long long referrer_rewards_between(soci::session& sql, long long referrer_id, core::Timestamp from,
                                   core::Timestamp until);

// Whether the member made a purchase at this store's till received within [from, until).
bool bought_at_till(soci::session& sql, long long member_id, long long store_id, const std::string& terminal,
                    core::Timestamp from, core::Timestamp until);

// For `patronctl verify`: each referral's rewards as it records them (what the friend and the
// referrer hold of it) against the ledgers' "referral:ID" transfers to each; one line per
// disagreement.
std::vector<std::string> referral_discrepancies(soci::session& sql);

// What returns and voids left of a purchase's total (minor units).
long long purchase_remaining_total(soci::session& sql, long long purchase_id);

}  // namespace patron::store
