#include "loyalty/store/program/rule_draft_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/sql_time.h"

namespace patron::store {

std::optional<RuleDraft> find_rule_draft(soci::session& sql, long long program_id, bool for_update) {
    RuleDraft draft;
    int based_on = 0;
    soci::indicator based_indicator = soci::i_null;
    std::string updated_at;
    sql << "SELECT document, based_on_version, updated_by, DATE_FORMAT(updated_at, " << kSqlTimeFormat
        << ") FROM rule_set_drafts WHERE program_id = :program" << (for_update ? " FOR UPDATE" : ""),
        soci::into(draft.document), soci::into(based_on, based_indicator), soci::into(draft.updated_by),
        soci::into(updated_at), soci::use(program_id);
    if (!sql.got_data()) return std::nullopt;
    if (based_indicator == soci::i_ok) draft.based_on_version = based_on;
    draft.updated_at = from_sql_time(updated_at).value_or(core::Timestamp{});
    return draft;
}

void lock_program_rules(soci::session& sql, long long program_id) {
    // A write, which locks the row as FOR UPDATE did and on Galera also conflicts with another
    // node's (docs/cluster.md, "Row locks").
    sql << "UPDATE programs SET write_mark = write_mark + 1 WHERE id = :program", soci::use(program_id);
}

void save_rule_draft(soci::session& sql, long long program_id, const RuleDraft& draft) {
    const int based_on = draft.based_on_version.value_or(0);
    soci::indicator based_indicator = draft.based_on_version ? soci::i_ok : soci::i_null;
    const std::string updated_at = to_sql_time(draft.updated_at);
    sql << "INSERT INTO rule_set_drafts (program_id, document, based_on_version, updated_by, updated_at)"
           " VALUES (:program, :document, :based, :by, :at) ON DUPLICATE KEY UPDATE document = VALUES(document),"
           " based_on_version = VALUES(based_on_version), updated_by = VALUES(updated_by),"
           " updated_at = VALUES(updated_at)",
        soci::use(program_id, "program"), soci::use(draft.document, "document"),
        soci::use(based_on, based_indicator, "based"), soci::use(draft.updated_by, "by"), soci::use(updated_at, "at");
}

void delete_rule_draft(soci::session& sql, long long program_id) {
    sql << "DELETE FROM rule_set_drafts WHERE program_id = :program", soci::use(program_id);
}

std::vector<RuleSetSummary> list_rule_sets(soci::session& sql, long long program_id) {
    std::vector<RuleSetSummary> list;
    soci::rowset<soci::row> rows = (sql.prepare << "SELECT version, DATE_FORMAT(effective_from, " << kSqlTimeFormat
                                                << "), DATE_FORMAT(published_at, " << kSqlTimeFormat
                                                << "), COALESCE(published_by, ''), COALESCE(note, '') FROM rule_sets"
                                                   " WHERE program_id = :program ORDER BY version DESC",
                                    soci::use(program_id));
    for (const soci::row& row : rows) {
        list.push_back(RuleSetSummary{row.get<int>(0),
                                      from_sql_time(row.get<std::string>(1)).value_or(core::Timestamp{}),
                                      from_sql_time(row.get<std::string>(2)).value_or(core::Timestamp{}),
                                      row.get<std::string>(3), row.get<std::string>(4)});
    }
    return list;
}

void describe_rule_set(soci::session& sql, long long program_id, int version, const std::string& published_by,
                       const std::string& note) {
    sql << "UPDATE rule_sets SET published_by = :by, note = :note WHERE program_id = :program AND version = :version",
        soci::use(published_by), soci::use(note), soci::use(program_id), soci::use(version);
}

}  // namespace patron::store
