// Members of a programme made by the server at size (bench/seq_insert.h) for the benchmarks that
// need many: each with an active card that a till can use, its account, and lots of points
// earned in the ledger as a purchase books them (an earn transfer from the programme's issued
// account to the member's available one), so that entries, balances and lots agree as
// `patronctl verify` checks them. The n-th seeded member's card is a function of n alone
// (seeded_card), so a load generator can be handed the cards without reading them back.
#pragma once

#include <soci/soci.h>

#include <cstdio>
#include <string>

#include "bench/seq_insert.h"
#include "loyalty/core/card_number.h"

namespace patron::bench {

// The programme the members join, and what their rows need from it.
struct SeededProgramme {
    long long id = 0;
    std::string card_prefix;  // Digits only.
    std::string tier;         // A new member's tier.
};

// Each member's lots: how many, their points, and when they were earned and expire (SQL
// expressions over @now, the UTC instant the seeding started).
struct SeededLots {
    int per_member = 1;
    long long points = 100;
    std::string earned_at = "@now - INTERVAL 1 DAY";
    std::string expires_at = "@now + INTERVAL 364 DAY";
};

// The n-th seeded member's card: the programme's prefix, "9", n in ten digits, the Luhn check
// digit. The leading 9 keeps the numbers apart from most numbers drawn at enrolment.
inline std::string seeded_card(const std::string& prefix, long long n) {
    char body[24];
    std::snprintf(body, sizeof body, "9%010lld", n);
    return core::make_card_number(prefix, body);
}

// seeded_card() computed by the server from the sequence's `seq`: the prefix's and the 9's part
// of the Luhn sum is a constant, the ten digits of seq are taken arithmetically.
inline std::string seeded_card_sql(const std::string& prefix) {
    const std::string fixed = prefix + "9";
    // Counted from the right of the number without its check digit, odd places are doubled.
    const auto doubled = [](int digit) { return digit * 2 > 9 ? digit * 2 - 9 : digit * 2; };
    int constant = 0;
    for (std::size_t i = 0; i < fixed.size(); ++i) {
        const int digit = fixed[i] - '0';
        const std::size_t place = fixed.size() - i + 10;
        constant += place % 2 == 1 ? doubled(digit) : digit;
    }
    std::string sum = std::to_string(constant);
    long long power = 1;
    for (int place = 1; place <= 10; ++place, power *= 10) {
        const std::string digit = "((seq DIV " + std::to_string(power) + ") MOD 10)";
        sum += place % 2 == 1 ? " + " + digit + " * 2 - IF(" + digit + " > 4, 9, 0)" : " + " + digit;
    }
    return "CONCAT('" + fixed + "', LPAD(seq, 10, '0'), (10 - (" + sum + ") MOD 10) MOD 10)";
}

// Seeds members first..first + count - 1 (their numbers for seeded_card) with their cards,
// accounts and lots. Member and transfer ids follow the largest ids in their tables, so the
// seeding can be repeated to grow a programme that has been trading meanwhile.
inline void seed_members(soci::session& sql, const SeededProgramme& programme, long long first, long long count,
                         const SeededLots& lots) {
    const std::string program = std::to_string(programme.id);
    const std::string card = seeded_card_sql(programme.card_prefix);
    const std::string points = std::to_string(lots.points);
    sql << "SET SESSION foreign_key_checks = 0, unique_checks = 0, time_zone = '+00:00'";
    sql << "SET @now = UTC_TIMESTAMP(6)";
    sql << "SET @member_offset = (SELECT COALESCE(MAX(id), 0) FROM members) - " + std::to_string(first - 1);
    run_chunked(sql, "cards", count,
                "INSERT INTO cards (number, member_id, kind, state, state_changed_at, created_at) SELECT " + card +
                    ", @member_offset + seq, 'virtual', 'active', @now, @now FROM {seq}",
                first);
    run_chunked(sql, "members", count,
                "INSERT INTO members (id, program_id, status, primary_card, created_at, updated_at)"
                " SELECT @member_offset + seq, " +
                    program + ", 'active', " + card + ", @now, @now FROM {seq}",
                first);
    run_chunked(sql, "accounts", count,
                "INSERT INTO member_accounts (member_id, program_id, points_available, tier, updated_at)"
                " SELECT @member_offset + seq, " +
                    program + ", " + std::to_string(lots.points * lots.per_member) + ", " + "'" + programme.tier +
                    "', @now FROM {seq}",
                first);
    for (int round = 0; round < lots.per_member; ++round) {
        sql << "SET @transfer_offset = (SELECT COALESCE(MAX(id), 0) FROM ledger_transfers) - " +
                   std::to_string(first - 1);
        run_chunked(sql, "earnings", count,
                    "INSERT INTO ledger_transfers (id, program_id, kind, rule_id, rule_version, created_at)"
                    " SELECT @transfer_offset + seq, " +
                        program + ", 'earn', 'base', 1, " + lots.earned_at + " FROM {seq}",
                    first);
        run_chunked(
            sql, "earnings' entries", count,
            "INSERT INTO ledger_entries (transfer_id, account, member_id, amount) SELECT @transfer_offset + seq,"
            " 'program_issued', NULL, -" +
                points +
                " FROM {seq} UNION ALL SELECT @transfer_offset + seq, 'member_available',"
                " @member_offset + seq, " +
                points + " FROM {seq}",
            first);
        run_chunked(sql, "lots", count,
                    "INSERT INTO point_lots (member_id, transfer_id, rule_id, rule_version, earned, remaining, state,"
                    " earned_at, pending_until, expires_at) SELECT @member_offset + seq, @transfer_offset + seq,"
                    " 'base', 1, " +
                        points + ", " + points + ", 'available', " + lots.earned_at + ", " + lots.earned_at + ", " +
                        lots.expires_at + " FROM {seq}",
                    first);
    }
    sql << "SET SESSION foreign_key_checks = 1, unique_checks = 1";
}

}  // namespace patron::bench
