#include "loyalty/service/insight/segment_service.h"

#include <soci/soci.h>

#include <algorithm>

#include "loyalty/service/insight/insight_service.h"
#include "loyalty/service/insight/report_scope.h"
#include "loyalty/service/insight/segment_membership.h"
#include "loyalty/service/insight/segment_references.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/insight/segment_addition_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

constexpr core::StaffRoles kSegmentWriters{core::StaffRole::kAdmin, core::StaffRole::kMarketer};

core::Result<void> may_write(const StaffIdentity& staff) {
    if (may(staff, kSegmentWriters)) return {};
    return fail(ErrorCode::kForbidden, "only admin and marketer staff define segments");
}

core::Result<void> may_read(const StaffIdentity& staff) {
    if (may(staff, kReportReaders)) return {};
    return fail(ErrorCode::kForbidden, "segments are for admins, marketers and analysts");
}

core::Result<store::SegmentRecord> existing(soci::session& sql, long long program_id, const std::string& code) {
    auto record = store::find_segment(sql, program_id, code);
    if (!record) return fail(ErrorCode::kNotFound, "no segment with this code", "code");
    return *record;
}

}  // namespace

SegmentService::SegmentService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                               long long count_members_max)
    : database_(database), keys_(keys), clock_(clock), count_members_max_(std::max(1LL, count_members_max)) {}

core::Result<SegmentView> SegmentService::create(const StaffIdentity& staff, const core::SegmentDocument& segment) {
    if (auto allowed = may_write(staff); !allowed) return std::unexpected(allowed.error());
    return database_.transact_for<SegmentView>([&](soci::session& sql) -> core::Result<SegmentView> {
        const core::Timestamp now = clock_.now();
        if (!store::insert_segment(sql, staff.program_id, segment, staff.label, now)) {
            return fail(ErrorCode::kValidationFailed, "the programme has a segment with this code already", "code",
                        core::reason(core::ReasonKind::kDuplicate));
        }
        auto record = existing(sql, staff.program_id, segment.definition.code);
        if (!record) return std::unexpected(record.error());
        store::insert_audit(
            sql, keys_,
            {staff.program_id, audit_actor(staff), core::AuditAction::kSegmentCreate, "segment", record->id, "segment"},
            now);
        return SegmentView{*record};
    });
}

core::Result<SegmentView> SegmentService::replace(const StaffIdentity& staff, const std::string& code,
                                                  const core::SegmentDocument& segment) {
    if (auto allowed = may_write(staff); !allowed) return std::unexpected(allowed.error());
    return database_.transact_for<SegmentView>([&](soci::session& sql) -> core::Result<SegmentView> {
        auto record = existing(sql, staff.program_id, code);
        if (!record) return std::unexpected(record.error());
        const core::Timestamp now = clock_.now();
        if (!segment.definition.conditions.added_by_trigger) {
            // Locked before the triggers are looked at, as for a delete.
            if (!store::lock_segment(sql, record->id))
                return fail(ErrorCode::kNotFound, "no segment with this code", "code");
            if (const auto naming = trigger_naming(sql, staff.program_id, code)) {
                return fail(ErrorCode::kValidationFailed,
                            "a trigger adds members to this segment (" + *naming +
                                "): its conditions keep added_by_trigger while one does",
                            "conditions.added_by_trigger");
            }
        }
        store::update_segment(sql, record->id, segment, staff.label, now);
        store::insert_audit(sql, keys_,
                            {staff.program_id, audit_actor(staff), core::AuditAction::kSegmentChange, "segment",
                             record->id, "name,conditions"},
                            now);
        auto changed = existing(sql, staff.program_id, code);
        if (!changed) return std::unexpected(changed.error());
        return SegmentView{*changed};
    });
}

core::Result<void> SegmentService::remove(const StaffIdentity& staff, const std::string& code) {
    if (auto allowed = may_write(staff); !allowed) return allowed;
    auto removed = database_.transact_for<long long>([&](soci::session& sql) -> core::Result<long long> {
        auto record = existing(sql, staff.program_id, code);
        if (!record) return std::unexpected(record.error());
        // Locked before the names are looked for: a save naming it meanwhile commits first and is seen.
        if (!store::lock_segment(sql, record->id)) {
            return fail(ErrorCode::kNotFound, "no segment with this code", "code");
        }
        const core::Timestamp now = clock_.now();
        if (const auto naming = segment_naming(sql, staff.program_id, code, now)) {
            return fail(ErrorCode::kValidationFailed, "something scopes by this segment (" + *naming + ")", "code");
        }
        store::delete_segment(sql, record->id);
        store::insert_audit(
            sql, keys_,
            {staff.program_id, audit_actor(staff), core::AuditAction::kSegmentDelete, "segment", record->id, "segment"},
            now);
        return record->id;
    });
    if (!removed) return std::unexpected(removed.error());
    // The memberships and additions go in short transactions of their own, as the refresh deletes them.
    for (;;) {
        auto deleted = database_.transact_for<long long>([&](soci::session& sql) -> core::Result<long long> {
            return std::max(store::delete_memberships_of(sql, *removed, kInsightChunkMembers),
                            store::delete_additions_of(sql, *removed, kInsightChunkMembers));
        });
        if (!deleted) return std::unexpected(deleted.error());
        if (*deleted < static_cast<long long>(kInsightChunkMembers)) return {};
    }
}

