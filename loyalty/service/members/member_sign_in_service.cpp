#include "loyalty/service/members/member_sign_in_service.h"

#include "crypto/blind_index.h"
#include "crypto/digest.h"
#include "crypto/password.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/service/access/sign_in_attempts.h"
#include "loyalty/service/members/member_password_check.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/access/sign_in_attempt_store.h"
#include "loyalty/store/members/member_sign_in_store.h"
#include "loyalty/store/members/member_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

static_assert(core::kMemberPasswordMax == crypto::kPasswordMax, "a member password the API takes can be hashed");

// The program and the normalised phone or email a request names.
struct Contact {
    store::ProgramRecord program;
    std::string channel;  // "sms" or "email"
    std::string to;
};

core::Result<Contact> contact_of(soci::session& sql, const core::MemberContact& sent) {
    if (sent.program.empty()) return fail(ErrorCode::kValidationFailed, "name the program by its code", "program");
    auto program = store::find_program_by_code(sql, sent.program);
    if (!program) return fail(ErrorCode::kNotFound, "no program has this code", "program");
    const std::string& phone = sent.phone;
    const std::string& email = sent.email;
    if (phone.empty() == email.empty()) {
        return fail(ErrorCode::kValidationFailed, "send either a phone or an email", phone.empty() ? "phone" : "email");
    }
    if (!phone.empty()) {
        auto normalised = core::normalise_phone(phone, program->country_calling_code, "phone");
        if (!normalised) return std::unexpected(normalised.error());
        return Contact{std::move(*program), "sms", std::move(*normalised)};
    }
    auto normalised = core::normalise_email(email, "email");
    if (!normalised) return std::unexpected(normalised.error());
    return Contact{std::move(*program), "email", std::move(*normalised)};
}

// The active member with this phone or email, found through its blind index.
std::optional<store::MemberRecord> member_of(soci::session& sql, const crypto::KeyRing& keys, const Contact& contact) {
    const bool phone = contact.channel == "sms";
    const auto id =
        store::find_lookup(sql, contact.program.id, phone ? store::LookupKind::kPhone : store::LookupKind::kEmail,
                           crypto::blind_index(keys, phone ? "phone" : "email", contact.to));
    if (!id) return std::nullopt;
    auto member = store::find_member(sql, *id);
    if (!member || member->status != core::MemberStatus::kActive) return std::nullopt;
    return member;
}

// The name sign-in attempts are counted under: the same phone or email in another program is
// another name.
crypto::Bytes login_mac(const crypto::KeyRing& keys, const Contact& contact) {
    return member_login_mac(keys, contact.program.id, contact.channel, contact.to);
}

crypto::Bytes code_mac(const crypto::KeyRing& keys, long long member_id, const std::string& code) {
    return crypto::blind_index(keys, "member_code", std::to_string(member_id) + ":" + code);
}

MemberSession open_session(soci::session& sql, const store::MemberRecord& member, crypto::RandomSource& random,
                           core::Timestamp now) {
    MemberSession session{"pmt_" + random.token_hex(32), now + kMemberSessionLife, member.id};
    store::insert_member_token(sql, crypto::sha256(crypto::as_bytes(session.token)), {member.id, member.program_id},
                               now, session.expires_at);
    return session;
}

// A set_password code check: the member whose code it was (the code is used up), or the tries
// the code has left (0 when there is no live code).
struct CodeCheck {
    std::optional<store::MemberRecord> member;
    crypto::Bytes login;  // The name the code went to, whose sign-in lock the code lifts.
    int tries_left = 0;
};

}  // namespace

MemberSignInService::MemberSignInService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                                         crypto::RandomSource& random, Notifier& notifier)
    : database_(database), keys_(keys), clock_(clock), random_(random), notifier_(notifier) {}

core::Result<CodeDelivery> MemberSignInService::send_code(const core::MemberContact& sent) {
    const core::Timestamp now = clock_.now();
    auto pending = database_.transact_for<std::optional<OneTimeCodeMessage>>(
        [&](soci::session& sql) -> core::Result<std::optional<OneTimeCodeMessage>> {
            auto contact = contact_of(sql, sent);
            if (!contact) return std::unexpected(contact.error());
            const auto member = member_of(sql, keys_, *contact);
            if (!member) return std::optional<OneTimeCodeMessage>{};
            if (store::member_codes_since(sql, member->id, now - std::chrono::hours(1)) >= kMemberCodesPerHourMax) {
                return std::optional<OneTimeCodeMessage>{};
            }
            const std::string code = random_.digits(core::kMemberCodeDigits);
            const std::string purpose = store::find_member_credentials(sql, member->id) ? "reset" : "activate";
            store::insert_member_code(sql, {0, member->id, purpose, code_mac(keys_, member->id, code), 0}, now,
                                      now + kMemberCodeLife);
            return OneTimeCodeMessage{contact->channel,
                                      contact->to,
                                      code,
                                      purpose,
                                      contact->program.code,
                                      member->language.value_or(contact->program.language),
                                      now + kMemberCodeLife};
        });
    if (!pending) return std::unexpected(pending.error());
    if (!*pending) return CodeDelivery{};
    const auto delivered = notifier_.send(**pending);
    return CodeDelivery{delivered.has_value(), delivered ? std::string() : delivered.error().message};
}

