// The member's export (right of access) against a real MariaDB: one member taken through every
// feature that writes a row about a member, then every table of the schema that names a member
// (a member_id column, a column with "member" in its name, a foreign key to members, or a column
// listed below), and every table with a foreign key to a table exported (her purchases, lots,
// transfers), compared with the export. Each has a section holding exactly the rows the table
// holds for the member (the same keys), or is listed here as left out with the reason; a table
// added later with neither fails the test, and the secrets the tables hold are nowhere in the
// document.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "api/member_documents.h"
#include "crypto/digest.h"
#include "loyalty/core/coupon_requests.h"
#include "loyalty/core/draws.h"
#include "loyalty/core/feedback.h"
#include "loyalty/core/member_requests.h"
#include "loyalty/core/referrals.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/core/segments.h"
#include "loyalty/core/sign_in_requests.h"
#include "loyalty/core/tiers.h"
#include "loyalty/core/triggers.h"
#include "loyalty/service/insight/ledger_day_rollup.h"
#include "loyalty/store/pos/purchase_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_database.h"
#include "tests/support/verified_world.h"

namespace patron {
namespace {

using nlohmann::json;

// The fields of a section that hold its table's key, each with the SQL that reads it from the
// table, in a row of their own.
using SectionKey = std::vector<std::pair<std::string, std::string>>;

// A column of the schema that names a member, and where the export shows its rows.
struct MemberColumn {
    std::string table;
    std::string column;
    std::string section;  // The export's section; empty: left out, for `reason`.
    std::string reason = {};
    // Empty: the table's primary key but this column and program_id, each shown in the field of
    // its name (none left: the section is an object, the table's one row for the member).
    SectionKey key = {};
};

// Every column of the schema that names a member or looks as if it might. A table added with
// such a column fails the test until it is here: exported, or left out with the reason.
const std::vector<MemberColumn> kMemberColumns = {
    {"members", "id", "member"},
    {"members", "merged_into", "merged_members"},                        // Named by no foreign key: listed by hand.
    {"member_lookups", "member_id", "lookups", "", {{"kind", "kind"}}},  // The digest is secret.
    {"cards", "member_id", "cards"},
    {"member_accounts", "member_id", "account"},
    {"member_consents", "member_id", "consents"},
    {"member_consent_history", "member_id", "consent_history"},
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
    {"member_tokens",
     "member_id",
     "sessions",
     "",  // Keyed by the token's hash, never shown.
     {{"DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%s.%fZ')", "created_at"},
      {"DATE_FORMAT(expires_at, '%Y-%m-%dT%H:%i:%s.%fZ')", "expires_at"}}},
    {"member_scores", "member_id", "scores"},
    {"member_segments", "member_id", "segments"},
    {"campaign_exposures", "member_id", "campaign_exposures"},
    {"audit_log", "member_id", "audit"},
    {"reward_days",
     "member_id",
     "reward_days",
     "",
     {{"book", "book"},
      {"day", "day"},
      {"rule_key", "rule_key"},
      {"kind", "kind"},
      {"(SELECT code FROM stores WHERE id = store_id)", "store"}}},
    {"segments", "members", "", "how many members a segment held, not a member"},
    {"insight_refreshes", "members", "", "how many members a refresh scored, not a member"},
    {"write_answers", "member_id", "",
     "answers kept 7 days for a retried Idempotency-Key: sealed copies of what the export shows"},
    {"outbox_events", "member_id", "",
     "events told to other systems about changes the export shows (her purchases, ledger, profile): their ids "
     "and amounts again"},
    {"member_messages", "member_id", "messages"},
    {"trigger_firings", "member_id", "trigger_firings", "", {{"trigger_id", "trigger_id"}, {"window_key", "window"}}},
    {"segment_additions", "member_id", "segment_additions"},
    {"referral_codes", "member_id", "referral_code"},
    {"referrals", "referrer_id", "invitations"},
    {"referrals", "friend_id", "referred_by"},
    {"draw_entries", "member_id", "draw_entries"},
    {"draw_codes", "member_id", "draw_codes"},
    {"draw_entrants", "member_id", "draw_entrants", "", {{"draw_id", "draw_id"}, {"reference", "reference"}}},
    {"draw_places", "member_id", "draw_places", "", {{"draw_id", "draw_id"}, {"place", "place"}}},
    {"fraud_signals", "member_id", "",
     "fraud signals raised about her: what the fraud checks saw is kept from the one it is about (GDPR art. "
     "23(1)(d), the prevention of criminal offences); the points they hold are in point_lots"},
    {"purchase_claims", "member_id", "",
     "which of her purchases a claim credited, from which till and (a keyed digest of) which network address, "
     "kept a day for the fraud checks (GDPR art. 23(1)(d)); the purchases themselves are in purchases"},
    {"webhook_deliveries", "member_id", "",
     "which subscribed system each of those events was sent to, and when: delivery records, not her data"},
};

// A table whose rows are the member's through a foreign key to a table exported (a purchase, a
// lot, a transfer of hers), and where the export shows them. The rows are read with `rows`, a
// FROM clause naming the member as :member, through every such key; the key is the table's
// primary key in fields of the same names unless `key` says otherwise. A table with a foreign key
// to a table exported fails the test until it is here or exported by a member column.
struct ReachedTable {
    std::string table;
    std::string rows;
    std::string section;  // Empty: left out, for `reason`.
    std::string reason = {};
    SectionKey key = {};
    bool repeated = false;  // The section shows the key once per row of another table.
};

const std::string kHerPurchases = "(SELECT id FROM purchases WHERE member_id = :member)";
const std::string kHerLots = "(SELECT id FROM point_lots WHERE member_id = :member)";

const std::vector<ReachedTable> kReachedTables = {
    {"purchase_lines", "purchase_lines WHERE purchase_id IN " + kHerPurchases, "purchase_lines"},
    {"return_lines", "return_lines WHERE return_id IN " + kHerPurchases, "return_lines"},
    // The points each line earned, by lot, kept on the line (a row per lot) since migration 0063.
    {"purchase_lines",
     "purchase_lines l" + std::string(store::kLinePointsOfLines) + " WHERE l.purchase_id IN " + kHerPurchases +
         " OR lp.lot_id IN " + kHerLots,
     "line_points",
     "",
     {{"l.purchase_id", "purchase_id"}, {"l.line", "line"}, {"lp.lot_id", "lot_id"}}},
    {"line_points", "line_points WHERE purchase_id IN " + kHerPurchases + " OR lot_id IN " + kHerLots, "",
     "written only by a patrond older than migration 0063 while an upgrade runs; the line_points section shows "
     "those rows with the lines' own"},
    {"point_lot_uses",
     "point_lot_uses WHERE lot_id IN " + kHerLots +
         " OR transfer_id IN (SELECT transfer_id FROM ledger_entries WHERE member_id = :member)",
     "point_lot_uses"},
    {"cashback_line_earnings",
     "cashback_line_earnings WHERE purchase_id IN " + kHerPurchases +
         " OR transfer_id IN (SELECT transfer_id FROM cashback_entries WHERE member_id = :member)",
     "cashback_line_earnings"},
    // A transfer is hers when an entry names her. A purchase a merge moved to her keeps its
    // transfers' entries on the record merged in (a member-to-member transfer moved the balance).
    {"ledger_transfers",
     "ledger_transfers WHERE id IN (SELECT transfer_id FROM ledger_entries WHERE member_id = :member)",
     "ledger_entries",
     "",
     {{"id", "transfer"}},
     true},
    {"cashback_transfers",
     "cashback_transfers WHERE id IN (SELECT transfer_id FROM cashback_entries WHERE member_id = :member)",
     "cashback_entries",
     "",
     {{"id", "transfer"}},
     true},
    {"purchase_feedback", "purchase_feedback WHERE purchase_id IN " + kHerPurchases, "feedback"},
    {"purchase_claims", "purchase_claims WHERE purchase_id IN " + kHerPurchases, "",
     "kept a day for the fraud checks (GDPR art. 23(1)(d)); the purchase it credited is in purchases"},
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

// The tables the export shows rows of.
std::set<std::string> exported_tables() {
    std::set<std::string> exported;
    for (const MemberColumn& column : kMemberColumns) {
        if (!column.section.empty()) exported.insert(column.table);
    }
    for (const ReachedTable& reached : kReachedTables) {
        if (!reached.section.empty()) exported.insert(reached.table);
    }
    return exported;
}

// The foreign keys to a table exported (but members: a column naming a member is found above)
// from a table neither exported by a member column nor in kReachedTables, as table.column.
std::vector<std::string> unknown_reached_tables(soci::session& sql) {
    const std::set<std::string> exported = exported_tables();
    std::set<std::string> known;
    for (const MemberColumn& column : kMemberColumns) {
        if (!column.section.empty()) known.insert(column.table);
    }
    for (const ReachedTable& reached : kReachedTables) known.insert(reached.table);
    std::set<std::string> unknown;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT table_name, column_name, referenced_table_name FROM information_schema.key_column_usage"
                        " WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL"
                        " AND referenced_table_name <> 'members'");
    for (const soci::row& row : rows) {
        const auto table = row.get<std::string>(0);
        if (exported.contains(row.get<std::string>(2)) && !known.contains(table)) {
            unknown.insert(table + "." + row.get<std::string>(1));
        }
    }
    return {unknown.begin(), unknown.end()};
}

// The primary key of a table, its columns in order.
std::vector<std::string> primary_key_of(soci::session& sql, const std::string& table) {
    std::vector<std::string> columns;
    soci::rowset<std::string> rows =
        (sql.prepare << "SELECT column_name FROM information_schema.key_column_usage WHERE table_schema = DATABASE()"
                        " AND table_name = :t AND constraint_name = 'PRIMARY' ORDER BY ordinal_position",
         soci::use(table));
    for (const std::string& column : rows) columns.push_back(column);
    return columns;
}

std::string with_member(std::string query, long long member_id) {
    const std::string name = ":member";
    for (std::size_t at = query.find(name); at != std::string::npos; at = query.find(name, at)) {
        query.replace(at, name.size(), std::to_string(member_id));
    }
    return query;
}

// The keys of the rows `from` (a FROM clause naming the member as :member) reads, each the key's
// values as text joined by '|', sorted.
std::vector<std::string> stored_keys(soci::session& sql, const SectionKey& key, const std::string& from,
                                     long long member_id) {
    std::string values;
    for (const auto& [expression, field] : key) {
        values += std::string(values.empty() ? "" : ", ") + "IFNULL(CAST(" + expression + " AS CHAR), 'null')";
    }
    std::vector<std::string> keys;
    soci::rowset<std::string> rows =
        (sql.prepare << with_member("SELECT CONCAT_WS('|', " + values + ") FROM " + from, member_id));
    for (const std::string& row : rows) keys.push_back(row);
    std::sort(keys.begin(), keys.end());
    return keys;
}

// The keys a section's rows show, as stored_keys gives them; each once if `distinct`.
std::vector<std::string> shown_keys(const json& section, const SectionKey& key, bool distinct) {
    std::vector<std::string> keys;
    for (const json& row : section) {
        std::string joined;
        for (const auto& [expression, field] : key) {
            const json value = row.contains(field) ? row[field] : json("no field " + field);
            if (!joined.empty()) joined += "|";
            joined += value.is_string() ? value.get<std::string>() : value.dump();
        }
        keys.push_back(joined);
    }
    std::sort(keys.begin(), keys.end());
    if (distinct) keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

// A table's key as a section shows it: `key`, or the primary key but the columns left out.
SectionKey key_of(soci::session& sql, const std::string& table, const SectionKey& key,
                  const std::set<std::string>& left_out) {
    if (!key.empty()) return key;
    SectionKey derived;
    for (const std::string& column : primary_key_of(sql, table)) {
        if (!left_out.contains(column)) derived.emplace_back(column, column);
    }
    return derived;
}

std::string text_of(soci::session& sql, const std::string& query, long long member_id) {
    std::string text;
    soci::indicator indicator = soci::i_ok;
    sql << query, soci::into(text, indicator), soci::use(member_id);
    return indicator == soci::i_null ? "null" : text;
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

// Compares each section of `document` (the export, or a record merged in) with the rows the
// tables hold for `member_id`; with `every_table`, each table must hold at least one.
void compare_sections(soci::session& sql, const json& document, long long member_id, bool every_table) {
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
            count_of(sql, "SELECT COUNT(*) FROM " + column.table + " WHERE " + column.column + " = :member", member_id);
        if (!every_table) {  // A record merged in: its sections, but not the survivor's objects.
            if (column.section == "member") continue;
            if (column.section == "consents") {
                EXPECT_EQ(stored, 0) << "a merge drops the consents of the record merged in";
                continue;
            }
        } else {
            EXPECT_GT(stored, 0) << "the test gave Sara no row in " << name << ": it shows nothing";
        }
        ASSERT_TRUE(document.contains(column.section)) << "no section " << column.section << " for " << name;
        const json& section = document[column.section];
        const SectionKey key = key_of(sql, column.table, column.key, {column.column, "program_id"});
        if (key.empty()) {  // The member's one row: its content is checked below.
            EXPECT_EQ(section.is_object(), stored == 1) << name << " in section " << column.section;
            if (every_table) {
                EXPECT_EQ(stored, 1) << name;
            }
            continue;
        }
        EXPECT_EQ(rows_in(section), stored) << name << " in section " << column.section;
        EXPECT_EQ(shown_keys(section, key, false),
                  stored_keys(sql, key, column.table + " WHERE " + column.column + " = :member", member_id))
            << name << " in section " << column.section;
    }
    for (const ReachedTable& reached : kReachedTables) {
        if (reached.section.empty()) {
            EXPECT_FALSE(reached.reason.empty()) << reached.table << " is left out without a reason";
            continue;
        }
        const SectionKey key = key_of(sql, reached.table, reached.key, {"program_id"});
        ASSERT_FALSE(key.empty()) << reached.table;
        const std::vector<std::string> stored = stored_keys(sql, key, reached.rows, member_id);
        if (!every_table && !document.contains(reached.section)) {  // The survivor's alone (feedback).
            EXPECT_TRUE(stored.empty()) << reached.table << " has rows for a record merged in and no section";
            continue;
        }
        ASSERT_TRUE(document.contains(reached.section)) << "no section " << reached.section << " for " << reached.table;
        if (every_table) {
            EXPECT_FALSE(stored.empty()) << "the test gave Sara no row in " << reached.table << ": it shows nothing";
        }
        EXPECT_EQ(shown_keys(document[reached.section], key, reached.repeated), stored)
            << reached.table << " in section " << reached.section;
    }
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
        const auto trigger = world.services.triggers.create(
            marketer,
            core::decode_trigger_document({{"name", "Third visit"},
                                           {"condition", {{"kind", "visits"}, {"at_least", 3}, {"period", "month"}}},
                                           {"action", {{"kind", "bonus_points"}, {"points", 30}}}})
                .value());
        ASSERT_TRUE(trigger.has_value()) << trigger.error().message;
        ASSERT_TRUE(world.services.segments
                        .create(marketer, core::decode_segment_document({{"code", "picked"},
                                                                         {"name", "Picked"},
                                                                         {"conditions", {{"added_by_trigger", true}}}})
                                              .value())
                        .has_value());
        const auto picking = world.services.triggers.create(
            marketer,
            core::decode_trigger_document({{"name", "Third visit, picked"},
                                           {"condition", {{"kind", "visits"}, {"at_least", 3}, {"period", "month"}}},
                                           {"action", {{"kind", "segment"}, {"segment", "picked"}, {"days", 30}}}})
                .value());
        ASSERT_TRUE(picking.has_value()) << picking.error().message;
        const long long ten_percent = published_campaign(
            {{"name", "Ten percent"}, {"type", "percent_off_basket"}, {"percent", 10}}, {{"count", 2}});

        // Sara joins with a friend's referral code, and invites a friend of her own.
        ASSERT_TRUE(world.services.referrals
                        .set_terms(marketer, core::decode_referral_terms({{"state", "active"},
                                                                          {"friend_reward", {{"points", 40}}},
                                                                          {"referrer_reward", {{"points", 60}}},
                                                                          {"within_days", 30},
                                                                          {"per_referrer_per_month", 5}})
                                                 .value())
                        .has_value());
        const auto inviter = world.enrol("Inviter", "09350002222", "inviter@example.com");
        core::MemberApplication application{"Sara Karimi", "09123456789", "sara@example.ir", "1990-04-12", "fa"};
        application.city = "Tehran";
        application.consents = {"2026-01", true, false};
        application.referral_code = world.services.referrals.mine({world.program_id, inviter.id}).value().code;
        sara_ = world.members.enrol_unattended(world.program_id, application).value();
        core::MemberApplication invited{"Sara's friend", "09350003333", "friend@example.com", "1991-01-01", "fa"};
        invited.referral_code = world.services.referrals.mine({world.program_id, sara_.id}).value().code;
        ASSERT_TRUE(world.members.enrol_unattended(world.program_id, invited).has_value());
        const auto again = world.enrol("Sara K.", "09350001111", "sara.k@example.com");
        again_id_ = again.id;

        // A prize draw open for the next half hour, with packaging codes: the coffees enter it.
        const auto draw = world.services.draws.create(
            marketer, core::decode_draw_terms({{"name", "Coffee draw"},
                                               {"prizes", {{{"name", "A year of coffee"}}}},
                                               {"closes_at", draw_close_text()},
                                               {"opens_at", draw_text(draw_closes_ - std::chrono::hours(2))},
                                               {"entries", {{"per_purchase", 1}, {"per_code", 2}}},
                                               {"caps", {{"per_member", 50}}},
                                               {"public_value", "a lottery result"}})
                          .value());
        ASSERT_TRUE(draw.has_value()) << draw.error().message;
        draw_id_ = draw->draw.id;
        ASSERT_TRUE(world.services.draws.publish(marketer, draw_id_).has_value());
        ASSERT_TRUE(world.services.draws.make_codes(marketer, draw_id_, 1).has_value());

        // Three coffees fill the card (its reward a coupon code), the reward pays the fourth, a
        // return takes the first back; the cashback rule's cap counts, the trial records Sara.
        for (const char* receipt : {"1", "2", "3"}) {
            committed(world.purchase(receipt, 1000000, sara_.card_number));
            later();
        }
        ASSERT_EQ(world.services.triggers.run_due(100).value().fired, 2) << "the third visit's bonus and segment";
        std::string reward;
        world.db.raw() << "SELECT code FROM coupon_codes WHERE member_id = :id", soci::into(reward),
            soci::use(sara_.id);
        core::Purchase free = world.purchase("4", 100000, sara_.card_number);
        free.coupons = {reward};
        EXPECT_EQ(committed(free)["coupons"]["discount"], 100000);
        returned("r1", "1", {{1, 1000}});
        long long second = 0;
        world.db.raw() << "SELECT id FROM purchases WHERE member_id = :id AND receipt = '2'", soci::into(second),
            soci::use(sara_.id);
        ASSERT_TRUE(world.services.feedback
                        .answer_own({world.program_id, sara_.id}, second,
                                    core::FeedbackAnswer{9, 4, std::nullopt, "the milk was cold"})
                        .has_value());
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
        ASSERT_TRUE(
            world.members
                .update(support_, again.id, core::decode_member_update({{"consents", {{"marketing_email", true}}}}))
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
                                                   "192.0.2.7", pos::encode_purchase_answer);
        ASSERT_FALSE(claimed.has_value());

        // A packaging code she enters; the draw, run after its close, places her.
        const std::string pack = world.services.draws.export_codes(marketer, draw_id_, 0).value().at(0).code;
        const auto entered = world.services.draws.enter_code({world.program_id, sara_.id}, pack);
        ASSERT_TRUE(entered.has_value()) << entered.error().message;

        // Insight: scores and segments refreshed, the report's sums rolled up.
        ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());
        // The report's sums take transfers older than twice the late-commit allowance.
        world.clock.set(world.clock.now() + 2 * service::kLateCommitAllowance + std::chrono::minutes(1));
        ASSERT_TRUE(world.services.reward_days.roll_up().has_value());
        world.clock.set(std::max(world.clock.now(), draw_closes_ + std::chrono::minutes(1)));
        const auto run = world.services.draws.run(marketer, draw_id_, "4 8 15 16 23 42");
        ASSERT_TRUE(run.has_value()) << run.error().message;
        ASSERT_EQ(run->places.size(), 1U);
    }

