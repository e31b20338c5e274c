#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "crypto/aead.h"
#include "crypto/blind_index.h"
#include "crypto/chain_mac.h"
#include "crypto/digest.h"
#include "crypto/envelope.h"
#include "crypto/key_ring.h"

namespace patron::crypto {
namespace {

KeyRing test_ring() {
    SystemRandom random;
    return KeyRing::parse(KeyRing::generate(random, "mk1")).value();
}

TEST(Aead, SealedTextOpensOnlyWithTheSameKeyAndBinding) {
    SystemRandom random;
    const SecretBytes key = new_data_key(random);
    const Bytes sealed = seal(key, as_bytes("Sara Karimi"), "members.full_name:7", random);
    const auto opened = open(key, sealed, "members.full_name:7");
    ASSERT_TRUE(opened.has_value());
    EXPECT_EQ(as_string(opened->view()), "Sara Karimi");
    EXPECT_FALSE(open(key, sealed, "members.full_name:8").has_value()) << "copied to another member";
    EXPECT_FALSE(open(key, sealed, "members.email:7").has_value()) << "copied to another column";
    EXPECT_FALSE(open(new_data_key(random), sealed, "members.full_name:7").has_value()) << "another key";
    Bytes tampered = sealed;
    tampered[tampered.size() / 2] ^= 0x01;
    EXPECT_FALSE(open(key, tampered, "members.full_name:7").has_value()) << "tampered";
    EXPECT_FALSE(open(key, Bytes(10, 0), "members.full_name:7").has_value()) << "truncated";
}

TEST(Aead, EveryEncryptionUsesAFreshNonce) {
    SystemRandom random;
    const SecretBytes key = new_data_key(random);
    std::set<Bytes> nonces;
    for (int i = 0; i < 1000; ++i) {
        const Bytes sealed = seal(key, as_bytes("same text"), "x", random);
        nonces.insert(Bytes(sealed.begin() + 1, sealed.begin() + 13));
    }
    EXPECT_EQ(nonces.size(), 1000U);
}

TEST(Envelope, DataKeysUnwrapOnlyWithTheirMasterKeyAndBinding) {
    SystemRandom random;
    const KeyRing ring = test_ring();
    const SecretBytes data_key = new_data_key(random);
    const WrappedKey wrapped = wrap_data_key(ring, data_key, "members.data_key:1", random);
    EXPECT_EQ(wrapped.master_key_id, "mk1");
    const auto unwrapped = unwrap_data_key(ring, wrapped, "members.data_key:1");
    ASSERT_TRUE(unwrapped.has_value());
    EXPECT_TRUE(constant_time_equal(unwrapped->view(), data_key.view()));
    EXPECT_FALSE(unwrap_data_key(ring, wrapped, "members.data_key:2").has_value());
    EXPECT_FALSE(unwrap_data_key(test_ring(), wrapped, "members.data_key:1").has_value()) << "another master key";
}

TEST(KeyRing, RefusesIncompleteFiles) {
    EXPECT_FALSE(KeyRing::parse("").has_value());
    EXPECT_FALSE(KeyRing::parse("master mk1 c2hvcnQ=\nactive mk1\n").has_value());
    SystemRandom random;
    std::string text = KeyRing::generate(random, "mk1");
    EXPECT_TRUE(KeyRing::parse(text).has_value());
    EXPECT_FALSE(KeyRing::parse(text + "active mk2\n").has_value()) << "active key not in the file";
    EXPECT_FALSE(KeyRing::parse(text + "bogus line\n").has_value());
}

// A keys file in a directory of its own, removed afterwards.
class KeysFile : public ::testing::Test {
  protected:
    void SetUp() override {
        char pattern[] = "/tmp/patron-keys-XXXXXX";
        ASSERT_NE(mkdtemp(pattern), nullptr);
        dir_ = pattern;
        path_ = dir_ + "/keys.txt";
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string dir_;
    std::string path_;
};

TEST_F(KeysFile, IsRefusedWhenOthersMayReadIt) {
    SystemRandom random;
    ASSERT_TRUE(write_keys_file(path_, KeyRing::generate(random, "mk1")).has_value());
    EXPECT_TRUE(KeyRing::load(path_).has_value());
    chmod(path_.c_str(), 0644);
    const auto refused = KeyRing::load(path_);
    ASSERT_FALSE(refused.has_value());
    EXPECT_NE(refused.error().find("0600"), std::string::npos);
}

TEST_F(KeysFile, TheRingFollowsANewMasterKeyWrittenWhileItIsInUse) {
    SystemRandom random;
    ASSERT_TRUE(write_keys_file(path_, KeyRing::generate(random, "mk1")).has_value());
    const KeyRing serving = KeyRing::load(path_).value();
    const KeyRing rotating = KeyRing::load(path_).value();
    const SecretBytes data_key = new_data_key(random);

    // Another process (patronctl keys rotate) adds mk2 and makes it active.
    MasterKeys next = *rotating.masters();
    next.keys.emplace("mk2", SecretBytes(random.bytes(kAeadKeySize)));
    next.active_id = "mk2";
    ASSERT_TRUE(write_keys_file(path_, KeyRing::render(next, rotating.index_key())).has_value());
    ASSERT_TRUE(rotating.reload().value());
    const WrappedKey under_mk2 = wrap_data_key(rotating, data_key, "members.data_key:1", random);
    EXPECT_EQ(under_mk2.master_key_id, "mk2");

    // The serving ring has not looked at the file yet, but a key it does not hold makes it look.
    EXPECT_EQ(serving.masters()->active_id, "mk1");
    const auto opened = unwrap_data_key(serving, under_mk2, "members.data_key:1");
    ASSERT_TRUE(opened.has_value());
    EXPECT_TRUE(constant_time_equal(opened->view(), data_key.view()));
    EXPECT_EQ(serving.masters()->active_id, "mk2");
    EXPECT_FALSE(serving.reload().value()) << "nothing changed since";
    EXPECT_EQ(unwrap_data_key(serving, {"mk9", under_mk2.sealed}, "members.data_key:1"), std::nullopt);
}

TEST_F(KeysFile, AFileWithAnotherIndexKeyIsRefusedAndTheRingStaysAsItWas) {
    SystemRandom random;
    ASSERT_TRUE(write_keys_file(path_, KeyRing::generate(random, "mk1")).has_value());
    const KeyRing ring = KeyRing::load(path_).value();
    const Bytes before = blind_index(ring, "phone", "+989123456789");
    ASSERT_TRUE(write_keys_file(path_, KeyRing::generate(random, "mk7")).has_value());
    const auto reloaded = ring.reload();
    ASSERT_FALSE(reloaded.has_value());
    EXPECT_NE(reloaded.error().find("index key"), std::string::npos);
    EXPECT_EQ(ring.masters()->active_id, "mk1");
    EXPECT_EQ(blind_index(ring, "phone", "+989123456789"), before);
}

TEST(BlindIndex, IsDeterministicPerKeyAndSeparatedByDomain) {
    const KeyRing ring = test_ring();
    const Bytes phone = blind_index(ring, "phone", "+989123456789");
    EXPECT_EQ(phone.size(), kBlindIndexSize);
    EXPECT_EQ(phone, blind_index(ring, "phone", "+989123456789"));
    EXPECT_NE(phone, blind_index(ring, "email", "+989123456789"));
    EXPECT_NE(phone, blind_index(test_ring(), "phone", "+989123456789"));
}

TEST(ChainKey, LinksDependOnTheKeysThePreviousLinkAndTheMessage) {
    const KeyRing ring = test_ring();
    const ChainKey key(ring);
    const Bytes first(kChainMacSize, 0);
    const Bytes link = key.link(first, "entry 1");
    EXPECT_EQ(link.size(), kChainMacSize);
    EXPECT_EQ(link, ChainKey(ring).link(first, "entry 1"));
    EXPECT_NE(link, ChainKey(test_ring()).link(first, "entry 1"));  // Another keys file.
    EXPECT_NE(link, key.link(first, "entry 2"));
    EXPECT_NE(key.link(link, "entry 2"), key.link(first, "entry 2"));
    // Not the index key's plain HMAC (the blind indexes' key is not used as it is).
    EXPECT_NE(link, hmac_sha256(ring.index_key().view(), [&] {
                  Bytes message = first;
                  for (const std::uint8_t byte : as_bytes("entry 1")) message.push_back(byte);
                  return message;
              }()));
    EXPECT_THROW(key.link(Bytes(16, 0), "entry 1"), std::invalid_argument);
}

TEST(Digest, MatchesPublishedTestVectors) {
    EXPECT_EQ(to_hex(sha256(as_bytes(""))), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    // RFC 4231, test case 2.
    EXPECT_EQ(to_hex(hmac_sha256(as_bytes("Jefe"), as_bytes("what do ya want for nothing?"))),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Codecs, HexAndBase64RoundTrip) {
    const Bytes bytes = {0x00, 0xff, 0x10, 0x7f, 0x80};
    EXPECT_EQ(from_hex(to_hex(bytes)), bytes);
    EXPECT_EQ(from_base64(to_base64(bytes)), bytes);
    EXPECT_EQ(from_base64(to_base64(Bytes{1})), Bytes{1});
    EXPECT_FALSE(from_hex("abc").has_value());
    EXPECT_FALSE(from_hex("zz").has_value());
    EXPECT_FALSE(from_base64("!!!!").has_value());
}

}  // namespace
}  // namespace patron::crypto
