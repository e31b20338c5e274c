#include "loyalty/store/members/referral_store.h"

#include <soci/soci.h>

#include <array>

#include "loyalty/store/db/insert_id.h"
#include "loyalty/store/db/integer_column.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::store {
namespace {

constexpr const char* kReferralColumns =
    "CAST(id AS SIGNED), CAST(program_id AS SIGNED), CAST(referrer_id AS SIGNED), CAST(friend_id AS SIGNED),"
    " terms_version, terms, state, IFNULL(reason, ''), CAST(purchase_id AS SIGNED), friend_points, friend_cashback,"
    " referrer_points, referrer_cashback, referrer_outcome, revocations";

std::string referral_select() {
    return std::string("SELECT ") + kReferralColumns + ", " + time_column("enrolled_at") + ", " +
           time_column("qualify_by") + ", " + time_column("qualified_at") + " FROM referrals";
}

ReferralState state_of(const std::string& text) {
    if (text == "rewarded") return ReferralState::kRewarded;
    if (text == "refused") return ReferralState::kRefused;
    return ReferralState::kPending;
}

ReferralRecord referral_from(const soci::row& row) {
    ReferralRecord record;
    record.id = integer_at(row, 0);
    record.program_id = integer_at(row, 1);
    record.referrer_id = integer_at(row, 2);
    record.friend_id = integer_at(row, 3);
    const int version = row.get<int>(4);
    // Stored valid; a document that no longer reads leaves the defaults (and gives nothing).
    if (auto terms = core::parse_stored_referral_terms(row.get<std::string>(5), version)) record.terms = *terms;
    record.state = state_of(row.get<std::string>(6));
    record.reason = row.get<std::string>(7);
    if (row.get_indicator(8) == soci::i_ok) record.purchase_id = integer_at(row, 8);
    record.friend_points = integer_at(row, 9);
    record.friend_cashback = integer_at(row, 10);
    record.referrer_points = integer_at(row, 11);
    record.referrer_cashback = integer_at(row, 12);
    record.referrer_outcome = row.get<std::string>(13);
    record.revocations = row.get<int>(14);
    record.enrolled_at = time_at(row, 15).value_or(core::Timestamp{});
    record.qualify_by = time_at(row, 16).value_or(core::Timestamp{});
    record.qualified_at = time_at(row, 17);
    return record;
}

// The referrals a condition binding :id (and :other, the same id again, when it names both) finds.
std::vector<ReferralRecord> referrals_where(soci::session& sql, const std::string& condition, long long id) {
    std::vector<ReferralRecord> found;
    if (condition.find(":other") != std::string::npos) {
        soci::rowset<soci::row> rows =
            (sql.prepare << referral_select() + condition, soci::use(id, "id"), soci::use(id, "other"));
        for (const soci::row& row : rows) found.push_back(referral_from(row));
        return found;
    }
    soci::rowset<soci::row> rows = (sql.prepare << referral_select() + condition, soci::use(id, "id"));
    for (const soci::row& row : rows) found.push_back(referral_from(row));
    return found;
}

std::optional<ReferralRecord> one_referral(soci::session& sql, const std::string& condition, long long id) {
    auto found = referrals_where(sql, condition, id);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

}  // namespace

core::Result<core::ReferralTerms> find_referral_terms(soci::session& sql, long long program_id) {
    std::string document;
    int version = 0;
    soci::indicator document_i = soci::i_null;
    sql << "SELECT referral_terms, referral_terms_version FROM programs WHERE id = :id",
        soci::into(document, document_i), soci::into(version), soci::use(program_id);
    if (document_i != soci::i_ok) document.clear();
    return core::parse_stored_referral_terms(document, version);
}

int store_referral_terms(soci::session& sql, long long program_id, const std::string& document) {
    sql << "UPDATE programs SET referral_terms = :document, referral_terms_version = referral_terms_version + 1,"
           " settings_version = settings_version + 1 WHERE id = :id",
        soci::use(document), soci::use(program_id);
    int version = 0;
    sql << "SELECT referral_terms_version FROM programs WHERE id = :id", soci::into(version), soci::use(program_id);
    return version;
}

std::optional<std::string> referral_code_of(soci::session& sql, long long member_id) {
    std::string code;
    sql << "SELECT code FROM referral_codes WHERE member_id = :member", soci::into(code), soci::use(member_id);
    if (!sql.got_data()) return std::nullopt;
    return code;
}

bool insert_referral_code(soci::session& sql, long long program_id, long long member_id, const std::string& code,
                          core::Timestamp now) {
    const std::string at = to_sql_time(now);
    soci::statement insert =
        (sql.prepare << "INSERT IGNORE INTO referral_codes (member_id, program_id, code, created_at)"
                        " VALUES (:member, :program, :code, :at)",
         soci::use(member_id), soci::use(program_id), soci::use(code), soci::use(at));
    insert.execute(true);
    return insert.get_affected_rows() == 1;
}

std::optional<long long> member_of_referral_code(soci::session& sql, long long program_id, const std::string& code) {
    long long member_id = 0;
    sql << "SELECT CAST(member_id AS SIGNED) FROM referral_codes WHERE program_id = :program AND code = :code",
        soci::into(member_id), soci::use(program_id), soci::use(code);
    if (!sql.got_data()) return std::nullopt;
    return member_id;
}

long long insert_referral(soci::session& sql, const ReferralRecord& referral, core::Timestamp now) {
    const std::string terms = core::encode_referral_terms(referral.terms).dump();
    const std::string enrolled = to_sql_time(referral.enrolled_at);
    const std::string qualify_by = to_sql_time(referral.qualify_by);
    const std::string at = to_sql_time(now);
    sql << "INSERT INTO referrals (program_id, referrer_id, friend_id, terms_version, terms, enrolled_at, qualify_by,"
           " updated_at) VALUES (:program, :referrer, :friend, :version, :terms, :enrolled, :qualify_by, :at)",
        soci::use(referral.program_id), soci::use(referral.referrer_id), soci::use(referral.friend_id),
        soci::use(referral.terms.version), soci::use(terms), soci::use(enrolled), soci::use(qualify_by), soci::use(at);
    const long long id = last_insert_id(sql);
    sql << "UPDATE member_accounts SET referral_id = :id WHERE member_id = :friend", soci::use(id),
        soci::use(referral.friend_id);
    return id;
}

void save_referral(soci::session& sql, const ReferralRecord& referral, core::Timestamp now) {
    const std::string state(to_string(referral.state));
    const std::string at = to_sql_time(now);
    const std::string qualified = referral.qualified_at ? to_sql_time(*referral.qualified_at) : std::string();
    soci::indicator qualified_i = referral.qualified_at ? soci::i_ok : soci::i_null;
    const long long purchase = referral.purchase_id.value_or(0);
    soci::indicator purchase_i = referral.purchase_id ? soci::i_ok : soci::i_null;
    const std::string reason = referral.reason;
    soci::indicator reason_i = reason.empty() ? soci::i_null : soci::i_ok;
    sql << "UPDATE referrals SET referrer_id = :referrer, friend_id = :friend, state = :state, reason = :reason,"
           " purchase_id = :purchase, qualified_at = :qualified, friend_points = :fp, friend_cashback = :fc,"
           " referrer_points = :rp, referrer_cashback = :rc, referrer_outcome = :outcome, revocations = :revocations,"
           " updated_at = :at WHERE id = :id",
        soci::use(referral.referrer_id, "referrer"), soci::use(referral.friend_id, "friend"), soci::use(state, "state"),
        soci::use(reason, reason_i, "reason"), soci::use(purchase, purchase_i, "purchase"),
        soci::use(qualified, qualified_i, "qualified"), soci::use(referral.friend_points, "fp"),
        soci::use(referral.friend_cashback, "fc"), soci::use(referral.referrer_points, "rp"),
        soci::use(referral.referrer_cashback, "rc"), soci::use(referral.referrer_outcome, "outcome"),
        soci::use(referral.revocations, "revocations"), soci::use(at, "at"), soci::use(referral.id, "id");
    const long long pending = referral.state == ReferralState::kPending ? referral.id : 0;
    soci::indicator pending_i = pending != 0 ? soci::i_ok : soci::i_null;
    sql << "UPDATE member_accounts SET referral_id = :pending WHERE member_id = :friend",
        soci::use(pending, pending_i, "pending"), soci::use(referral.friend_id, "friend");
}

void forget_account_referral(soci::session& sql, long long member_id) {
    sql << "UPDATE member_accounts SET referral_id = NULL WHERE member_id = :member", soci::use(member_id);
}

std::optional<ReferralRecord> find_referral(soci::session& sql, long long id, bool for_update) {
    return one_referral(sql, std::string(" WHERE id = :id") + (for_update ? " FOR UPDATE" : ""), id);
}

std::optional<ReferralRecord> referral_of_friend(soci::session& sql, long long friend_id, bool for_update) {
    return one_referral(sql, std::string(" WHERE friend_id = :id") + (for_update ? " FOR UPDATE" : ""), friend_id);
}

std::optional<ReferralRecord> referral_of_purchase(soci::session& sql, long long purchase_id) {
    return one_referral(sql, " WHERE purchase_id = :id AND state = 'rewarded' FOR UPDATE", purchase_id);
}

std::vector<ReferralRecord> referrals_by(soci::session& sql, long long referrer_id, int limit) {
    return referrals_where(sql, " WHERE referrer_id = :id ORDER BY id DESC LIMIT " + std::to_string(limit),
                           referrer_id);
}

std::vector<ReferralRecord> referrals_naming(soci::session& sql, long long member_id) {
    return referrals_where(sql, " WHERE referrer_id = :id OR friend_id = :other ORDER BY id FOR UPDATE", member_id);
}

void move_referrer(soci::session& sql, long long from, long long into) {
    // Not her own referral (refused as same_member already): she never referred herself.
    sql << "UPDATE referrals SET referrer_id = :into WHERE referrer_id = :from AND friend_id <> :friend",
        soci::use(into, "into"), soci::use(from, "from"), soci::use(into, "friend");
}

ReferralCounts referral_counts(soci::session& sql, long long referrer_id, core::Timestamp now) {
    ReferralCounts counts;
    const std::string at = to_sql_time(now);
    sql << "SELECT COUNT(*), CAST(IFNULL(SUM(state = 'pending' AND qualify_by > :now), 0) AS SIGNED),"
           " CAST(IFNULL(SUM(state = 'pending' AND qualify_by <= :later), 0) AS SIGNED),"
           " CAST(IFNULL(SUM(state = 'rewarded'), 0) AS SIGNED),"
           " CAST(IFNULL(SUM(state = 'rewarded' AND referrer_outcome = 'capped'), 0) AS SIGNED),"
           " CAST(IFNULL(SUM(state = 'refused'), 0) AS SIGNED),"
           " CAST(IFNULL(SUM(referrer_points), 0) AS SIGNED), CAST(IFNULL(SUM(referrer_cashback), 0) AS SIGNED)"
           " FROM referrals WHERE referrer_id = :referrer",
        soci::into(counts.invited), soci::into(counts.pending), soci::into(counts.lapsed), soci::into(counts.rewarded),
        soci::into(counts.capped), soci::into(counts.refused), soci::into(counts.points), soci::into(counts.cashback),
        soci::use(at, "now"), soci::use(at, "later"), soci::use(referrer_id, "referrer");
    return counts;
}

long long referrer_rewards_between(soci::session& sql, long long referrer_id, core::Timestamp from,
                                   core::Timestamp until) {
    long long count = 0;
    const std::string first = to_sql_time(from);
    const std::string last = to_sql_time(until);
    sql << "SELECT COUNT(*) FROM referrals WHERE referrer_id = :referrer AND state = 'rewarded'"
           " AND referrer_outcome = 'rewarded' AND qualified_at >= :from AND qualified_at < :until",
        soci::into(count), soci::use(referrer_id, "referrer"), soci::use(first, "from"), soci::use(last, "until");
    return count;
}

bool bought_at_till(soci::session& sql, long long member_id, long long store_id, const std::string& terminal,
                    core::Timestamp from, core::Timestamp until) {
    long long found = 0;
    const std::string first = to_sql_time(from);
    const std::string last = to_sql_time(until);
    sql << "SELECT COUNT(*) FROM purchases WHERE member_id = :member AND received_at >= :from AND received_at < :until"
           " AND store_id = :store AND terminal = :terminal AND kind = 'purchase'",
        soci::into(found), soci::use(member_id, "member"), soci::use(first, "from"), soci::use(last, "until"),
        soci::use(store_id, "store"), soci::use(terminal, "terminal");
    return found > 0;
}

std::vector<std::string> referral_discrepancies(soci::session& sql) {
    std::vector<std::string> found;
    struct Check {
        const char* column;
        const char* transfers;
        const char* entries;
        const char* accounts;
        const char* side;
        const char* what;
    };
    static constexpr std::array<Check, 4> kChecks{{
        {"friend_points", "ledger_transfers", "ledger_entries", "'member_available', 'member_pending'", "friend",
         "referral (the friend's points, recorded vs ledger)"},
        {"referrer_points", "ledger_transfers", "ledger_entries", "'member_available', 'member_pending'", "referrer",
         "referral (the referrer's points, recorded vs ledger)"},
        {"friend_cashback", "cashback_transfers", "cashback_entries", "'member_cashback'", "friend",
         "referral (the friend's cashback, recorded vs ledger)"},
        {"referrer_cashback", "cashback_transfers", "cashback_entries", "'member_cashback'", "referrer",
         "referral (the referrer's cashback, recorded vs ledger)"},
    }};
    for (const Check& check : kChecks) {
        // Names are constants; a merge leaves entries on the record merged in, so they are summed
        // by transfer, whoever holds them now. A take-back under the clamp policy gives back less
        // than was given: the shortfall recorded on the account stays out of this check.
        const std::string column = check.column;
        soci::rowset<soci::row> rows =
            sql.prepare << "SELECT CAST(r.id AS SIGNED), CAST(r." + column +
                               " AS SIGNED), CAST(IFNULL(SUM(e.amount), 0) AS SIGNED) FROM referrals r LEFT JOIN " +
                               check.transfers + " t ON t.rule_id = CONCAT('referral:', r.id) AND t.note = '" +
                               check.side + "' LEFT JOIN " + check.entries +
                               " e ON e.transfer_id = t.id AND e.account IN (" + check.accounts +
                               ") GROUP BY r.id, r." + column + " HAVING IFNULL(SUM(e.amount), 0) <> r." + column;
        for (const soci::row& row : rows) {
            found.push_back(std::string(check.what) + " " + std::to_string(integer_at(row, 0)) + ": expected " +
                            std::to_string(integer_at(row, 1)) + ", found " + std::to_string(integer_at(row, 2)));
        }
    }
    return found;
}

long long purchase_remaining_total(soci::session& sql, long long purchase_id) {
    long long remaining = 0;
    sql << "SELECT CAST(IF(p.voided_at IS NOT NULL, 0, p.total - IFNULL((SELECT SUM(r.total) FROM purchases r"
           " WHERE r.original_id = p.id AND r.kind = 'return'), 0)) AS SIGNED) FROM purchases p WHERE p.id = :id",
        soci::into(remaining), soci::use(purchase_id);
    return remaining;
}

}  // namespace patron::store
