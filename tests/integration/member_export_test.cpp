// The member's export (right of access) against a real MariaDB: one member taken through every
// feature that writes a row about a member, then every table of the schema that names a member
// (a member_id column, a column with "member" in its name, a foreign key to members, or a column
// listed below) compared with the export. Each has a section holding exactly the rows the table
// holds for the member, or is listed here as left out with the reason; a table added later with
// neither fails the test, and the secrets the tables hold are nowhere in the document.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <nlohmann/json.hpp>
#include <set>

#include "api/member_documents.h"
#include "crypto/digest.h"
#include "loyalty/core/coupon_requests.h"
#include "loyalty/core/member_requests.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/core/segments.h"
#include "loyalty/core/sign_in_requests.h"
#include "loyalty/core/tiers.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_database.h"
#include "tests/support/verified_world.h"

namespace patron {
namespace {

using nlohmann::json;

// A column of the schema that names a member, and where the export shows its rows.
struct MemberColumn {
    std::string table;
    std::string column;
    std::string section;  // The export's section; empty: left out, for `reason`.
    std::string reason = {};
};

// Every column of the schema that names a member or looks as if it might. A table added with
// such a column fails the test until it is here: exported, or left out with the reason.
const std::vector<MemberColumn> kMemberColumns = {
    {"members", "id", "member"},
    {"members", "merged_into", "merged_members"},  // Named by no foreign key: listed by hand.
    {"member_lookups", "member_id", "lookups"},
    {"cards", "member_id", "cards"},
    {"member_accounts", "member_id", "account"},
    {"member_consents", "member_id", "consents"},
    {"point_lots", "member_id", "point_lots"},
    {"ledger_entries", "member_id", "ledger_entries"},
    {"member_rule_usage", "member_id", "rule_usage"},
    {"cashback_entries", "member_id", "cashback_entries"},
    {"stamp_progress", "member_id", "stamp_progress"},
    {"stamp_events", "member_id", "stamp_events"},
    {"stamp_rewards", "member_id", "stamp_rewards"},
    {"coupon_codes", "member_id", "coupon_codes"},
    {"coupon_redemptions", "member_id", "coupon_redemptions"},
    {"purchases", "member_id", "purchases"},
    {"quote_holds", "member_id", "quote_holds"},
    {"member_claim_failures", "member_id", "claim_failures"},
    {"tier_history", "member_id", "tier_history"},
    {"member_credentials", "member_id", "password"},
    {"member_codes", "member_id", "sign_in_codes"},
    {"member_tokens", "member_id", "sessions"},
    {"member_scores", "member_id", "scores"},
    {"member_segments", "member_id", "segments"},
    {"campaign_exposures", "member_id", "campaign_exposures"},
    {"audit_log", "member_id", "audit"},
    {"reward_days", "member_id", "",
     "the Rewards report's sums of the member's ledger entries per day, rule and store, rebuilt from the ledgers"
     " that the export holds whole; no index by member"},
    {"segments", "members", "", "how many members a segment held, not a member"},
    {"insight_refreshes", "members", "", "how many members a refresh scored, not a member"},
};

// The columns of the test's database that name a member by the rules above, as table.column.
std::set<std::string> member_columns_of_schema(soci::session& sql) {
    std::set<std::string> found;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT table_name, column_name FROM information_schema.columns"
                        " WHERE table_schema = DATABASE() AND column_name LIKE '%member%'"
                        " UNION SELECT table_name, column_name FROM information_schema.key_column_usage"
                        " WHERE table_schema = DATABASE() AND referenced_table_name = 'members'");
    for (const soci::row& row : rows) found.insert(row.get<std::string>(0) + "." + row.get<std::string>(1));
    return found;
}

// The columns of the schema naming a member that kMemberColumns does not know.
std::vector<std::string> unknown_member_columns(soci::session& sql) {
    std::set<std::string> known;
    for (const MemberColumn& column : kMemberColumns) known.insert(column.table + "." + column.column);
    std::vector<std::string> unknown;
    for (const std::string& column : member_columns_of_schema(sql)) {
        if (!known.contains(column)) unknown.push_back(column);
    }
    return unknown;
}

long long count_of(soci::session& sql, const std::string& query, long long member_id) {
    long long count = 0;
    sql << query, soci::into(count), soci::use(member_id);
    return count;
}

// How many rows a section of the export shows: a list's, or one for an object.
long long rows_in(const json& section) {
    if (section.is_array()) return static_cast<long long>(section.size());
    return section.is_object() ? 1 : 0;
}

class MemberExportTest : public testing::VerifiedWorldTest {
  protected:
    json returned(const std::string& receipt, const std::string& original, std::vector<core::ReturnedLine> lines) {
        const auto done =
            world.returns.commit(world.terminal, world.return_request(receipt, original, std::move(lines)),
                                 crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer);
        EXPECT_TRUE(done.has_value()) << (done ? "" : done.error().message);
        return done ? json::parse(done->body) : json();
    }
    long long published_campaign(const json& document, const json& codes = json()) {
        const auto made = coupons.create(marketer, core::decode_coupon_campaign_document(document).value());
        EXPECT_TRUE(made.has_value()) << (made ? "" : made.error().message);
        if (!codes.is_null()) {
            EXPECT_TRUE(coupons.add_codes(marketer, made->id, core::decode_coupon_codes_request(codes).value()));
        }
        EXPECT_TRUE(coupons.publish(marketer, made->id).has_value());
        return made->id;
    }
    void later() { world.clock.set(world.clock.now() + std::chrono::minutes(1)); }