core::Result<SegmentView> SegmentService::get(const StaffIdentity& staff, const std::string& code) {
    if (auto allowed = may_read(staff); !allowed) return std::unexpected(allowed.error());
    return database_.run_for<SegmentView>([&](soci::session& sql) -> core::Result<SegmentView> {
        auto record = existing(sql, staff.program_id, code);
        if (!record) return std::unexpected(record.error());
        return SegmentView{*record};
    });
}

core::Result<std::vector<SegmentView>> SegmentService::list(const StaffIdentity& staff) {
    if (auto allowed = may_read(staff); !allowed) return std::unexpected(allowed.error());
    return database_.run_for<std::vector<SegmentView>>(
        [&](soci::session& sql) -> core::Result<std::vector<SegmentView>> {
            std::vector<SegmentView> views;
            for (store::SegmentRecord& record : store::list_segments(sql, staff.program_id)) {
                views.push_back(SegmentView{std::move(record)});
            }
            return views;
        });
}

core::Result<SegmentCount> SegmentService::count(const StaffIdentity& staff, const core::SegmentConditions& conditions,
                                                 const std::string& code) {
    if (auto allowed = may_read(staff); !allowed) return std::unexpected(allowed.error());
    if (counts_running_.fetch_add(1) >= kSegmentCountsAtOnceMax) {
        --counts_running_;
        return fail(ErrorCode::kOverloaded, "other segment counts are running: try again in a moment");
    }
    const struct Release {
        std::atomic<int>& running;
        ~Release() { --running; }
    } release{counts_running_};
    struct Setting {
        std::shared_ptr<const core::TimeZone> zone;
        store::ActiveMemberSpan active;
        long long segment_id = 0;  // The saved segment whose additions count; 0: none.
    };
    auto setting = database_.run_for<Setting>([&](soci::session& sql) -> core::Result<Setting> {
        const auto saved = code.empty() || !conditions.added_by_trigger
                               ? std::nullopt
                               : store::find_segment(sql, staff.program_id, code);
        return Setting{program_time_zone(sql, staff.program_id), store::active_member_span(sql, staff.program_id),
                       saved ? saved->id : 0};
    });
    if (!setting) return std::unexpected(setting.error());
    const SegmentPlan plan = plan_segments({SegmentRule{setting->segment_id, code, conditions}});
    const core::TimeZone& zone = *setting->zone;
    const store::ActiveMemberSpan& active = setting->active;
    SegmentCount count;
    count.today = core::local_date(zone, clock_.now());
    count.active_members = active.count;
    if (active.count <= count_members_max_) {
        for (long long after = 0;;) {
            const auto last = judge_run(staff, plan, zone, after, active.last_id, kInsightChunkMembers, count);
            if (!last) return std::unexpected(last.error());
            if (!*last) return count;
            after = **last;
        }
    }
    // Runs of members evenly spread over the ids (so over the years of enrolment), one per stretch.
    count.basis = CountBasis::kSample;
    const long long run_members =
        std::clamp(count_members_max_ / kSegmentCountRuns, 1LL, static_cast<long long>(kInsightChunkMembers));
    const long long runs = count_members_max_ / run_members;
    const long long span = active.last_id - active.first_id + 1;
    for (long long i = 0; i < runs; ++i) {
        const long long after = active.first_id - 1 + span * i / runs;
        const long long through = active.first_id - 1 + span * (i + 1) / runs;
        const auto last = judge_run(staff, plan, zone, after, through, static_cast<std::size_t>(run_members), count);
        if (!last) return std::unexpected(last.error());
    }
    if (count.scanned > 0) count.members = (count.members * active.count + count.scanned / 2) / count.scanned;
    return count;
}

core::Result<std::optional<long long>> SegmentService::judge_run(const StaffIdentity& staff, const SegmentPlan& plan,
                                                                 const core::TimeZone& zone, long long after,
                                                                 long long through, std::size_t limit,
                                                                 SegmentCount& count) {
    struct Run {
        std::vector<long long> ids;
        ChunkMemberships judged;
    };
    // Each run its own consistent reads, like the refresh's chunks.
    auto run = database_.run_for<Run>([&](soci::session& sql) -> core::Result<Run> {
        Run read{store::member_ids_after(sql, staff.program_id, after, limit), {}};
        std::erase_if(read.ids, [&](long long id) { return id > through; });
        read.judged = judge_chunk(sql, keys_, staff.program_id, read.ids, plan, clock_.now(), zone, nullptr);
        return read;
    });
    if (!run) return std::unexpected(run.error());
    if (run->ids.empty()) return std::optional<long long>();
    count.scanned += static_cast<long long>(run->ids.size());
    count.members += run->judged.members_per_segment.front();
    count.profiles_unopened += run->judged.profiles_unopened;
    return std::optional(run->ids.back());
}

core::Result<SegmentCount> SegmentService::count_of(const StaffIdentity& staff, const std::string& code) {
    auto segment = get(staff, code);
    if (!segment) return std::unexpected(segment.error());
    auto conditions = core::parse_segment_conditions(segment->record.conditions);
    if (conditions) return count(staff, *conditions, code);
    auto zone = database_.run_for<std::shared_ptr<const core::TimeZone>>(
        [&](soci::session& sql) -> core::Result<std::shared_ptr<const core::TimeZone>> {
            return program_time_zone(sql, staff.program_id);
        });
    if (!zone) return std::unexpected(zone.error());
    SegmentCount stored;
    stored.basis = CountBasis::kLastRefresh;
    stored.today = core::local_date(**zone, clock_.now());
    stored.members = segment->record.members.value_or(0);
    stored.computed_at = segment->record.computed_at;
    stored.definition_problem = conditions.error();
    return stored;
}

}  // namespace patron::service
