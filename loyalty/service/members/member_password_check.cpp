#include "loyalty/service/members/member_password_check.h"

#include <soci/soci.h>

#include <optional>
#include <vector>

#include "crypto/password.h"
#include "loyalty/service/access/sign_in_attempts.h"
#include "loyalty/service/posting/member_vault.h"
#include "loyalty/store/access/sign_in_attempt_store.h"
#include "loyalty/store/members/member_sign_in_store.h"
#include "loyalty/store/members/member_store.h"

namespace patron::service {

crypto::Bytes member_login_mac(const crypto::KeyRing& keys, long long program_id, const std::string& channel,
                               const std::string& normalised) {
    return sign_in_login_mac(keys, "member:" + std::to_string(program_id) + ":" + channel + ":" + normalised);
}

core::Result<void> confirm_member_password(store::Database& database, const crypto::KeyRing& keys,
                                           const MemberIdentity& member, const std::string& password,
                                           const std::string& field, core::Timestamp now) {
    const auto wrong = [&] { return core::fail(core::ErrorCode::kUnauthenticated, "the password is wrong", field); };
    // Longer than any password can be set: refused before 600,000 iterations are spent on it.
    if (password.empty() || password.size() > crypto::kPasswordMax) return wrong();
    struct Found {
        std::vector<crypto::Bytes> logins;
        std::optional<store::MemberCredentials> credentials;
    };
    // Outside a transaction: each reservation commits on its own and stays counted unless the
    // password is right.
    auto found = database.run_for<Found>([&](soci::session& sql) -> core::Result<Found> {
        const auto record = store::find_member(sql, member.member_id);
        const auto profile = record ? open_profile(keys, *record) : std::nullopt;
        if (!record || record->program_id != member.program_id || !profile) {
            return core::fail(core::ErrorCode::kUnauthenticated, "sign in again");
        }
        Found found;
        if (profile->phone) found.logins.push_back(member_login_mac(keys, member.program_id, "sms", *profile->phone));
        if (profile->email) {
            found.logins.push_back(member_login_mac(keys, member.program_id, "email", *profile->email));
        }
        for (const crypto::Bytes& login : found.logins) {
            if (auto reserved = reserve_sign_in_attempt(sql, login, now); !reserved) {
                return std::unexpected(reserved.error());
            }
        }
        found.credentials = store::find_member_credentials(sql, member.member_id);
        return found;
    });
    if (!found) return std::unexpected(found.error());
    const auto& credentials = found->credentials;
    const bool good =
        crypto::verify_password(password, credentials ? credentials->password_hash : crypto::decoy_password_hash());
    if (!good || !credentials) return wrong();
    return database.transact([&](soci::session& sql) -> core::Result<void> {
        for (const crypto::Bytes& login : found->logins) store::clear_sign_in_attempts(sql, login);
        return {};
    });
}

}  // namespace patron::service
