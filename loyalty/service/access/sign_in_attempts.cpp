#include "loyalty/service/access/sign_in_attempts.h"

#include "crypto/blind_index.h"
#include "loyalty/service/runtime/forget_in_batches.h"
#include "loyalty/store/access/sign_in_attempt_store.h"

namespace patron::service {
namespace {

constexpr int kPurgeBatch = 5000;

}  // namespace

crypto::Bytes sign_in_login_mac(const crypto::KeyRing& keys, std::string_view login) {
    // A domain of its own, so these indexes never match the member lookups' phone and email ones.
    return crypto::blind_index(keys, "sign_in_attempt", login);
}

core::Result<void> reserve_sign_in_attempt(soci::session& sql, const crypto::Bytes& login_mac, core::Timestamp now) {
    const auto reservation = store::reserve_sign_in_attempt(sql, login_mac, kSignInFailuresMax, now, now + kSignInLock);
    if (reservation.granted) return {};
    core::Error locked{core::ErrorCode::kTooManyAttempts,
                       "too many wrong passwords; try again after " +
                           core::format_utc(reservation.locked_until, core::TimeFormat::kRfc3339),
                       ""};
    locked.retry_at = reservation.locked_until;
    return std::unexpected(std::move(locked));
}

core::Result<long long> forget_old_sign_in_attempts(store::Database& database, core::Timestamp now) {
    return forget_in_batches(database, kPurgeBatch, [&](soci::session& sql, int limit) {
        return store::purge_sign_in_attempts(sql, now - kSignInAttemptsKept, limit);
    });
}

}  // namespace patron::service
