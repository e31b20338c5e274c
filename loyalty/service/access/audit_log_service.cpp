#include "loyalty/service/access/audit_log_service.h"

#include "loyalty/core/member_profile.h"
#include "loyalty/core/time_zone.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/access/staff_store.h"

namespace patron::service {
namespace {

// The programme's staff user whose email `actor` is, when it is one.
std::optional<long long> staff_user_of(soci::session& sql, long long program_id, const std::string& actor) {
    const auto email = core::normalise_email(actor, "actor");
    if (!email) return std::nullopt;
    const auto user = store::find_staff_user_by_email(sql, *email, false);
    if (!user || user->program_id != program_id) return std::nullopt;
    return user->id;
}

}  // namespace

AuditLogService::AuditLogService(store::Database& database, const crypto::KeyRing& keys)
    : database_(database), keys_(keys) {}

core::Result<long long> AuditLogService::seal_legacy_entries() {
    const crypto::ChainKey key(keys_);
    long long sealed = 0;
    for (;;) {
        auto batch = database_.transact_for<std::optional<long long>>(
            [&](soci::session& sql) -> core::Result<std::optional<long long>> {
                return store::seal_legacy_audit_entries(sql, key);
            });
        if (!batch) return std::unexpected(batch.error());
        if (!*batch) return sealed;
        sealed += **batch;
    }
}

core::Result<store::AuditChainReport> AuditLogService::verify_chains() {
    const crypto::ChainKey key(keys_);
    // One snapshot for the whole walk (the pool's sessions read committed rows statement by
    // statement): the heads, the seals and the entries agree while patrond goes on writing.
    return database_.run_for<store::AuditChainReport>([&](soci::session& sql) -> core::Result<store::AuditChainReport> {
        sql << "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";
        sql << "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY";
        store::AuditChainReport report = store::verify_audit_chains(sql, key);
        sql << "COMMIT";
        return report;
    });
}

core::Result<AuditPage> AuditLogService::search(const StaffIdentity& staff, const core::AuditQuery& query) {
    if (!may(staff, kAuditReaders)) {
        return core::fail(core::ErrorCode::kForbidden, "the audit log is for admins and support");
    }
    return database_.run_for<AuditPage>([&](soci::session& sql) -> core::Result<AuditPage> {
        store::AuditSearch search;
        search.program_id = staff.program_id;
        if (query.actor) {
            search.staff_user_id = staff_user_of(sql, staff.program_id, *query.actor);
            if (!search.staff_user_id) search.actor = query.actor;
        }
        search.member_id = query.member_id;
        search.action = query.action;
        if (query.from || query.to) {
            const auto zone = program_time_zone(sql, staff.program_id);
            if (query.from) search.from = zone->day_start(*query.from);
            if (query.to) search.until = core::day_end(*zone, *query.to);
        }
        search.after = query.after;
        // One entry more than the page tells whether another page follows.
        search.limit = query.limit + 1;
        AuditPage page{store::search_audit_log(sql, search), std::nullopt};
        if (page.entries.size() > static_cast<std::size_t>(query.limit)) {
            page.entries.resize(static_cast<std::size_t>(query.limit));
            page.next = core::AuditPosition{page.entries.back().at, page.entries.back().id};
        }
        return page;
    });
}

}  // namespace patron::service
