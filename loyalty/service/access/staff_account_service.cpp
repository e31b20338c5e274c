#include "loyalty/service/access/staff_account_service.h"

#include <soci/soci.h>

#include <algorithm>

#include "crypto/digest.h"
#include "crypto/password.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/service/access/sign_in_attempts.h"
#include "loyalty/store/access/access_store.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/access/sign_in_attempt_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;
using core::StaffRole;

static_assert(core::kStaffPasswordMax == crypto::kPasswordMax, "a staff password the API takes can be hashed");

store::StaffUserRecord record_of(const core::NewStaffUser& user, long long program_id, crypto::RandomSource& random) {
    store::StaffUserRecord record;
    record.program_id = program_id;
    record.email = user.email;
    record.name = user.name;
    record.role = user.role;
    record.password_hash = crypto::hash_password(user.password, random);
    return record;
}

}  // namespace

StaffAccountService::StaffAccountService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                                         crypto::RandomSource& random)
    : database_(database), keys_(keys), clock_(clock), random_(random) {}

core::Result<store::StaffUserRecord> StaffAccountService::add_user(long long program_id,
                                                                   const core::NewStaffUser& user) {
    store::StaffUserRecord record = record_of(user, program_id, random_);
    return database_.transact_for<store::StaffUserRecord>(
        [&](soci::session& sql) -> core::Result<store::StaffUserRecord> {
            const auto id = store::insert_staff_user(sql, record, clock_.now());
            if (!id) return fail(ErrorCode::kStaffExists, "a staff user with this email exists", "email");
            record.id = *id;
            return record;
        });
}

core::Result<store::StaffUserRecord> StaffAccountService::create_user(const StaffIdentity& admin,
                                                                      const core::NewStaffUser& user) {
    if (!may(admin, {StaffRole::kAdmin})) return fail(ErrorCode::kForbidden, "only admin staff create staff users");
    store::StaffUserRecord record = record_of(user, admin.program_id, random_);
    return database_.transact_for<store::StaffUserRecord>(
        [&](soci::session& sql) -> core::Result<store::StaffUserRecord> {
            const core::Timestamp now = clock_.now();
            const auto id = store::insert_staff_user(sql, record, now);
            if (!id) return fail(ErrorCode::kStaffExists, "a staff user with this email exists", "email");
            record.id = *id;
            store::insert_audit(sql, keys_,
                                {admin.program_id, audit_actor(admin), core::AuditAction::kStaffCreate, "staff_user",
                                 *id, "email,name,role,password"},
                                now);
            return record;
        });
}

core::Result<std::vector<store::StaffUserRecord>> StaffAccountService::users(const StaffIdentity& admin) {
    if (!may(admin, {StaffRole::kAdmin})) return fail(ErrorCode::kForbidden, "only admin staff list staff users");
    return database_.run_for<std::vector<store::StaffUserRecord>>(
        [&](soci::session& sql) -> core::Result<std::vector<store::StaffUserRecord>> {
            return store::staff_users_of_program(sql, admin.program_id);
        });
}

core::Result<store::StaffUserRecord> StaffAccountService::update_user(
    const StaffIdentity& admin, long long user_id, const core::Result<core::StaffUserChange>& change) {
    if (!may(admin, {StaffRole::kAdmin})) return fail(ErrorCode::kForbidden, "only admin staff change staff users");
    return database_.transact_for<store::StaffUserRecord>(
        [&](soci::session& sql) -> core::Result<store::StaffUserRecord> {
            auto user = store::find_staff_user(sql, admin.program_id, user_id, true);
            if (!user) return fail(ErrorCode::kNotFound, "the program has no staff user with this id", "id");
            if (!change) return std::unexpected(change.error());
            user->name = change->name.value_or(user->name);
            const auto role = change->role ? core::parse_staff_role(*change->role) : user->role;
            user->status = change->status.value_or(user->status);
            if (user->name.empty() || user->name.size() > 100) {
                return fail(ErrorCode::kValidationFailed, "must be 1 to 100 characters", "name",
                            core::short_text(user->name.size(), 1, 100));
            }
            if (!role)
                return fail(ErrorCode::kValidationFailed, "must be admin, marketer, support or analyst", "role",
                            core::reason(core::ReasonKind::kOneOf));
            user->role = *role;
            if (user->status != "active" && user->status != "disabled") {
                return fail(ErrorCode::kValidationFailed, "must be active or disabled", "status",
                            core::reason(core::ReasonKind::kOneOf));
            }
            if (admin.staff_user_id == user_id && (user->status != "active" || user->role != StaffRole::kAdmin)) {
                return fail(ErrorCode::kValidationFailed, "admins cannot disable or demote themselves",
                            user->status != "active" ? "status" : "role");
            }
            store::update_staff_user(sql, *user);
            store::insert_audit(sql, keys_,
                                {admin.program_id, audit_actor(admin), core::AuditAction::kStaffUpdate, "staff_user",
                                 user_id, change->fields},
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

}  // namespace patron::service