    // Every feature that writes a row about a member, for Sara: the rules, tiers, coupons and
    // segments first, then her purchases, returns, rewards, sign-in and the staff's changes.
    void live_a_members_life() {
        const long long free_coffee = published_campaign({{"name", "Free coffee"},
                                                          {"type", "free_item"},
                                                          {"conditions", {{"categories", {"coffee"}}}},
                                                          {"members_only", true}});
        const json rules = {
            {"rules", json::array({{{"id", "base"}, {"name", "Club points"}, {"points", 1}, {"per_amount", 10000}},
                                   {{"id", "trial"},
                                    {"name", "Trial"},
                                    {"kind", "bonus"},
                                    {"points", 5},
                                    {"holdout", {{"percent", 10}}}}})},
            {"cashback", json::array({{{"id", "cb5"}, {"percent", 5}, {"caps", {{"per_day", 1000000}}}}})},
            {"stamp_cards", json::array({{{"id", "coffee"},
                                          {"name", "Coffee card"},
                                          {"goal", 3},
                                          {"conditions", {{"categories", {"coffee"}}}},
                                          {"reward", {{"coupon_campaign", free_coffee}}}}})}};
        const auto published =
            world.admin.publish_rules(world.program_id, core::RuleDocument(rules), world.clock.now());
        ASSERT_TRUE(published.has_value()) << published.error().message;
        const auto tiers = world.tiers.set_policy(
            marketer, core::decode_tier_policy(json::parse(R"({"measure": "points", "window": {"kind": "rolling",
                "months": 12}, "downgrade": "one_step", "grace_days": 30, "tiers": [{"name": "Bronze",
                "threshold": 0}, {"name": "Silver", "threshold": 100}]})"))
                          .value());
        ASSERT_TRUE(tiers.has_value()) << tiers.error().message;
        const auto segment = world.services.segments.create(
            marketer,
            core::decode_segment_document(
                {{"code", "buyers"}, {"name", "Buyers"}, {"conditions", {{"visits", {{"days", 30}, {"min", 1}}}}}})
                .value());
        ASSERT_TRUE(segment.has_value()) << segment.error().message;
        const long long ten_percent = published_campaign(
            {{"name", "Ten percent"}, {"type", "percent_off_basket"}, {"percent", 10}}, {{"count", 2}});

        core::MemberApplication application{"Sara Karimi", "09123456789", "sara@example.ir", "1990-04-12", "fa"};
        application.city = "Tehran";
        application.consents = {"2026-01", true, false};
        sara_ = world.members.enrol_unattended(world.program_id, application).value();
        const auto again = world.enrol("Sara K.", "09350001111", "sara.k@example.com");

