// Values the database keeps by their spelling, read back by a build that has no name for one (a
// newer version wrote it, or a hand did): a staff session whose role is unknown admits nothing,
// and a staff user's unknown role, a card's unknown state or a member's unknown status fails the
// unit of work by the failure's class instead of being taken for one it may not be.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "crypto/digest.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using core::ErrorCode;

constexpr const char* kUnknownValue = "unit of work failed: patron::store::UnknownStoredValue";

class StoredSpellings : public ::testing::Test {
  protected:
    // A session token as an older or newer version may have left it, with `role` as written.
    void plant_staff_token(const std::string& token, const std::string& role) {
        const std::string hash = crypto::to_hex(crypto::sha256(crypto::as_bytes(token)));
        world.db.raw() << "INSERT INTO staff_tokens (token_sha256, program_id, label, role, created_at)"
                          " VALUES (UNHEX(:hash), :program, 'planted', :role, '2026-01-01 00:00:00')",
            soci::use(hash), soci::use(world.program_id), soci::use(role);
    }
    // MariaDB refuses a value an ENUM column does not list, except in the lax mode of old
    // servers, which writes '' instead: the one way a spelling no version knows gets there.
    void write_laxly(const std::string& statement, const std::string& value) {
        world.db.raw() << "SET SESSION sql_mode = ''";
        world.db.raw() << statement, soci::use(value);
        world.db.raw() << "SET SESSION sql_mode = DEFAULT";
    }
    template <typename T>
    static void expect_unknown_value(const core::Result<T>& result) {
        ASSERT_FALSE(result.has_value());
        EXPECT_EQ(result.error().code, ErrorCode::kInternal);
        EXPECT_EQ(result.error().message, kUnknownValue);
    }

    testing::TestWorld world;
};

TEST_F(StoredSpellings, AStaffSessionWhoseRoleThisBuildCannotNameAdmitsNothing) {
    plant_staff_token("pst_support", "support");
    plant_staff_token("pst_owner", "owner");
    plant_staff_token("pst_shouting", "ADMIN");
    plant_staff_token("pst_empty", "");
    const auto support = world.access.staff_by_token("pst_support");
    ASSERT_TRUE(support.has_value()) << support.error().message;
    EXPECT_EQ(support->role, core::StaffRole::kSupport);
    for (const char* token : {"pst_owner", "pst_shouting", "pst_empty"}) {
        const auto refused = world.access.staff_by_token(token);
        ASSERT_FALSE(refused.has_value()) << token;
        EXPECT_EQ(refused.error().code, ErrorCode::kForbidden) << token;
    }
}

TEST_F(StoredSpellings, AStaffUserWhoseRoleThisBuildCannotNameNeitherSignsInNorActs) {
    const auto user = world.services.staff.add_user(world.program_id, {.email = "neda@staff.example",
                                                                       .name = "Neda",
                                                                       .role = core::StaffRole::kAdmin,
                                                                       .password = "correct horse neda"});
    ASSERT_TRUE(user.has_value()) << user.error().message;
    const auto session = world.services.staff.sign_in("neda@staff.example", "correct horse neda");
    ASSERT_TRUE(session.has_value()) << session.error().message;

    write_laxly("UPDATE staff_users SET role = :role", "owner");
    std::string stored = "?";
    world.db.raw() << "SELECT role FROM staff_users WHERE id = :id", soci::use(user->id), soci::into(stored);
    ASSERT_EQ(stored, "") << "the lax mode wrote MariaDB's empty error value";
    EXPECT_EQ(world.access.staff_by_token(session->token).error().code, ErrorCode::kForbidden)
        << "the open session has the new role, which admits nothing";
    expect_unknown_value(world.services.staff.sign_in("neda@staff.example", "correct horse neda"));
}

TEST_F(StoredSpellings, ACardStateThisBuildCannotNameIsNeverTakenForAnother) {
    const auto member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    write_laxly("UPDATE cards SET state = :state WHERE member_id = " + std::to_string(member.id), "frozen");
    expect_unknown_value(world.members.lookup_card(world.program_id, member.card_number));
    expect_unknown_value(world.members.get(world.program_id, member.id));
    expect_unknown_value(world.purchases.commit(world.terminal, world.purchase("1", 100000, member.card_number),
                                                crypto::sha256(crypto::as_bytes("1")), pos::encode_purchase_answer));
    EXPECT_EQ(world.db.count("purchases"), 0);
}

TEST_F(StoredSpellings, AMemberStatusThisBuildCannotNameIsNeverTakenForAnother) {
    const auto member = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    write_laxly("UPDATE members SET status = :status WHERE id = " + std::to_string(member.id), "frozen");
    expect_unknown_value(world.members.get(world.program_id, member.id));
    expect_unknown_value(world.purchases.commit(world.terminal, world.purchase("1", 100000, member.card_number),
                                                crypto::sha256(crypto::as_bytes("1")), pos::encode_purchase_answer));
    EXPECT_EQ(world.db.count("purchases"), 0);
}

}  // namespace
}  // namespace patron
