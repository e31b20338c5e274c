// The audit log's chains (issue 20): every entry is sealed as the next link of its programme's
// chain in the transaction that writes it, concurrent writers number their links without gaps,
// neither the entries nor their seals can be updated or deleted, and whoever works around the
// triggers (dropping them, as an account with the privilege could) is found by verification,
// which names each entry changed, removed or written without a link.
#include "loyalty/store/access/audit_chain.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "crypto/bytes.h"
#include "loyalty/store/access/audit_store.h"
#include "tests/support/test_world.h"

namespace patron {
namespace {

using core::AuditAction;

class AuditChain : public ::testing::Test {
  protected:
    // An entry written as every use case writes one; the actor's name is Persian, a field list may be empty.
    void write(long long program_id, int n, std::optional<long long> member = std::nullopt) {
        const auto written = world.db.database().transact([&](soci::session& sql) -> core::Result<void> {
            store::insert_audit(sql, world.keys,
                                {program_id,
                                 {"مینا " + std::to_string(n), n % 3 == 0 ? std::nullopt : std::optional(100LL + n)},
                                 AuditAction::kCardBlocked,
                                 "card",
                                 1000 + n,
                                 n % 4 == 0 ? "" : "state,reason",
                                 member},
                                world.clock.now());
            return {};
        });
        ASSERT_TRUE(written.has_value()) << written.error().message;
    }

    store::AuditChainReport verify() { return world.services.audit_log.verify_chains().value(); }

    long long entry_id(long long program_id, long long seq) {
        long long id = 0;
        world.db.raw() << "SELECT CAST(audit_id AS SIGNED) FROM audit_seals WHERE program_id = :p AND seq = :s",
            soci::use(program_id), soci::use(seq), soci::into(id);
        return id;
    }

    // What an account allowed to drop triggers could do behind them.
    void around_the_triggers(const std::string& statement) {
        soci::session& sql = world.db.raw();
        for (const char* table : {"audit_log", "audit_seals"}) {
            sql << std::string("DROP TRIGGER ") + table + "_no_update";
            sql << std::string("DROP TRIGGER ") + table + "_no_delete";
        }
        sql << "DROP TRIGGER audit_chain_heads_no_delete";
        sql << statement;
    }

    long long second_program() {
        soci::session& sql = world.db.raw();
        sql << "INSERT INTO programs (code, name, currency, country_calling_code, language, card_prefix, created_at)"
               " VALUES ('SECOND', 'Club', 'IRR', '98', 'fa', '7002', '2026-01-01')";
        long long id = 0;
        sql << "SELECT MAX(id) FROM programs", soci::into(id);
        return id;
    }

