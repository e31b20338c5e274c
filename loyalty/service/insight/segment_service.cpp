#include "loyalty/service/insight/segment_service.h"

#include <soci/soci.h>

#include "loyalty/core/rule_document.h"
#include "loyalty/service/insight/insight_service.h"
#include "loyalty/service/insight/report_scope.h"
#include "loyalty/service/insight/segment_membership.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/access/audit_store.h"
#include "loyalty/store/program/program_store.h"
#include "loyalty/store/program/rule_draft_store.h"

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

// Where the rules draft or the latest published rules name the segment ("draft: rules[0].scope.segments[0]").
std::optional<std::string> rule_naming(soci::session& sql, long long program_id, const std::string& code) {
    std::vector<std::pair<std::string, std::string>> documents;
    if (const auto draft = store::find_rule_draft(sql, program_id, false))
        documents.emplace_back("draft", draft->document);
    const auto versions = store::list_rule_sets(sql, program_id);
    if (!versions.empty()) {
        if (const auto latest = store::find_rule_set(sql, program_id, versions.front().version)) {
            documents.emplace_back("version " + std::to_string(latest->version), latest->document);
        }
    }
    for (const auto& [name, text] : documents) {
        const auto rules = core::RuleDocument::stored(text).validate();
        if (!rules) continue;
        for (const core::ScopedSegment& named : core::scoped_segments(*rules)) {
            if (named.code == code) return name + ": " + named.path;
        }
    }
    return std::nullopt;
}

}  // namespace

SegmentService::SegmentService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock)
    : database_(database), keys_(keys), clock_(clock) {}

core::Result<SegmentView> SegmentService::create(const StaffIdentity& staff, const core::SegmentDocument& segment) {
    if (auto allowed = may_write(staff); !allowed) return std::unexpected(allowed.error());
    return database_.transact_for<SegmentView>([&](soci::session& sql) -> core::Result<SegmentView> {
        const core::Timestamp now = clock_.now();
        if (!store::insert_segment(sql, staff.program_id, segment, staff.label, now)) {
            return fail(ErrorCode::kValidationFailed, "the programme has a segment with this code already", "code");
        }
        auto record = existing(sql, staff.program_id, segment.definition.code);
        if (!record) return std::unexpected(record.error());
        store::insert_audit(sql, {staff.program_id, staff.label, "segment.create", "segment", record->id, "segment"},
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
        store::update_segment(sql, record->id, segment, staff.label, now);
        store::insert_audit(
            sql, {staff.program_id, staff.label, "segment.change", "segment", record->id, "name,conditions"}, now);
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
        if (const auto naming = rule_naming(sql, staff.program_id, code)) {
            return fail(ErrorCode::kValidationFailed, "the rules scope by this segment (" + *naming + ")", "code");
        }
        store::delete_segment(sql, record->id);
        store::insert_audit(sql, {staff.program_id, staff.label, "segment.delete", "segment", record->id, "segment"},
                            clock_.now());
        return record->id;
    });
    if (!removed) return std::unexpected(removed.error());
    // The memberships go in short transactions of their own, as the refresh deletes them.
    for (;;) {
        auto deleted = database_.transact_for<long long>([&](soci::session& sql) -> core::Result<long long> {
            return store::delete_memberships_of(sql, *removed, kInsightChunkMembers);
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

core::Result<SegmentCount> SegmentService::count(const StaffIdentity& staff,
                                                 const core::SegmentConditions& conditions) {
    if (auto allowed = may_read(staff); !allowed) return std::unexpected(allowed.error());
    const SegmentPlan plan = plan_segments({SegmentRule{0, "", conditions}});
    auto zone = database_.run_for<std::shared_ptr<const core::TimeZone>>(
        [&](soci::session& sql) -> core::Result<std::shared_ptr<const core::TimeZone>> {
            return program_time_zone(sql, staff.program_id);
        });
    if (!zone) return std::unexpected(zone.error());
    SegmentCount count;
    count.today = core::local_date(**zone, clock_.now());
    // Chunk by chunk, each its own consistent reads, like the refresh.
    struct Chunk {
        std::vector<long long> ids;
        ChunkMemberships judged;
    };
    for (long long after = 0;;) {
        auto chunk = database_.run_for<Chunk>([&](soci::session& sql) -> core::Result<Chunk> {
            Chunk read{store::member_ids_after(sql, staff.program_id, after, kInsightChunkMembers), {}};
            read.judged = judge_chunk(sql, keys_, staff.program_id, read.ids, plan, count.today, **zone, nullptr);
            return read;
        });
        if (!chunk) return std::unexpected(chunk.error());
        if (chunk->ids.empty()) break;
        count.scanned += static_cast<long long>(chunk->ids.size());
        count.members += chunk->judged.members_per_segment.front();
        count.profiles_unopened += chunk->judged.profiles_unopened;
        after = chunk->ids.back();
    }
    return count;
}

}  // namespace patron::service