        // Three coffees fill the card (its reward a coupon code), the reward pays the fourth, a
        // return takes the first back; the cashback rule's cap counts, the trial records Sara.
        for (const char* receipt : {"1", "2", "3"}) {
            committed(world.purchase(receipt, 1000000, sara_.card_number));
            later();
        }
        std::string reward;
        world.db.raw() << "SELECT code FROM coupon_codes WHERE member_id = :id", soci::into(reward),
            soci::use(sara_.id);
        core::Purchase free = world.purchase("4", 100000, sara_.card_number);
        free.coupons = {reward};
        EXPECT_EQ(committed(free)["coupons"]["discount"], 100000);
        returned("r1", "1", {{1, 1000}});
        const std::string assigned = coupons.codes(marketer, ten_percent).value().at(0).code;
        ASSERT_TRUE(coupons.assign(marketer, assigned, core::CouponAssignment{sara_.id}).has_value());
        core::Purchase held = world.purchase("5", 100000, sara_.card_number);
        held.redeem_points = 20;
        held.hold = true;
        const auto quote = world.purchases.quote(world.terminal, held);
        ASSERT_TRUE(quote.has_value() && quote->hold.has_value()) << (quote ? "no hold" : quote.error().message);
        committed(world.purchase("6", 200000, again.card_number));

        // Staff: points given, a card replaced, a consent withdrawn, the second record merged in.
        ASSERT_TRUE(world.adjustments.adjust(support_, sara_.id, {50, "coffee machine was down"}).has_value());
        ASSERT_TRUE(world.services.cards.replace(support_, sara_.card_number, "lost").has_value());
        ASSERT_TRUE(
            world.members
                .update(support_, sara_.id, core::decode_member_update({{"consents", {{"marketing_sms", false}}}}))
                .has_value());
        ASSERT_TRUE(world.services.merges.merge(support_, sara_.id, again.id).has_value());

        // The portal: a code sets the password, a sign-in, a claim of a receipt that is not hers.
        const core::MemberContact phone{.program = "TEST", .phone = "09123456789"};
        ASSERT_TRUE(world.services.member_sign_in.send_code(phone).has_value());
        ASSERT_FALSE(world.notifier.sent.empty());
        const auto session =
            world.services.member_sign_in.set_password({phone, world.notifier.sent.back().code, kPassword});
        ASSERT_TRUE(session.has_value()) << session.error().message;
        token_ = session->token;
        ASSERT_TRUE(world.services.member_sign_in.sign_in(phone, kPassword).has_value());
        const auto claimed = world.purchases.claim(service::MemberIdentity{world.program_id, sara_.id},
                                                   {"S042", "T07", *core::parse_date("2026-11-22"), "nobody's"}, 1000,
                                                   pos::encode_purchase_answer);
        ASSERT_FALSE(claimed.has_value());

        // Insight: scores and segments refreshed, the report's sums rolled up.
        ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());
        ASSERT_TRUE(world.services.reward_days.roll_up().has_value());
    }

    static constexpr const char* kPassword = "a long secret";
    const service::StaffIdentity support_{world.program_id, "Ali (support)", core::StaffRole::kSupport};
    service::EnrolledMember sara_;
    std::string token_;
};