core::Result<MemberSession> MemberSignInService::set_password(const core::MemberSignInRequest& request) {
    const std::string& code = request.code;
    const core::Timestamp now = clock_.now();
    // The code is checked, and used up, before the password is hashed: a wrong code costs no
    // hashing, and the 600,000 iterations hold no lock.
    auto checked = database_.transact_for<CodeCheck>([&](soci::session& sql) -> core::Result<CodeCheck> {
        auto contact = contact_of(sql, request.contact);
        if (!contact) return std::unexpected(contact.error());
        auto member = member_of(sql, keys_, *contact);
        if (!member) return CodeCheck{};
        const auto live = store::live_member_code(sql, member->id, kMemberCodeTriesMax, now);
        if (!live) return CodeCheck{};
        if (!crypto::constant_time_equal(live->code_mac, code_mac(keys_, member->id, code))) {
            store::count_member_code_attempt(sql, live->id);  // Committed: the try counts.
            return CodeCheck{std::nullopt, {}, kMemberCodeTriesMax - live->attempts - 1};
        }
        store::use_member_code(sql, live->id, now);
        return CodeCheck{std::move(member), login_mac(keys_, *contact), 0};
    });
    if (!checked) return std::unexpected(checked.error());
    if (!checked->member) {
        return fail(ErrorCode::kCodeInvalid,
                    checked->tries_left > 0
                        ? "the code is wrong; " + std::to_string(checked->tries_left) + " tries left"
                        : "the code is wrong, used or expired; ask for a new one",
                    "code");
    }
    const std::string password_hash = crypto::hash_password(request.password, random_);
    const store::MemberRecord& member = *checked->member;
    return database_.transact_for<MemberSession>([&](soci::session& sql) -> core::Result<MemberSession> {
        store::save_member_password(sql, member.id, password_hash, now);
        store::clear_sign_in_attempts(sql, checked->login);
        store::delete_member_tokens(sql, member.id);
        return open_session(sql, member, random_, now);
    });
}

core::Result<MemberSession> MemberSignInService::sign_in(const core::MemberContact& sent, const std::string& password) {
    const auto wrong = [] {
        return fail(ErrorCode::kUnauthenticated, "the phone, email or password is wrong", "password");
    };
    // Longer than any password can be set: refused before 600,000 iterations are spent on it.
    if (password.empty() || password.size() > crypto::kPasswordMax) return wrong();
    const core::Timestamp now = clock_.now();
    struct Found {
        crypto::Bytes login;
        std::optional<store::MemberRecord> member;
        std::optional<store::MemberCredentials> credentials;
    };
    auto found = database_.run_for<Found>([&](soci::session& sql) -> core::Result<Found> {
        auto contact = contact_of(sql, sent);
        if (!contact) return std::unexpected(contact.error());
        Found found{login_mac(keys_, *contact), std::nullopt, std::nullopt};
        if (auto reserved = reserve_sign_in_attempt(sql, found.login, now); !reserved) {
            return std::unexpected(reserved.error());
        }
        found.member = member_of(sql, keys_, *contact);
        if (found.member) found.credentials = store::find_member_credentials(sql, found.member->id);
        return found;
    });
    if (!found) return std::unexpected(found.error());
    const auto& [login, member, credentials] = *found;
    // The attempt stays counted unless it succeeds; a stranger's costs the same hashing.
    const bool good =
        crypto::verify_password(password, credentials ? credentials->password_hash : crypto::decoy_password_hash());
    if (!good || !credentials) return wrong();
    return database_.transact_for<MemberSession>([&](soci::session& sql) -> core::Result<MemberSession> {
        store::clear_sign_in_attempts(sql, login);
        return open_session(sql, *member, random_, now);
    });
}

core::Result<void> MemberSignInService::change_password(const MemberIdentity& member, const std::string& token,
                                                        const core::MemberPasswordChange& change) {
    const core::Timestamp now = clock_.now();
    if (auto confirmed =
            confirm_member_password(database_, keys_, member, change.current_password, "current_password", now);
        !confirmed) {
        return confirmed;
    }
    const std::string password_hash = crypto::hash_password(change.new_password, random_);
    return database_.transact([&](soci::session& sql) -> core::Result<void> {
        store::save_member_password(sql, member.member_id, password_hash, now);
        store::delete_member_tokens_except(sql, member.member_id, crypto::sha256(crypto::as_bytes(token)));
        store::insert_audit(sql, keys_,
                            {member.program_id,
                             {store::kMemberActor},
                             core::AuditAction::kMemberPassword,
                             "member",
                             member.member_id,
                             "password"},
                            now);
        return {};
    });
}

core::Result<void> MemberSignInService::sign_out(const std::string& token) {
    return database_.transact([&](soci::session& sql) -> core::Result<void> {
        store::delete_member_token(sql, crypto::sha256(crypto::as_bytes(token)));
        return {};
    });
}

}  // namespace patron::service
