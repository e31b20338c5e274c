#include <gtest/gtest.h>
#include <soci/soci.h>

#include "crypto/bytes.h"
#include "loyalty/core/card_number.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

// Every column of every member row, as one hex string (binary columns included).
std::string raw_member_rows_hex(soci::session& sql) {
    std::string rows;
    soci::rowset<soci::row> result =
        (sql.prepare << "SELECT HEX(CONCAT_WS('|', id, program_id, status, COALESCE(data_key_sealed, ''),"
                        " COALESCE(master_key_id, ''), COALESCE(full_name_sealed, ''), COALESCE(phone_sealed, ''),"
                        " COALESCE(email_sealed, ''), COALESCE(birth_date_sealed, ''), COALESCE(language, '')))"
                        " FROM members");
    for (const soci::row& row : result) rows += row.get<std::string>(0);
    soci::rowset<soci::row> lookups = (sql.prepare << "SELECT HEX(digest) FROM member_lookups");
    for (const soci::row& row : lookups) rows += row.get<std::string>(0);
    return rows;
}

std::string upper_hex(const std::string& text) {
    std::string hex = crypto::to_hex(crypto::as_bytes(text));
    for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return hex;
}

TEST(MemberRegistry, RawRowsHoldNoPlaintextPersonalData) {
    testing::TestWorld world;
    world.enrol("Sara Karimi", "0912 345 6789", "Sara.Karimi@Example.IR");
    world.enrol("سارا کریمی", "+98 935 111 2233", "sara2@example.ir");
    const std::string rows = raw_member_rows_hex(world.db.raw());
    ASSERT_FALSE(rows.empty());
    for (const char* secret : {"Sara Karimi", "Karimi", "سارا", "9123456789", "+989123456789", "sara.karimi@example.ir",
                               "Sara.Karimi", "example.ir", "1990-04-12", "9351112233"}) {
        EXPECT_EQ(rows.find(upper_hex(secret)), std::string::npos) << secret << " is stored in plaintext";
    }
}

TEST(MemberRegistry, StaffReadTheDecryptedMemberBack) {
    testing::TestWorld world;
    const auto enrolled = world.enrol("Sara Karimi", "0912 345 6789", "Sara.Karimi@Example.IR");
    const auto member = world.members.get(world.program_id, enrolled.id);
    ASSERT_TRUE(member.has_value());
    ASSERT_TRUE(member->profile.has_value());
    EXPECT_EQ(member->profile->full_name, "Sara Karimi");
    EXPECT_EQ(member->profile->phone, "+989123456789");
    EXPECT_EQ(member->profile->email, "sara.karimi@example.ir");
    ASSERT_EQ(member->cards.size(), 1U);
    EXPECT_EQ(member->cards[0].number, enrolled.card_number);
    EXPECT_TRUE(core::is_valid_card_number(enrolled.card_number));
    EXPECT_TRUE(enrolled.card_number.starts_with("7001"));
}

TEST(MemberRegistry, ACiphertextCopiedToAnotherMemberDoesNotOpen) {
    testing::TestWorld world;
    const auto sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const auto reza = world.enrol("Reza Ahmadi", "09351112233", "reza@example.com");
    world.db.raw() << "UPDATE members r JOIN members s ON s.id = :sara SET r.full_name_sealed = s.full_name_sealed"
                      " WHERE r.id = :reza",
        soci::use(sara.id, "sara"), soci::use(reza.id, "reza");
    const auto member = world.members.get(world.program_id, reza.id);
    ASSERT_TRUE(member.has_value());
    EXPECT_FALSE(member->profile.has_value()) << "Sara's sealed name opened as Reza's";
}

TEST(MemberRegistry, PhoneAndEmailAreUniqueWhateverTheirSpelling) {
    testing::TestWorld world;
    world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const auto same_phone =
        world.members.enrol_unattended(world.program_id, {"Other", "+98 912 345 6789", "x@example.ir", {}, {}});
    ASSERT_FALSE(same_phone.has_value());
    EXPECT_EQ(same_phone.error().code, core::ErrorCode::kMemberExists);
    const auto same_email =
        world.members.enrol_unattended(world.program_id, {"Other", "09120000000", "SARA@example.IR", {}, {}});
    ASSERT_FALSE(same_email.has_value());
    EXPECT_EQ(same_email.error().code, core::ErrorCode::kMemberExists);
    EXPECT_EQ(world.db.count("members"), 1) << "a refused enrolment leaves nothing behind";
}

TEST(MemberRegistry, CardLookupGivesTheMaskedNameAndBalances) {
    testing::TestWorld world;
    const auto enrolled = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    const auto holder = world.members.lookup_card(world.program_id, enrolled.card_number);
    ASSERT_TRUE(holder.has_value());
    EXPECT_EQ(holder->masked_name, "S. Ka***");
    EXPECT_EQ(holder->balance.currency, "IRR");
    EXPECT_EQ(world.members.lookup_card(world.program_id, "1234").error().code, core::ErrorCode::kCardNumberInvalid);
}

}  // namespace
}  // namespace patron