TEST_F(MemberExportTest, EveryTableThatNamesTheMemberHasASectionWithAllItsRowsOrAReasonToBeLeftOut) {
    live_a_members_life();
    if (HasFatalFailure()) return;
    const auto exported = world.services.privacy.export_member(support_, sara_.id);
    ASSERT_TRUE(exported.has_value()) << exported.error().message;
    const json document = api::encode_member_export(*exported);
    soci::session& sql = world.db.raw();

    const std::vector<std::string> unknown = unknown_member_columns(sql);
    EXPECT_TRUE(unknown.empty()) << "these columns name a member but neither have a section in the export nor are"
                                    " listed in kMemberColumns as left out with the reason: "
                                 << json(unknown).dump();
    const std::set<std::string> schema = member_columns_of_schema(sql);
    for (const MemberColumn& column : kMemberColumns) {
        const std::string name = column.table + "." + column.column;
        long long exists = 0;
        sql << "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE()"
               " AND table_name = :t AND column_name = :c",
            soci::into(exists), soci::use(column.table), soci::use(column.column);
        EXPECT_EQ(exists, 1) << name << " is listed but not in the schema: renamed?";
        if (column.section.empty()) {
            EXPECT_FALSE(column.reason.empty()) << name << " is left out without a reason";
            continue;
        }
        const long long stored =
            count_of(sql, "SELECT COUNT(*) FROM " + column.table + " WHERE " + column.column + " = :member", sara_.id);
        EXPECT_GT(stored, 0) << "the test gave Sara no row in " << name << ": it shows nothing";
        ASSERT_TRUE(document.contains(column.section)) << "no section " << column.section << " for " << name;
        EXPECT_EQ(rows_in(document[column.section]), stored) << name << " in section " << column.section;
    }
    // The lines of her purchases and returns, found through them.
    EXPECT_EQ(rows_in(document["purchase_lines"]),
              count_of(sql,
                       "SELECT COUNT(*) FROM purchase_lines l JOIN purchases p ON p.id = l.purchase_id"
                       " WHERE p.member_id = :member",
                       sara_.id));
    const long long return_lines = count_of(sql,
                                            "SELECT COUNT(*) FROM return_lines l JOIN purchases p ON p.id = l.return_id"
                                            " WHERE p.member_id = :member",
                                            sara_.id);
    EXPECT_GT(return_lines, 0);
    EXPECT_EQ(rows_in(document["return_lines"]), return_lines);
    EXPECT_EQ(document["merged_members"][0]["status"], "merged");
    EXPECT_EQ(document["lookups"], json::parse(R"([{"kind": "phone"}, {"kind": "email"}])"));
}

TEST_F(MemberExportTest, NoSecretOfTheMembersTablesIsInTheExport) {
    live_a_members_life();
    if (HasFatalFailure()) return;
    const std::string document =
        api::encode_member_export(world.services.privacy.export_member(support_, sara_.id).value()).dump();
    soci::session& sql = world.db.raw();
    std::string password_hash, token_hash, code_mac, digest, basket;
    sql << "SELECT password_hash FROM member_credentials WHERE member_id = :id", soci::into(password_hash),
        soci::use(sara_.id);
    sql << "SELECT HEX(token_sha256) FROM member_tokens WHERE member_id = :id LIMIT 1", soci::into(token_hash),
        soci::use(sara_.id);
    sql << "SELECT HEX(code_mac) FROM member_codes WHERE member_id = :id LIMIT 1", soci::into(code_mac),
        soci::use(sara_.id);
    sql << "SELECT HEX(digest) FROM member_lookups WHERE member_id = :id LIMIT 1", soci::into(digest),
        soci::use(sara_.id);
    sql << "SELECT HEX(basket_sha256) FROM quote_holds WHERE member_id = :id", soci::into(basket), soci::use(sara_.id);
    for (const std::string& secret : {password_hash, token_hash, code_mac, digest, basket, token_}) {
        ASSERT_FALSE(secret.empty());
        EXPECT_EQ(document.find(secret), std::string::npos) << secret;
        std::string lower = secret;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        EXPECT_EQ(document.find(lower), std::string::npos) << secret;
    }
    for (const char* column : {"password_hash", "token_sha256", "code_mac", "digest", "basket_sha256", "request_sha256",
                               "response_body", "data_key_sealed", "idempotency_key"}) {
        EXPECT_EQ(document.find(std::string("\"") + column + "\""), std::string::npos) << column;
    }
    EXPECT_EQ(document.find(kPassword), std::string::npos);
}

TEST(MemberExportSchema, ATableAddedWithAMemberColumnAndNoExportSectionIsNamed) {
    testing::TestDatabase db;
    EXPECT_TRUE(unknown_member_columns(db.raw()).empty());
    db.raw() << "CREATE TABLE member_notes (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, member_id BIGINT UNSIGNED)";
    db.raw() << "CREATE TABLE gifts (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, given_to BIGINT UNSIGNED NOT NULL,"
                " CONSTRAINT fk_gifts_given_to FOREIGN KEY (given_to) REFERENCES members (id))";
    EXPECT_EQ(unknown_member_columns(db.raw()), (std::vector<std::string>{"gifts.given_to", "member_notes.member_id"}));
}

}  // namespace
}  // namespace patron
