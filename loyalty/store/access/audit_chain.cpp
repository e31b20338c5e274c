#include "loyalty/store/access/audit_chain.h"

#include <soci/soci.h>

#include "crypto/bytes.h"
#include "loyalty/store/db/sql_time.h"

namespace patron::store {
namespace {

const std::string kFirstPrevious(crypto::kChainMacSize * 2, '0');  // Hex of the zeros before link 1.

void add_field(std::string& message, std::string_view value) {
    message += std::to_string(value.size());
    message += ':';
    message += value;
}

void add_field(std::string& message, const std::optional<long long>& value) {
    if (value) {
        add_field(message, std::to_string(*value));
    } else {
        message += '-';  // Every present value starts with its length's digits.
    }
}

std::optional<long long> optional_number(const soci::row& row, std::size_t column) {
    if (row.get_indicator(column) == soci::i_null) return std::nullopt;
    return row.get<long long>(column);
}

struct Head {
    long long seq = 0;
    std::string mac_hex = kFirstPrevious;
};

// Writes the entry's link after `head` and moves `head` on to it (the head row is written by the caller).
void append_link(soci::session& sql, const crypto::ChainKey& key, const AuditColumns& entry, Head& head) {
    const long long seq = head.seq + 1;
    const crypto::Bytes previous = crypto::from_hex(head.mac_hex).value_or(crypto::Bytes(crypto::kChainMacSize, 0));
    const std::string mac = crypto::to_hex(key.link(previous, audit_link_message(seq, entry)));
    sql << "INSERT INTO audit_seals (audit_id, program_id, seq, mac) VALUES (:id, :program, :seq, UNHEX(:mac))",
        soci::use(entry.id), soci::use(entry.program_id), soci::use(seq), soci::use(mac);
    head = {seq, mac};
}

void write_head(soci::session& sql, long long program_id, const Head& head) {
    sql << "UPDATE audit_chain_heads SET seq = :seq, mac = UNHEX(:mac) WHERE program_id = :program",
        soci::use(head.seq), soci::use(head.mac_hex), soci::use(program_id);
}

}  // namespace

std::string audit_entry_columns(const std::string& alias) {
    const auto column = [&](const char* name) { return alias + name; };
    return "CAST(" + column("id") + " AS SIGNED), CAST(" + column("program_id") + " AS SIGNED), DATE_FORMAT(" +
           column("created_at") + ", " + kSqlTimeFormat + "), " + column("actor") + ", CAST(" +
           column("staff_user_id") + " AS SIGNED), " + column("action") + ", " + column("entity") + ", CAST(" +
           column("entity_id") + " AS SIGNED), CAST(" + column("member_id") + " AS SIGNED), " + column("fields");
}

AuditColumns audit_entry_of(const soci::row& row, std::size_t first) {
    AuditColumns entry;
    entry.id = row.get<long long>(first);
    entry.program_id = row.get<long long>(first + 1);
    entry.created_at = row.get<std::string>(first + 2);
    entry.actor = row.get<std::string>(first + 3);
    entry.staff_user_id = optional_number(row, first + 4);
    entry.action = row.get<std::string>(first + 5);
    entry.entity = row.get<std::string>(first + 6);
    entry.entity_id = row.get<long long>(first + 7);
    entry.member_id = optional_number(row, first + 8);
    entry.fields = row.get<std::string>(first + 9);
    return entry;
}

std::string audit_link_message(long long seq, const AuditColumns& entry) {
    std::string message = "audit v1 ";
    add_field(message, std::to_string(seq));
    add_field(message, std::to_string(entry.id));
    add_field(message, std::to_string(entry.program_id));
    add_field(message, entry.created_at);
    add_field(message, entry.actor);
    add_field(message, entry.staff_user_id);
    add_field(message, entry.action);
    add_field(message, entry.entity);
    add_field(message, std::to_string(entry.entity_id));
    add_field(message, entry.member_id);
    add_field(message, entry.fields);
    return message;
}

void seal_audit_entry(soci::session& sql, const crypto::ChainKey& key, const AuditColumns& entry) {
    // The head of a programme's first entry is created here (a new programme has none); the upsert
    // locks it exclusively either way, so two writers never read the same head.
    sql << "INSERT INTO audit_chain_heads (program_id, seq, mac) VALUES (:program, 0, UNHEX(:mac))"
           " ON DUPLICATE KEY UPDATE seq = seq",
        soci::use(entry.program_id), soci::use(kFirstPrevious);
    Head head;
    sql << "SELECT CAST(seq AS SIGNED), LOWER(HEX(mac)) FROM audit_chain_heads WHERE program_id = :program FOR UPDATE",
        soci::use(entry.program_id), soci::into(head.seq), soci::into(head.mac_hex);
    append_link(sql, key, entry, head);
    write_head(sql, entry.program_id, head);
}

std::optional<long long> seal_legacy_audit_entries(soci::session& sql, const crypto::ChainKey& key, int batch) {
    long long program_id = 0;
    long long legacy_until = 0;
    Head head;
    soci::indicator found = soci::i_null;
    sql << "SELECT CAST(program_id AS SIGNED), CAST(seq AS SIGNED), LOWER(HEX(mac)), CAST(legacy_until AS SIGNED)"
           " FROM audit_chain_heads WHERE legacy_until > 0 ORDER BY program_id LIMIT 1 FOR UPDATE",
        soci::into(program_id, found), soci::into(head.seq), soci::into(head.mac_hex), soci::into(legacy_until);
    if (!sql.got_data() || found == soci::i_null) return std::nullopt;
    // From the last entry of before the chains sealed so far, so that each batch reads only its own.
    long long sealed_until = 0;
    sql << "SELECT CAST(COALESCE(MAX(audit_id), 0) AS SIGNED) FROM audit_seals"
           " WHERE program_id = :program AND audit_id <= :until",
        soci::use(program_id), soci::use(legacy_until), soci::into(sealed_until);
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT " + audit_entry_columns("a.") +
                            " FROM audit_log a LEFT JOIN audit_seals s ON s.audit_id = a.id"
                            " WHERE a.program_id = :program AND a.id > :after AND a.id <= :until"
                            " AND s.audit_id IS NULL ORDER BY a.id LIMIT " +
                            std::to_string(batch),
         soci::use(program_id), soci::use(sealed_until), soci::use(legacy_until));
    std::vector<AuditColumns> entries;
    for (const soci::row& row : rows) entries.push_back(audit_entry_of(row, 0));
    for (const AuditColumns& entry : entries) append_link(sql, key, entry, head);
    write_head(sql, program_id, head);
    if (entries.size() < static_cast<std::size_t>(batch)) {
        sql << "UPDATE audit_chain_heads SET legacy_until = 0 WHERE program_id = :program", soci::use(program_id);
    }
    return static_cast<long long>(entries.size());
}

