#include "loyalty/service/access/staff_account_service.h"

#include <soci/soci.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "crypto/password.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/staff_requests.h"
#include "loyalty/service/access/sign_in_attempts.h"
#include "loyalty/store/access/access_store.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/access/sign_in_attempt_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;
using core::StaffRole;
using nlohmann::json;

static_assert(core::kStaffPasswordMax == crypto::kPasswordMax, "a staff password the API takes can be hashed");

core::Result<store::StaffUserRecord> read_user(const json& document, long long program_id,
                                               crypto::RandomSource& random) {
    auto decoded = core::decode_new_staff_user(document);
    if (!decoded) return std::unexpected(decoded.error());
    store::StaffUserRecord user;
    user.program_id = program_id;
    user.email = decoded->email;
    user.name = decoded->name;
    user.role = decoded->role;
    user.password_hash = crypto::hash_password(decoded->password, random);
    return user;
}

}  // namespace

StaffAccountService::StaffAccountService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                                         crypto::RandomSource& random)
    : database_(database), keys_(keys), clock_(clock), random_(random) {}

core::Result<store::StaffUserRecord> StaffAccountService::add_user(long long program_id, const json& document) {
    auto user = read_user(document, program_id, random_);
    if (!user) return user;
    return database_.transact_for<store::StaffUserRecord>(
        [&](soci::session& sql) -> core::Result<store::StaffUserRecord> {
            const auto id = store::insert_staff_user(sql, *user, clock_.now());
            if (!id) return fail(ErrorCode::kStaffExists, "a staff user with this email exists", "email");
            user->id = *id;
            return *user;
        });
}

core::Result<store::StaffUserRecord> StaffAccountService::create_user(const StaffIdentity& admin,
                                                                      const json& document) {
    if (!may(admin, {StaffRole::kAdmin})) return fail(ErrorCode::kForbidden, "only admin staff create staff users");
    auto user = read_user(document, admin.program_id, random_);
    if (!user) return user;
    return database_.transact_for<store::StaffUserRecord>(
        [&](soci::session& sql) -> core::Result<store::StaffUserRecord> {
            const core::Timestamp now = clock_.now();
            const auto id = store::insert_staff_user(sql, *user, now);
            if (!id) return fail(ErrorCode::kStaffExists, "a staff user with this email exists", "email");
            user->id = *id;
            store::insert_audit(
                sql, {admin.program_id, admin.label, "staff.create", "staff_user", *id, "email,name,role,password"},
                now);
            return *user;
        });
}

core::Result<std::vector<store::StaffUserRecord>> StaffAccountService::users(const StaffIdentity& admin) {
    if (!may(admin, {StaffRole::kAdmin})) return fail(ErrorCode::kForbidden, "only admin staff list staff users");
    return database_.run_for<std::vector<store::StaffUserRecord>>(
        [&](soci::session& sql) -> core::Result<std::vector<store::StaffUserRecord>> {
            return store::staff_users_of_program(sql, admin.program_id);
        });
}

core::Result<store::StaffUserRecord> StaffAccountService::update_user(const StaffIdentity& admin, long long user_id,
                                                                      const json& changes) {
    if (!may(admin, {StaffRole::kAdmin})) return fail(ErrorCode::kForbidden, "only admin staff change staff users");
    // A document that is no object is refused before the user is looked up, as it always was.
    const auto change = core::decode_staff_user_change(changes);
    if (!changes.is_object()) return std::unexpected(change.error());
    return database_.transact_for<store::StaffUserRecord>(
        [&](soci::session& sql) -> core::Result<store::StaffUserRecord> {
            auto user = store::find_staff_user(sql, admin.program_id, user_id, true);
            if (!user) return fail(ErrorCode::kNotFound, "the program has no staff user with this id", "id");
            if (!change) return std::unexpected(change.error());
            user->name = change->name.value_or(user->name);
            const auto role = change->role ? core::parse_staff_role(*change->role) : user->role;
            user->status = change->status.value_or(user->status);
            if (user->name.empty() || user->name.size() > 100) {
                return fail(ErrorCode::kValidationFailed, "must be 1 to 100 characters", "name");
            }
            if (!role) return fail(ErrorCode::kValidationFailed, "must be admin, marketer, support or analyst", "role");
            user->role = *role;
            if (user->status != "active" && user->status != "disabled") {
                return fail(ErrorCode::kValidationFailed, "must be active or disabled", "status");
            }
            if (admin.staff_user_id == user_id && (user->status != "active" || user->role != StaffRole::kAdmin)) {
                return fail(ErrorCode::kValidationFailed, "admins cannot disable or demote themselves",
                            user->status != "active" ? "status" : "role");
            }
            store::update_staff_user(sql, *user);
            store::insert_audit(sql,
                                {admin.program_id, admin.label, "staff.update", "staff_user", user_id, change->fields},
                                clock_.now());
            return *user;
        });
}

core::Result<StaffSession> StaffAccountService::sign_in(const std::string& email, const std::string& password) {
    const auto wrong = [] {
        return fail(ErrorCode::kUnauthenticated, "the email or the password is wrong", "password");
    };
    // No user has a malformed email, an empty password or one longer than any that can be set:
    // refused at once, before 600,000 iterations are spent, and the same for every account.
    const auto normalised = core::normalise_email(email, "email");
    if (!normalised || password.empty() || password.size() > crypto::kPasswordMax) return wrong();
    const crypto::Bytes login = sign_in_login_mac(keys_, "staff:" + *normalised);
    const core::Timestamp now = clock_.now();
    auto found = database_.run_for<std::optional<store::StaffUserRecord>>(
        [&](soci::session& sql) -> core::Result<std::optional<store::StaffUserRecord>> {
            if (auto reserved = reserve_sign_in_attempt(sql, login, now); !reserved) {
                return std::unexpected(reserved.error());
            }
            return store::find_staff_user_by_email(sql, *normalised, false);
        });
    if (!found) return std::unexpected(found.error());
    const std::optional<store::StaffUserRecord>& user = *found;
    // The password is checked outside any transaction: 600,000 iterations hold no lock. The
    // attempt stays counted unless it succeeds, a disabled user's right password included.
    const bool good = crypto::verify_password(password, user ? user->password_hash : crypto::decoy_password_hash());
    if (!good || !user || user->status != "active") return wrong();
    StaffSession session{"pst_" + random_.token_hex(32), now + kStaffSessionLife, user->name, user->role};
    auto stored = database_.transact([&](soci::session& sql) -> core::Result<void> {
        store::clear_sign_in_attempts(sql, login);
        store::insert_staff_token(sql, crypto::sha256(crypto::as_bytes(session.token)),
                                  store::StaffTokenRecord{user->program_id, user->name, user->role, user->id}, now,
                                  session.expires_at);
        return {};
    });
    if (!stored) return std::unexpected(stored.error());
    return session;
}

core::Result<void> StaffAccountService::sign_out(const std::string& token) {
    return database_.transact([&](soci::session& sql) -> core::Result<void> {
        store::delete_staff_token(sql, crypto::sha256(crypto::as_bytes(token)));
        return {};
    });
}

json staff_user_document(const store::StaffUserRecord& user) {
    return {{"id", user.id},
            {"email", user.email},
            {"name", user.name},
            {"role", core::to_string(user.role)},
            {"status", user.status}};
}

}  // namespace patron::service
