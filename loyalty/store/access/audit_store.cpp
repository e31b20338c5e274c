#include "loyalty/store/access/audit_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/sql_time.h"

namespace patron::store {

void insert_audit(soci::session& sql, const AuditEntry& entry, core::Timestamp now) {
    const std::string created = to_sql_time(now);
    sql << "INSERT INTO audit_log (program_id, actor, action, entity, entity_id, fields, created_at)"
           " VALUES (:program, :actor, :action, :entity, :entity_id, :fields, :created)",
        soci::use(entry.program_id), soci::use(entry.actor), soci::use(entry.action), soci::use(entry.entity),
        soci::use(entry.entity_id), soci::use(entry.fields), soci::use(created);
}

}  // namespace patron::store
