// Members signing in, against a real MariaDB on the service clock: one-time codes live 10
// minutes, are single use, die after 5 wrong tries (checked before any password is hashed) and
// only the newest works; a reset ends the member's other sessions; wrong passwords lock sign-in,
// for a phone that is nobody's exactly as for a member's, and ten parallel guesses give five 401s
// and five 429s; a phone that is nobody's gets the same answer and no message; erasure takes the
// member's sign-in away with everything else.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "loyalty/core/sign_in_requests.h"
#include "loyalty/service/members/member_privacy_service.h"
#include "loyalty/service/members/member_sign_in_service.h"
#include "tests/support/same_refusal.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using core::ErrorCode;
using testing::expect_same_refusal;

using testing::RecordingNotifier;

// Counts what a service draws: hashing a password draws its salt.
class CountingRandom final : public crypto::RandomSource {
  public:
    void fill(std::span<std::uint8_t> out) override {
        ++draws;
        system.fill(out);
    }
    crypto::SystemRandom system;
    int draws = 0;
};

class MemberSignInTest : public ::testing::Test {
  protected:
    // Sara's phone as she typed it.
    static core::MemberContact contact() { return {.program = "TEST", .phone = "0912 345 6789"}; }
    static core::MemberSignInRequest with_code(const std::string& code, const std::string& password) {
        return {contact(), code, password};
    }
    std::string new_code() {
        const auto delivery = sign_in.send_code(contact());
        EXPECT_TRUE(delivery.has_value() && delivery->sent);
        return notifier.sent.empty() ? "" : notifier.sent.back().code;
    }
    // A code that is not `code`.
    static std::string other_than(const std::string& code) { return code == "000000" ? "000001" : "000000"; }

    testing::TestWorld world;
    RecordingNotifier notifier;
    service::MemberSignInService sign_in{world.db.database(), world.keys, world.clock, world.random, notifier};
    service::EnrolledMember sara = world.enrol("Sara Karimi", "09123456789", "Sara@Example.ir");
};

TEST_F(MemberSignInTest, ACodeSetsThePasswordOnceAndThePasswordSignsIn) {
    const std::string code = new_code();
    ASSERT_EQ(notifier.sent.size(), 1U);
    EXPECT_EQ(notifier.sent[0].channel, "sms");
    EXPECT_EQ(notifier.sent[0].to, "+989123456789");
    EXPECT_EQ(notifier.sent[0].purpose, "activate");
    EXPECT_EQ(code.size(), 6U);
    EXPECT_EQ(notifier.sent[0].expires_at, world.clock.now() + std::chrono::minutes(10));

    const auto session = sign_in.set_password(with_code(code, "a long secret"));
    ASSERT_TRUE(session.has_value()) << session.error().message;
    EXPECT_EQ(session->member_id, sara.id);
    EXPECT_TRUE(session->token.starts_with("pmt_"));
    EXPECT_EQ(world.access.member_by_token(session->token)->member_id, sara.id);

    const auto again = sign_in.set_password(with_code(code, "another secret"));
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code, ErrorCode::kCodeInvalid) << "single use";

    const auto signed_in = sign_in.sign_in({.program = "TEST", .email = "sara@example.IR"}, "a long secret");
    ASSERT_TRUE(signed_in.has_value()) << signed_in.error().message;
    EXPECT_EQ(signed_in->member_id, sara.id);
    ASSERT_TRUE(sign_in.sign_out(signed_in->token).has_value());
    EXPECT_EQ(world.access.member_by_token(signed_in->token).error().code, ErrorCode::kUnauthenticated);
}

