#include "loyalty/store/pos/claim_attempt_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/sql_time.h"

namespace patron::store {
namespace {

// Deletes rows of `table` whose `column` is before `before`, at most `limit`; how many.
long long forget_before(soci::session& sql, const std::string& table, const std::string& column, core::Timestamp before,
                        int limit) {
    const std::string until = to_sql_time(before);
    soci::statement forget = (sql.prepare << "DELETE FROM " + table + " WHERE " + column + " < :before LIMIT :limit",
                              soci::use(until), soci::use(limit));
    forget.execute(true);
    return static_cast<long long>(forget.get_affected_rows());
}

// How many rows `from` (a FROM and WHERE clause with :key and :since) has, up to `cap`.
template <typename Key>
long long count_up_to(soci::session& sql, const std::string& from, const Key& key, const std::string& since, int cap) {
    long long count = 0;
    sql << "SELECT COUNT(*) FROM (SELECT 1 FROM " + from + " LIMIT :cap) counted", soci::use(key), soci::use(since),
        soci::use(cap), soci::into(count);
    return count;
}

}  // namespace

void insert_failed_claim(soci::session& sql, long long member_id, const std::optional<std::string>& address_key,
                         core::Timestamp at) {
    const std::string when = to_sql_time(at);
    const std::string address = address_key.value_or("");
    soci::indicator address_i = address_key ? soci::i_ok : soci::i_null;
    sql << "INSERT INTO member_claim_failures (member_id, address_key, failed_at) VALUES (:member, UNHEX(:address),"
           " :at)",
        soci::use(member_id), soci::use(address, address_i), soci::use(when);
}

long long count_failed_claims(soci::session& sql, long long member_id, core::Timestamp since) {
    const std::string from = to_sql_time(since);
    long long count = 0;
    sql << "SELECT COUNT(*) FROM member_claim_failures WHERE member_id = :member AND failed_at >= :since",
        soci::use(member_id), soci::use(from), soci::into(count);
    return count;
}

long long forget_failed_claims(soci::session& sql, core::Timestamp before, int limit) {
    return forget_before(sql, "member_claim_failures", "failed_at", before, limit);
}

void insert_purchase_claim(soci::session& sql, const PurchaseClaim& claim, core::Timestamp at) {
    const std::string when = to_sql_time(at);
    const std::string address = claim.address_key.value_or("");
    soci::indicator address_i = claim.address_key ? soci::i_ok : soci::i_null;
    sql << "INSERT INTO purchase_claims (purchase_id, member_id, store_id, terminal, address_key, claimed_at)"
           " VALUES (:purchase, :member, :store, :terminal, UNHEX(:address), :at)",
        soci::use(claim.purchase_id), soci::use(claim.member_id), soci::use(claim.store_id), soci::use(claim.terminal),
        soci::use(address, address_i), soci::use(when);
}

PurchaseTill purchase_till(soci::session& sql, long long purchase_id) {
    PurchaseTill till;
    sql << "SELECT s.code, p.terminal FROM purchases p JOIN stores s ON s.id = p.store_id WHERE p.id = :id",
        soci::into(till.store), soci::into(till.terminal), soci::use(purchase_id);
    return till;
}

long long forget_purchase_claims(soci::session& sql, core::Timestamp before, int limit) {
    return forget_before(sql, "purchase_claims", "claimed_at", before, limit);
}

ClaimCounts count_claims(soci::session& sql, const PurchaseClaim& subject, core::Timestamp since,
                         const ClaimCountCaps& caps) {
    const std::string from = to_sql_time(since);
    ClaimCounts counts;
    if (caps.member_claims > 0) {
        counts.member_claims = count_up_to(sql, "purchase_claims WHERE member_id = :key AND claimed_at >= :since",
                                           subject.member_id, from, caps.member_claims);
    }
    if (caps.member_failures > 0) {
        counts.member_failures =
            count_up_to(sql, "member_claim_failures WHERE member_id = :key AND failed_at >= :since", subject.member_id,
                        from, caps.member_failures);
    }
    if (caps.address_claims > 0 && subject.address_key) {
        const std::string& address = *subject.address_key;
        counts.address_claims =
            count_up_to(sql, "purchase_claims WHERE address_key = UNHEX(:key) AND claimed_at >= :since", address, from,
                        caps.address_claims);
        if (counts.address_claims < caps.address_claims) {
            counts.address_claims +=
                count_up_to(sql, "member_claim_failures WHERE address_key = UNHEX(:key) AND failed_at >= :since",
                            address, from, caps.address_claims - static_cast<int>(counts.address_claims));
        }
    }
    if (caps.terminal_claims > 0) {
        long long count = 0;
        sql << "SELECT COUNT(*) FROM (SELECT 1 FROM purchase_claims WHERE store_id = :store AND terminal = :terminal"
               " AND claimed_at >= :since LIMIT :cap) counted",
            soci::use(subject.store_id), soci::use(subject.terminal), soci::use(from), soci::use(caps.terminal_claims),
            soci::into(count);
        counts.terminal_claims = count;
    }
    return counts;
}

}  // namespace patron::store