    // Half an hour from the world's clock when the draw is made, as its terms write it.
    std::string draw_close_text() {
        draw_closes_ = std::chrono::floor<std::chrono::seconds>(world.clock.now() + std::chrono::minutes(30));
        return draw_text(draw_closes_);
    }
    static std::string draw_text(core::Timestamp at) {
        return core::format_utc(at, core::TimeFormat::kRfc3339).substr(0, 19) + "Z";
    }
    core::Timestamp draw_closes_{};
    long long draw_id_ = 0;

    static constexpr const char* kPassword = "a long secret";
    const service::StaffIdentity support_{world.program_id, "Ali (support)", core::StaffRole::kSupport};
    service::EnrolledMember sara_;
    long long again_id_ = 0;  // Sara's second record, merged into her.
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
    const std::vector<std::string> unreached = unknown_reached_tables(sql);
    EXPECT_TRUE(unreached.empty()) << "these columns are foreign keys to a table the export shows, from a table with"
                                      " neither a section nor a reason to be left out in kReachedTables: "
                                   << json(unreached).dump();
    compare_sections(sql, document, sara_.id, true);
    ASSERT_EQ(document["merged_records"].size(), 1U);
    const json& merged = document["merged_records"][0];
    EXPECT_EQ(merged["id"], again_id_);
    compare_sections(sql, merged, again_id_, false);
    // What the merge left on the record merged in: the entries of its purchase, its consents' history.
    EXPECT_FALSE(merged["ledger_entries"].empty());
    EXPECT_FALSE(merged["consent_history"].empty());
    EXPECT_TRUE(merged["purchases"].empty()) << "moved to Sara";