TEST_F(MemberSignInTest, AWrongCodeIsAnsweredBeforeAnyPasswordIsHashed) {
    const std::string code = new_code();
    CountingRandom random;
    service::MemberSignInService counted{world.db.database(), world.keys, world.clock, random, notifier};
    const auto wrong = counted.set_password(with_code(other_than(code), "a long secret"));
    ASSERT_FALSE(wrong.has_value());
    EXPECT_EQ(wrong.error().code, ErrorCode::kCodeInvalid);
    const auto stranger = counted.set_password({{.program = "TEST", .phone = "09350000000"}, code, "a long secret"});
    ASSERT_FALSE(stranger.has_value());
    EXPECT_EQ(stranger.error().code, ErrorCode::kCodeInvalid);
    EXPECT_EQ(random.draws, 0) << "no salt was drawn: nothing was hashed";
    ASSERT_TRUE(counted.set_password(with_code(code, "a long secret")).has_value());
    EXPECT_GT(random.draws, 0);
}

TEST_F(MemberSignInTest, ACodeExpiresAfterTenMinutes) {
    const std::string code = new_code();
    world.clock.set(world.clock.now() + std::chrono::minutes(10) + std::chrono::seconds(1));
    const auto late = sign_in.set_password(with_code(code, "a long secret"));
    ASSERT_FALSE(late.has_value());
    EXPECT_EQ(late.error().code, ErrorCode::kCodeInvalid);
    EXPECT_EQ(late.error().field, "code");
}

TEST_F(MemberSignInTest, FiveWrongTriesKillTheCodeAndOnlyTheNewestCodeWorks) {
    const std::string first = new_code();
    const std::string code = new_code();
    const auto stale = sign_in.set_password(with_code(first == code ? other_than(code) : first, "a long secret"));
    EXPECT_FALSE(stale.has_value()) << "a newer code replaced it";
    // That try counted against the live code: four more wrong ones end it.
    for (int attempt = 2; attempt <= 5; ++attempt) {
        const auto wrong = sign_in.set_password(with_code(other_than(code), "a long secret"));
        ASSERT_FALSE(wrong.has_value());
        EXPECT_EQ(wrong.error().code, ErrorCode::kCodeInvalid);
        if (attempt < 5) {
            EXPECT_NE(wrong.error().message.find(std::to_string(5 - attempt) + " tries left"), std::string::npos)
                << wrong.error().message;
        }
    }
    const auto right_but_dead = sign_in.set_password(with_code(code, "a long secret"));
    ASSERT_FALSE(right_but_dead.has_value());
    EXPECT_EQ(right_but_dead.error().code, ErrorCode::kCodeInvalid);
}

TEST_F(MemberSignInTest, AResetEndsEveryOtherSessionAndWrongPasswordsLockSignIn) {
    const auto first = sign_in.set_password(with_code(new_code(), "first secret"));
    ASSERT_TRUE(first.has_value());
    const std::string reset_code = new_code();
    EXPECT_EQ(notifier.sent.back().purpose, "reset");
    const auto reset = sign_in.set_password(with_code(reset_code, "second secret"));
    ASSERT_TRUE(reset.has_value());
    EXPECT_FALSE(world.access.member_by_token(first->token).has_value()) << "the old session ended";
    EXPECT_TRUE(world.access.member_by_token(reset->token).has_value());

    EXPECT_EQ(sign_in.sign_in(contact(), "first secret").error().code, ErrorCode::kUnauthenticated);
    for (int i = 0; i < 4; ++i) (void)sign_in.sign_in(contact(), "wrong");
    const auto locked = sign_in.sign_in(contact(), "second secret");
    ASSERT_FALSE(locked.has_value());
    EXPECT_EQ(locked.error().code, ErrorCode::kTooManyAttempts);
    world.clock.set(world.clock.now() + std::chrono::minutes(16));
    EXPECT_TRUE(sign_in.sign_in(contact(), "second secret").has_value());
}

TEST_F(MemberSignInTest, AStrangersPhoneFailsAndLocksExactlyLikeAMembers) {
    ASSERT_TRUE(sign_in.set_password(with_code(new_code(), "a long secret")).has_value());
    const core::MemberContact stranger{.program = "TEST", .phone = "0935 000 0000"};
    for (int attempt = 1; attempt <= 5; ++attempt) {
        expect_same_refusal(sign_in.sign_in(contact(), "not the password"),
                            sign_in.sign_in(stranger, "not the password"), ErrorCode::kUnauthenticated);
    }
    expect_same_refusal(sign_in.sign_in(contact(), "a long secret"), sign_in.sign_in(stranger, "not the password"),
                        ErrorCode::kTooManyAttempts);
    EXPECT_TRUE(sign_in.sign_in({.program = "TEST", .email = "sara@example.ir"}, "a long secret").has_value())
        << "the email is another name, with a count of its own";
}