AuditChainReport verify_audit_chains(soci::session& sql, const crypto::ChainKey& key, int page) {
    AuditChainReport report;
    // Every programme that has a head, a seal or an entry: a head removed must not hide its chain.
    std::vector<long long> programs;
    {
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT CAST(program_id AS SIGNED) FROM audit_chain_heads"
                            " UNION SELECT DISTINCT CAST(program_id AS SIGNED) FROM audit_seals"
                            " UNION SELECT DISTINCT CAST(program_id AS SIGNED) FROM audit_log ORDER BY 1");
        for (const soci::row& row : rows) programs.push_back(row.get<long long>(0));
    }
    for (const long long program_id : programs) {
        const std::string programme = "programme " + std::to_string(program_id) + ": ";
        int problems = 0;
        const auto problem = [&](const std::string& line) {
            if (++problems <= kAuditProblemsListed) report.problems.push_back(programme + line);
        };
        std::optional<Head> stored;
        {
            Head head;
            soci::indicator found = soci::i_null;
            sql << "SELECT CAST(seq AS SIGNED), LOWER(HEX(mac)) FROM audit_chain_heads WHERE program_id = :program",
                soci::use(program_id), soci::into(head.seq, found), soci::into(head.mac_hex);
            if (sql.got_data() && found != soci::i_null) stored = head;
        }
        Head walked;
        for (;;) {
            soci::rowset<soci::row> rows =
                (sql.prepare << "SELECT CAST(s.seq AS SIGNED), CAST(s.audit_id AS SIGNED), LOWER(HEX(s.mac)), " +
                                    audit_entry_columns("a.") +
                                    " FROM audit_seals s LEFT JOIN audit_log a ON a.id = s.audit_id"
                                    " WHERE s.program_id = :program AND s.seq > :after ORDER BY s.seq LIMIT " +
                                    std::to_string(page),
                 soci::use(program_id), soci::use(walked.seq));
            int read = 0;
            for (const soci::row& row : rows) {
                ++read;
                const long long seq = row.get<long long>(0);
                const long long audit_id = row.get<long long>(1);
                const std::string mac_hex = row.get<std::string>(2);
                const std::string link = "entry " + std::to_string(audit_id) + " (link " + std::to_string(seq) + ")";
                const bool follows = seq == walked.seq + 1;
                if (!follows) {
                    // The link after a gap cannot be checked (its MAC covers a link that is gone).
                    problem("links " + std::to_string(walked.seq + 1) + " to " + std::to_string(seq - 1) +
                            " are missing: their seals were removed");
                }
                if (row.get_indicator(3) == soci::i_null) {
                    problem(link + " was removed");
                } else if (follows) {
                    const crypto::Bytes previous =
                        crypto::from_hex(walked.mac_hex).value_or(crypto::Bytes(crypto::kChainMacSize, 0));
                    const std::string expected =
                        crypto::to_hex(key.link(previous, audit_link_message(seq, audit_entry_of(row, 3))));
                    if (expected != mac_hex)
                        problem(link + " does not match its seal: the entry or its seal was changed");
                }
                walked = {seq, mac_hex};
            }
            if (read < page) break;
        }
        if (!stored) {
            if (walked.seq > 0) problem("the chain's head was removed");
        } else if (walked.seq != stored->seq || walked.mac_hex != stored->mac_hex) {
            problem("the chain ends at link " + std::to_string(walked.seq) + " but its head names link " +
                    std::to_string(stored->seq) + ": links were removed from its end, or its head was changed");
        }
        // Entries without a link: written around patrond, or their seal removed; the entries from
        // before the chains are counted apart until patrond seals them.
        const long long legacy_until = [&] {
            long long until = 0;
            sql << "SELECT CAST(legacy_until AS SIGNED) FROM audit_chain_heads WHERE program_id = :program",
                soci::use(program_id), soci::into(until);
            return sql.got_data() ? until : 0LL;
        }();
        long long legacy = 0;
        sql << "SELECT COUNT(*) FROM audit_log a LEFT JOIN audit_seals s ON s.audit_id = a.id"
               " WHERE a.program_id = :program AND a.id <= :until AND s.audit_id IS NULL",
            soci::use(program_id), soci::use(legacy_until), soci::into(legacy);
        report.legacy_unsealed += legacy;
        soci::rowset<soci::row> unsealed =
            (sql.prepare << "SELECT CAST(a.id AS SIGNED) FROM audit_log a LEFT JOIN audit_seals s ON s.audit_id = a.id"
                            " WHERE a.program_id = :program AND a.id > :until AND s.audit_id IS NULL ORDER BY a.id"
                            " LIMIT " +
                                std::to_string(kAuditProblemsListed + 1),
             soci::use(program_id), soci::use(legacy_until));
        for (const soci::row& row : unsealed) {
            problem("entry " + std::to_string(row.get<long long>(0)) +
                    " has no link: it was written around patrond, or its seal was removed");
        }
        if (problems > kAuditProblemsListed) {
            report.problems.push_back(programme + "and at least " + std::to_string(problems - kAuditProblemsListed) +
                                      " more problems");
        }
        if (walked.seq > 0 || stored) report.chains.push_back({program_id, walked.seq, walked.mac_hex});
    }
    return report;
}

}  // namespace patron::store
