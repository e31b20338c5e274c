// Staff passwords: PBKDF2-HMAC-SHA256 with 600,000 iterations and a fresh salt, self-describing,
// and a published PBKDF2-HMAC-SHA256 test vector.
#include "crypto/password.h"

#include <gtest/gtest.h>

#include <vector>

namespace patron::crypto {
namespace {

TEST(Passwords, AreHashedWithAFreshSaltAndVerifiedOnlyByTheRightPassword) {
    SystemRandom random;
    const std::string first = hash_password("correct horse battery", random);
    const std::string second = hash_password("correct horse battery", random);
    EXPECT_TRUE(first.starts_with("pbkdf2-sha256$" + std::to_string(password_iterations()) + "$")) << first;
#ifndef __SANITIZE_ADDRESS__
    EXPECT_EQ(password_iterations(), 600'000u) << "fewer only in the sanitized test build";
#endif
    EXPECT_GE(password_iterations(), 10'000u);
    EXPECT_NE(first, second) << "a fresh salt each time";
    EXPECT_EQ(first.find("correct"), std::string::npos);
    EXPECT_TRUE(verify_password("correct horse battery", first));
    EXPECT_TRUE(verify_password("correct horse battery", second));
    EXPECT_FALSE(verify_password("correct horse batterY", first));
    EXPECT_FALSE(verify_password("", first));
}

TEST(Passwords, AStoredTextThatIsNotOursNeverVerifies) {
    SystemRandom random;
    std::string stored = hash_password("pw-123456789012", random);
    std::string tampered = stored;
    tampered.back() = tampered.back() == '0' ? '1' : '0';
    EXPECT_FALSE(verify_password("pw-123456789012", tampered));
    for (const std::string& bad : std::vector<std::string>{
             "", "pbkdf2-sha256$", "pbkdf2-sha256$x$00$00", "pbkdf2-sha256$0$00$" + std::string(64, '0'),
             "pbkdf2-sha256$99999999999$00$" + std::string(64, '0'), "md5$1$00$00",
             "pbkdf2-sha256$1000$zz$" + std::string(64, '0')}) {
        EXPECT_FALSE(verify_password("pw-123456789012", bad)) << bad;
    }
}

TEST(Passwords, MatchAPublishedPbkdf2Vector) {
    // RFC 7914 section 11: PBKDF2-HMAC-SHA256("passwd", "salt", 1, 64); the first 32 bytes.
    EXPECT_TRUE(verify_password(
        "passwd", "pbkdf2-sha256$1$73616c74$55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"));
}

}  // namespace
}  // namespace patron::crypto