TEST_F(MemberSignInTest, TenParallelWrongPasswordsAreFiveCheckedAndFiveLockedOut) {
    ASSERT_TRUE(sign_in.set_password(with_code(new_code(), "a long secret")).has_value());
    std::vector<std::optional<ErrorCode>> outcomes(10);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        threads.emplace_back([&, i] {
            const auto signed_in = sign_in.sign_in(contact(), "not the password");
            if (!signed_in) outcomes[i] = signed_in.error().code;
        });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), ErrorCode::kUnauthenticated), 5);
    EXPECT_EQ(std::count(outcomes.begin(), outcomes.end(), ErrorCode::kTooManyAttempts), 5);
}

TEST_F(MemberSignInTest, ACodeThatSetsThePasswordLiftsTheLock) {
    for (int attempt = 1; attempt <= 5; ++attempt) (void)sign_in.sign_in(contact(), "guess");
    EXPECT_EQ(sign_in.sign_in(contact(), "guess").error().code, ErrorCode::kTooManyAttempts);
    ASSERT_TRUE(sign_in.set_password(with_code(new_code(), "a long secret")).has_value());
    EXPECT_TRUE(sign_in.sign_in(contact(), "a long secret").has_value());
}

TEST_F(MemberSignInTest, StrangersGetTheSameAnswerAndNoMessage) {
    const auto stranger = sign_in.send_code({.program = "TEST", .phone = "09350000000"});
    ASSERT_TRUE(stranger.has_value());
    EXPECT_FALSE(stranger->sent);
    EXPECT_TRUE(notifier.sent.empty());
    const auto no_password = sign_in.sign_in({.program = "TEST", .phone = "09350000000"}, "x");
    EXPECT_EQ(no_password.error().code, ErrorCode::kUnauthenticated);
    const auto not_activated = sign_in.sign_in(contact(), "anything at all");
    EXPECT_EQ(not_activated.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(sign_in.send_code({.program = "TEST", .phone = "12"}).error().field, "phone");
    EXPECT_EQ(sign_in.send_code({.program = "NOPE", .phone = "09123456789"}).error().field, "program");
    // The code's and the password's form are checked where the request is read, before the service.
    const auto refused_field = [](const char* code, const char* password) {
        return core::decode_member_password(
                   {{"program", "TEST"}, {"phone", "0912 345 6789"}, {"code", code}, {"password", password}})
            .error()
            .field;
    };
    EXPECT_EQ(refused_field("12345", "a long secret"), "code");
    EXPECT_EQ(refused_field("123456", "short"), "password");
}

TEST_F(MemberSignInTest, AtMostFiveCodesAnHourAreSent) {
    for (int i = 0; i < 7; ++i) ASSERT_TRUE(sign_in.send_code(contact()).has_value());
    EXPECT_EQ(notifier.sent.size(), 5U);
    world.clock.set(world.clock.now() + std::chrono::minutes(61));
    ASSERT_TRUE(sign_in.send_code(contact()).has_value());
    EXPECT_EQ(notifier.sent.size(), 6U);
}

TEST_F(MemberSignInTest, ErasureEndsTheMembersSignIn) {
    const auto session = sign_in.set_password(with_code(new_code(), "a long secret"));
    ASSERT_TRUE(session.has_value());
    service::MemberPrivacyService privacy(world.db.database(), world.keys, world.clock);
    ASSERT_TRUE(privacy.erase({world.program_id, "admin", core::StaffRole::kAdmin}, sara.id).has_value());
    EXPECT_FALSE(world.access.member_by_token(session->token).has_value());
    EXPECT_EQ(sign_in.sign_in(contact(), "a long secret").error().code, ErrorCode::kUnauthenticated);
}

}  // namespace
}  // namespace patron