    // The objects, by their content.
    EXPECT_EQ(document["member"]["id"], sara_.id);
    EXPECT_EQ(document["member"]["status"], text_of(sql, "SELECT status FROM members WHERE id = :id", sara_.id));
    EXPECT_EQ(document["member"]["profile"]["full_name"], "Sara Karimi");
    const json& consents = document["consents"];
    EXPECT_EQ(consents["terms_version"],
              text_of(sql, "SELECT terms_version FROM member_consents WHERE member_id = :id", sara_.id));
    EXPECT_EQ(consents["marketing_sms"]["granted"],
              count_of(sql, "SELECT marketing_sms FROM member_consents WHERE member_id = :id", sara_.id) == 1);
    EXPECT_EQ(consents["marketing_email"]["granted"],
              count_of(sql, "SELECT marketing_email FROM member_consents WHERE member_id = :id", sara_.id) == 1);
    EXPECT_EQ(
        consents["marketing_sms"]["at"].is_null(),
        count_of(sql, "SELECT marketing_sms_at IS NULL FROM member_consents WHERE member_id = :id", sara_.id) == 1);
    EXPECT_EQ(document["account"]["points_available"],
              count_of(sql, "SELECT points_available FROM member_accounts WHERE member_id = :id", sara_.id));
    EXPECT_EQ(document["account"]["cashback_balance"],
              count_of(sql, "SELECT cashback_balance FROM member_accounts WHERE member_id = :id", sara_.id));
    EXPECT_EQ(document["account"]["tier"],
              text_of(sql, "SELECT tier FROM member_accounts WHERE member_id = :id", sara_.id));
    EXPECT_EQ(document["password"]["updated_at"],
              text_of(sql,
                      "SELECT DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%s.%fZ') FROM member_credentials"
                      " WHERE member_id = :id",
                      sara_.id));
    EXPECT_EQ(document["scores"]["frequency"],
              count_of(sql, "SELECT frequency FROM member_scores WHERE member_id = :id", sara_.id));
    EXPECT_EQ(document["scores"]["rfm_segment"],
              text_of(sql, "SELECT rfm_segment FROM member_scores WHERE member_id = :id", sara_.id));
    EXPECT_EQ(document["merged_members"][0]["status"], "merged");
    // Her consents as given at enrolment, then the SMS withdrawn by support staff.
    std::vector<std::string> history;
    for (const json& change : document["consent_history"]) {
        history.push_back(change["consent"].get<std::string>() + " " + change["value"].get<std::string>() + " by " +
                          change["changed_by"].get<std::string>());
    }
    EXPECT_EQ(history, (std::vector<std::string>{"terms 2026-01 by enrolment", "marketing_sms granted by enrolment",
                                                 "marketing_email not granted by enrolment",
                                                 "marketing_sms not granted by staff"}));
    EXPECT_EQ(document["lookups"], json::parse(R"([{"kind": "phone"}, {"kind": "email"}])"));
}

TEST_F(MemberExportTest, NoSecretOfTheMembersTablesIsInTheExport) {
    live_a_members_life();
    if (HasFatalFailure()) return;
    const std::string document =
        api::encode_member_export(world.services.privacy.export_member(support_, sara_.id).value()).dump();
    soci::session& sql = world.db.raw();
    // Every row's value of each secret column about Sara, hashes and MACs as hex.
    std::vector<std::string> secrets = {token_};
    for (const auto& [table, value] :
         std::vector<std::pair<std::string, std::string>>{{"member_credentials", "password_hash"},
                                                          {"member_tokens", "HEX(token_sha256)"},
                                                          {"member_codes", "HEX(code_mac)"},
                                                          {"member_lookups", "HEX(digest)"},
                                                          {"quote_holds", "HEX(basket_sha256)"},
                                                          {"purchases", "HEX(request_sha256)"}}) {
        soci::rowset<std::string> rows = (sql.prepare << "SELECT " + value + " FROM " + table +
                                                             " WHERE member_id = :id AND " + value + " IS NOT NULL",
                                          soci::use(sara_.id));
        const std::size_t before = secrets.size();
        for (const std::string& secret : rows) secrets.push_back(secret);
        EXPECT_GT(secrets.size(), before) << "Sara has no " << table << "." << value << ": the test shows nothing";
    }
    EXPECT_GT(count_of(sql, "SELECT COUNT(*) FROM member_tokens WHERE member_id = :id", sara_.id), 1)
        << "a session and the one the password set: both checked";
    for (const std::string& secret : secrets) {
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

TEST(MemberExportSchema, ATableReachedThroughAPurchaseOrALotAndNoExportSectionIsNamed) {
    testing::TestDatabase db;
    EXPECT_TRUE(unknown_reached_tables(db.raw()).empty());
    db.raw() << "CREATE TABLE receipt_photos (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, purchase_id BIGINT UNSIGNED"
                " NOT NULL, CONSTRAINT fk_receipt_photos_purchase FOREIGN KEY (purchase_id) REFERENCES purchases (id))";
    db.raw() << "CREATE TABLE lot_gifts (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, lot BIGINT UNSIGNED NOT NULL,"
                " CONSTRAINT fk_lot_gifts_lot FOREIGN KEY (lot) REFERENCES point_lots (id))";
    EXPECT_EQ(unknown_reached_tables(db.raw()),
              (std::vector<std::string>{"lot_gifts.lot", "receipt_photos.purchase_id"}));
}

}  // namespace
}  // namespace patron