    testing::TestWorld world;
};

TEST_F(AuditChain, EveryEntryIsSealedAndTheChainsVerify) {
    const long long other = second_program();
    for (int n = 1; n <= 12; ++n)
        write(n % 3 == 0 ? other : world.program_id, n, n % 2 ? std::optional(7LL) : std::nullopt);
    // And one through a use case, as staff make them.
    const auto member = world.enrol("Sara Ahmadi", "09121234567", "sara@example.com");
    const service::StaffIdentity support{world.program_id, "Ali (support)", core::StaffRole::kSupport, 5};
    ASSERT_TRUE(world.adjustments.adjust(support, member.id, {40, "goodwill"}).has_value());

    const store::AuditChainReport report = verify();
    EXPECT_TRUE(report.problems.empty()) << report.problems.front();
    EXPECT_EQ(report.legacy_unsealed, 0);
    long long entries = 0;
    world.db.raw() << "SELECT COUNT(*) FROM audit_log", soci::into(entries);
    long long links = 0;
    for (const auto& chain : report.chains) {
        links += chain.links;
        EXPECT_EQ(chain.head_mac.size(), 64u);
    }
    EXPECT_EQ(links, entries);
    ASSERT_EQ(report.chains.size(), 2u);
    EXPECT_EQ(report.chains[1].links, 4) << "the second programme's four entries, numbered from 1";
}

TEST_F(AuditChain, NeitherEntriesNorSealsCanBeUpdatedOrDeleted) {
    write(world.program_id, 1);
    soci::session& sql = world.db.raw();
    EXPECT_THROW(sql << "UPDATE audit_log SET fields = 'points'", soci::soci_error);
    EXPECT_THROW(sql << "DELETE FROM audit_log", soci::soci_error);
    EXPECT_THROW(sql << "UPDATE audit_seals SET seq = 2", soci::soci_error);
    EXPECT_THROW(sql << "DELETE FROM audit_seals", soci::soci_error);
    std::string fields;
    sql << "SELECT fields FROM audit_log", soci::into(fields);
    EXPECT_EQ(fields, "state,reason");
    EXPECT_TRUE(verify().problems.empty());
}

TEST_F(AuditChain, VerificationNamesTheEntryChangedBehindTheTriggers) {
    for (int n = 1; n <= 10; ++n) write(world.program_id, n);
    const long long fourth = entry_id(world.program_id, 4);
    around_the_triggers("UPDATE audit_log SET actor = 'someone else' WHERE id = " + std::to_string(fourth));
    const store::AuditChainReport report = verify();
    ASSERT_EQ(report.problems.size(), 1u);
    EXPECT_EQ(report.problems[0], "programme " + std::to_string(world.program_id) + ": entry " +
                                      std::to_string(fourth) +
                                      " (link 4) does not match its seal: the entry or its seal was changed");
}

TEST_F(AuditChain, VerificationFindsEntriesRemovedReorderedOrWrittenAroundPatrond) {
    for (int n = 1; n <= 10; ++n) write(world.program_id, n);
    const std::string program = std::to_string(world.program_id);
    const long long third = entry_id(world.program_id, 3);
    const long long sixth = entry_id(world.program_id, 6);
    const long long seventh = entry_id(world.program_id, 7);
    // Removed, with its seal left; two links' entries swapped; an entry written without a link.
    around_the_triggers("DELETE FROM audit_log WHERE id = " + std::to_string(third));
    world.db.raw() << "UPDATE audit_seals SET audit_id = 0 WHERE audit_id = :a", soci::use(sixth);
    world.db.raw() << "UPDATE audit_seals SET audit_id = :a WHERE audit_id = :b", soci::use(sixth), soci::use(seventh);
    world.db.raw() << "UPDATE audit_seals SET audit_id = :b WHERE audit_id = 0", soci::use(seventh);
    world.db.raw() << "INSERT INTO audit_log (program_id, actor, action, entity, entity_id, fields, created_at)"
                      " VALUES (:p, 'intruder', 'card.blocked', 'card', 1, '', '2026-01-01')",
        soci::use(world.program_id);
    long long intruder = 0;
    world.db.raw() << "SELECT MAX(id) FROM audit_log", soci::into(intruder);

    const std::vector<std::string> expected = {
        "programme " + program + ": entry " + std::to_string(third) + " (link 3) was removed",
        "programme " + program + ": entry " + std::to_string(seventh) +
            " (link 6) does not match its seal: the entry or its seal was changed",
        "programme " + program + ": entry " + std::to_string(sixth) +
            " (link 7) does not match its seal: the entry or its seal was changed",
        "programme " + program + ": entry " + std::to_string(intruder) +
            " has no link: it was written around patrond, or its seal was removed",
    };
    EXPECT_EQ(verify().problems, expected);
}

TEST_F(AuditChain, VerificationFindsLinksCutFromTheMiddleOrTheEnd) {
    for (int n = 1; n <= 6; ++n) write(world.program_id, n);
    const std::string program = std::to_string(world.program_id);
    const long long sixth = entry_id(world.program_id, 6);
    around_the_triggers("DELETE FROM audit_seals WHERE seq IN (2, 3, 6)");
    world.db.raw() << "DELETE FROM audit_log WHERE id = :id", soci::use(sixth);
    const std::vector<std::string> problems = verify().problems;
    ASSERT_GE(problems.size(), 3u);
    EXPECT_EQ(problems[0], "programme " + program + ": links 2 to 3 are missing: their seals were removed");
    EXPECT_EQ(problems[1], "programme " + program +
                               ": the chain ends at link 5 but its head names link 6: links "
                               "were removed from its end, or its head was changed");
    // The two entries whose seals went are written around the chain now.
    EXPECT_EQ(problems.size(), 4u);
}

TEST_F(AuditChain, AChainWhoseHeadWasRemovedIsStillWalkedAndSaidToLackIt) {
    for (int n = 1; n <= 3; ++n) write(world.program_id, n);
    EXPECT_THROW(world.db.raw() << "DELETE FROM audit_chain_heads", soci::soci_error);
    around_the_triggers("DELETE FROM audit_chain_heads");
    const store::AuditChainReport report = verify();
    EXPECT_EQ(report.problems, std::vector<std::string>{"programme " + std::to_string(world.program_id) +
                                                        ": the chain's head was removed"});
    ASSERT_EQ(report.chains.size(), 1u);
    EXPECT_EQ(report.chains[0].links, 3);
}

// Verification while writers write: one snapshot, so links committed meanwhile are never taken for
// links beyond their head.
TEST_F(AuditChain, ConcurrentWritersNumberTheirLinksWithoutGapsOrForksWhileVerificationReads) {
    constexpr int kThreads = 6;
    constexpr int kEach = 25;
    std::atomic<int> writing{kThreads};
    std::vector<std::thread> writers;
    for (int t = 0; t < kThreads; ++t) {
        writers.emplace_back([this, t, &writing] {
            for (int n = 0; n < kEach; ++n) write(world.program_id, t * kEach + n);
            --writing;
        });
    }
    int verifications = 0;
    while (writing > 0) {
        const store::AuditChainReport during = verify();
        EXPECT_TRUE(during.problems.empty()) << during.problems.front();
        ++verifications;
    }
    for (std::thread& writer : writers) writer.join();
    EXPECT_GT(verifications, 0);
    const store::AuditChainReport report = verify();
    EXPECT_TRUE(report.problems.empty()) << report.problems.front();
    ASSERT_EQ(report.chains.size(), 1u);
    EXPECT_EQ(report.chains[0].links, kThreads * kEach);
}

// The MAC of a known entry under a known keys file: stored chains stay verifiable only while the
// key's derivation and the message's form stay exactly these.
TEST(AuditLinks, AKnownEntryUnderAKnownKeyGivesAKnownLink) {
    const crypto::KeyRing ring = crypto::KeyRing::parse(
                                     "master mk1 AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\nactive mk1\n"
                                     "index ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=\n")
                                     .value();
    const store::AuditColumns entry{
        812, 1, "2026-11-29 10:15:00.123456", "مینا", 7, "card.blocked", "card", 9001, std::nullopt, "state,reason"};
    const std::string message = store::audit_link_message(97, entry);
    EXPECT_EQ(message,
              "audit v1 2:973:8121:126:2026-11-29 10:15:00.1234568:مینا1:712:card.blocked4:card4:9001-12:state,reason");
    const crypto::Bytes previous(crypto::kChainMacSize, 0);
    // Computed apart with Python's hmac: HKDF-SHA256 (RFC 5869, no salt) of the index key with the
    // chain's label, then HMAC-SHA256 of 32 zero bytes and the message.
    EXPECT_EQ(crypto::to_hex(crypto::ChainKey(ring).link(previous, message)),
              "341b413c8f5f24b4030ca9ce1a1cbcc7a41226d99abc49710329d37541776f62");
}

}  // namespace
}  // namespace patron
