#include "pos-adapter/request_signature.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include "crypto/bytes.h"
#include "tests/support/build_paths.h"

namespace patron::pos {
namespace {

// The worked example of the README ("Signing POS requests"). The expected values were computed
// independently with the openssl command line, exactly as the README shows.
constexpr const char* kSecret = "demo-secret-please-rotate";
constexpr const char* kBody = R"({"store":"S042","terminal":"T07","receipt":"1532"})";

// The README's example block, read from the README itself, so that the text users copy and this
// test cannot drift apart: the body, the body hash and the signature it prints.
TEST(RequestSignature, TheReadmeShowsThisExample) {
    std::ifstream file(patron::testing::source_dir() + "/README.md");
    std::stringstream text;
    text << file.rdbuf();
    const std::string readme = text.str();
    const std::size_t section = readme.find("## Signing POS requests");
    ASSERT_NE(section, std::string::npos);
    const std::string example = readme.substr(section, readme.find("\n## ", section + 3) - section);
    EXPECT_NE(example.find(std::string("body='") + kBody + "'"), std::string::npos);
    EXPECT_NE(example.find(std::string("-hmac '") + kSecret + "'"), std::string::npos);
    EXPECT_NE(example.find("printf 'POST\\n/v1/pos/purchases\\n1763820220\\nn0nce-0123456789abcdef\\n%s'"),
              std::string::npos);
    const std::regex printed("\n# ([0-9a-f]{64})\n");
    std::vector<std::string> hashes;
    for (auto it = std::sregex_iterator(example.begin(), example.end(), printed); it != std::sregex_iterator(); ++it) {
        hashes.push_back((*it)[1]);
    }
    ASSERT_EQ(hashes.size(), 2u) << "the body hash and the signature";
    const std::string canonical =
        canonical_request("POST", "/v1/pos/purchases", "1763820220", "n0nce-0123456789abcdef", kBody);
    EXPECT_TRUE(canonical.ends_with(hashes[0]));
    EXPECT_EQ(sign_request(crypto::as_bytes(kSecret), canonical), hashes[1]);
}

TEST(RequestSignature, TheReadmesWorkedExampleHolds) {
    const std::string canonical =
        canonical_request("POST", "/v1/pos/purchases", "1763820220", "n0nce-0123456789abcdef", kBody);
    EXPECT_EQ(canonical,
              "POST\n/v1/pos/purchases\n1763820220\nn0nce-0123456789abcdef\n"
              "5b4170a6a0fd79162d6ce43740b91052fd809bf88808a4661ae238f7e4130d4a");
    EXPECT_EQ(sign_request(crypto::as_bytes(kSecret), canonical),
              "978535f9cce0cf078f0db34d6e6ca07120cb7dde4a4ba6bd674d39dd14fb642d");
}

TEST(RequestSignature, AnEmptyBodyHashesZeroBytes) {
    EXPECT_TRUE(canonical_request("GET", "/v1/cards/7001", "1", "n", "")
                    .ends_with("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

TEST(RequestSignature, AnyChangeBreaksTheSignature) {
    const auto secret = crypto::as_bytes(kSecret);
    const std::string canonical =
        canonical_request("POST", "/v1/pos/purchases", "1763820220", "n0nce-0123456789abcdef", kBody);
    const std::string signature = sign_request(secret, canonical);
    EXPECT_TRUE(signature_matches(secret, canonical, signature));
    EXPECT_FALSE(signature_matches(
        secret, canonical_request("POST", "/v1/pos/purchases", "1763820221", "n0nce-0123456789abcdef", kBody),
        signature));
    EXPECT_FALSE(signature_matches(crypto::as_bytes("other"), canonical, signature));
    std::string upper = signature;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_FALSE(signature_matches(secret, canonical, upper)) << "lowercase hex only";
}

TEST(RequestSignature, HeadersAreCheckedForForm) {
    const std::string hex64(64, 'a');
    EXPECT_TRUE(read_signature_headers("tk_1", "1763820220", "abcdefghijklmnop", hex64).has_value());
    const auto bad_nonce = read_signature_headers("tk_1", "1763820220", "short", hex64);
    ASSERT_FALSE(bad_nonce.has_value());
    EXPECT_EQ(bad_nonce.error().field, "X-Patron-Nonce");
    EXPECT_FALSE(read_signature_headers("tk_1", "1763820220", "abcdefghijklmnop!", hex64).has_value());
    EXPECT_FALSE(read_signature_headers("tk_1", "17638x0220", "abcdefghijklmnop", hex64).has_value());
    EXPECT_FALSE(read_signature_headers(std::nullopt, "1763820220", "abcdefghijklmnop", hex64).has_value());
    EXPECT_FALSE(read_signature_headers("tk_1", "1763820220", "abcdefghijklmnop", "abc").has_value());
}

TEST(RequestSignature, TimestampsMustBeWithinFiveMinutes) {
    const core::Timestamp now{std::chrono::seconds(1'763'820'220)};
    EXPECT_TRUE(check_timestamp(1'763'820'220 + 300, now).has_value());
    EXPECT_TRUE(check_timestamp(1'763'820'220 - 300, now).has_value());
    const auto late = check_timestamp(1'763'820'220 - 301, now);
    ASSERT_FALSE(late.has_value());
    EXPECT_EQ(core::code_name(late.error().code), "TIMESTAMP_SKEW");
    EXPECT_FALSE(check_timestamp(1'763'820'220 + 301, now).has_value());
}

}  // namespace
}  // namespace patron::pos
