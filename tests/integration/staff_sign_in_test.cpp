// Staff sign-in against a real MariaDB on the service clock: failures are counted per email
// whether or not a user has it, so an unknown email fails and locks exactly like a real one;
// attempts are reserved before the password is hashed, so ten parallel wrong passwords give five
// 401s and five 429s; the right password clears the count, a disabled user's does not; only a
// keyed HMAC of the email is kept; a day without tries forgets the name.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <thread>

#include "loyalty/service/access/sign_in_attempts.h"
#include "loyalty/service/access/staff_account_service.h"
#include "tests/support/same_refusal.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using core::ErrorCode;
using testing::expect_same_refusal;

constexpr const char* kEmail = "nasrin@staff.example";
constexpr const char* kPassword = "correct horse nasrin";

class StaffSignInTest : public ::testing::Test {
  protected:
    StaffSignInTest() {
        const auto user = accounts.add_user(
            world.program_id,
            {.email = kEmail, .name = "Nasrin", .role = core::StaffRole::kSupport, .password = kPassword});
        EXPECT_TRUE(user.has_value());
        user_id = user ? user->id : 0;
    }
    // The error codes of `count` sign-ins with `password` for `email`, all at once.
    std::map<ErrorCode, int> parallel_sign_ins(const std::string& email, const std::string& password, int count) {
        std::vector<std::optional<ErrorCode>> outcomes(count);
        std::vector<std::thread> threads;
        for (int i = 0; i < count; ++i) {
            threads.emplace_back([&, i] {
                const auto signed_in = accounts.sign_in(email, password);
                if (!signed_in) outcomes[i] = signed_in.error().code;
            });
        }
        for (std::thread& thread : threads) thread.join();
        std::map<ErrorCode, int> counted;
        for (const auto& outcome : outcomes) ++counted[outcome.value_or(ErrorCode::kInternal)];
        return counted;
    }

    testing::TestWorld world;
    service::StaffAccountService accounts{world.db.database(), world.keys, world.clock, world.random};
    long long user_id = 0;
};

TEST_F(StaffSignInTest, AnUnknownEmailFailsAndLocksExactlyLikeAUsersEmail) {
    for (int attempt = 1; attempt <= 5; ++attempt) {
        expect_same_refusal(accounts.sign_in(kEmail, "not the password"),
                            accounts.sign_in("nobody@staff.example", "not the password"), ErrorCode::kUnauthenticated);
    }
    // Locked even with the right password; the unknown name is the same name, normalised.
    expect_same_refusal(accounts.sign_in(kEmail, kPassword),
                        accounts.sign_in("Nobody@Staff.Example", "not the password"), ErrorCode::kTooManyAttempts);

    world.clock.set(world.clock.now() + service::kSignInLock + std::chrono::seconds(1));
    EXPECT_TRUE(accounts.sign_in(kEmail, kPassword).has_value()) << "the lock ended";
}

TEST_F(StaffSignInTest, TenParallelWrongPasswordsAreFiveCheckedAndFiveLockedOut) {
    const auto counted = parallel_sign_ins(kEmail, "not the password", 10);
    EXPECT_EQ(counted.size(), 2U);
    EXPECT_EQ(counted.count(ErrorCode::kUnauthenticated) ? counted.at(ErrorCode::kUnauthenticated) : 0, 5);
    EXPECT_EQ(counted.count(ErrorCode::kTooManyAttempts) ? counted.at(ErrorCode::kTooManyAttempts) : 0, 5);
    EXPECT_EQ(accounts.sign_in(kEmail, kPassword).error().code, ErrorCode::kTooManyAttempts);
}

TEST_F(StaffSignInTest, TenParallelGuessesAtAnUnknownEmailAreCountedTheSame) {
    const auto counted = parallel_sign_ins("nobody@staff.example", "not the password", 10);
    EXPECT_EQ(counted.size(), 2U);
    EXPECT_EQ(counted.count(ErrorCode::kUnauthenticated) ? counted.at(ErrorCode::kUnauthenticated) : 0, 5);
    EXPECT_EQ(counted.count(ErrorCode::kTooManyAttempts) ? counted.at(ErrorCode::kTooManyAttempts) : 0, 5);
}

TEST_F(StaffSignInTest, TheRightPasswordClearsTheCountButADisabledUsersDoesNot) {
    for (int attempt = 1; attempt <= 4; ++attempt) ASSERT_FALSE(accounts.sign_in(kEmail, "wrong").has_value());
    ASSERT_TRUE(accounts.sign_in(kEmail, kPassword).has_value());
    for (int attempt = 1; attempt <= 4; ++attempt) {
        EXPECT_EQ(accounts.sign_in(kEmail, "wrong").error().code, ErrorCode::kUnauthenticated) << attempt;
    }
    ASSERT_TRUE(accounts.sign_in(kEmail, kPassword).has_value()) << "the fifth reservation may be the right one";

    const service::StaffIdentity admin{world.program_id, "admin", core::StaffRole::kAdmin};
    ASSERT_TRUE(
        accounts.update_user(admin, user_id, core::decode_staff_user_change({{"status", "disabled"}})).has_value());
    for (int attempt = 1; attempt <= 5; ++attempt) {
        const auto disabled = accounts.sign_in(kEmail, kPassword);
        ASSERT_FALSE(disabled.has_value());
        EXPECT_EQ(disabled.error().code, ErrorCode::kUnauthenticated) << attempt;
    }
    EXPECT_EQ(accounts.sign_in(kEmail, kPassword).error().code, ErrorCode::kTooManyAttempts);
}

TEST_F(StaffSignInTest, OnlyAKeyedHashOfTheEmailIsKeptAndADayWithoutTriesForgetsIt) {
    ASSERT_FALSE(accounts.sign_in("nobody@staff.example", "not the password").has_value());
    ASSERT_FALSE(accounts.sign_in(" Nasrin@STAFF.example", "not the password").has_value());
    EXPECT_EQ(world.db.count("sign_in_attempts"), 2);
    const std::string mac = crypto::to_hex(service::sign_in_login_mac(world.keys, std::string("staff:") + kEmail));
    int failures = 0;
    world.db.raw() << "SELECT failures FROM sign_in_attempts WHERE login_mac = UNHEX(:mac)", soci::into(failures),
        soci::use(mac);
    EXPECT_EQ(failures, 1) << "counted under the HMAC of the normalised email";

    EXPECT_EQ(service::forget_old_sign_in_attempts(world.db.database(), world.clock.now()).value(), 0);
    const auto day_later = world.clock.now() + service::kSignInAttemptsKept + std::chrono::seconds(1);
    EXPECT_EQ(service::forget_old_sign_in_attempts(world.db.database(), day_later).value(), 2);
    EXPECT_EQ(world.db.count("sign_in_attempts"), 0);
}

}  // namespace
}  // namespace patron
