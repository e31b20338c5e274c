#include "loyalty/service/insight/insight_service.h"

#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <thread>

#include "loyalty/service/insight/segment_membership.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/insight/segment_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

// What a refresh needs of the programme before it reads its members.
struct ProgramFrame {
    std::shared_ptr<const core::TimeZone> zone;
    std::int64_t point_value_minor = 0;
    SegmentPlan segments;
    long long members = 0;  // Active members, counted only for a refresh that shows its progress.
};

// Under kShared, rests as long as the work since `since` took (at most a second at a time).
void rest_after(RefreshPace pace, std::chrono::steady_clock::time_point since) {
    if (pace != RefreshPace::kShared) return;
    const auto worked = std::chrono::steady_clock::now() - since;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(worked, std::chrono::seconds(1)));
}

// The fresh RFM segment and churn band of each score, for the segments that name them.
std::vector<std::pair<core::RfmSegment, core::ChurnBand>> bands_of(const std::vector<core::MemberScore>& scores) {
    std::vector<std::pair<core::RfmSegment, core::ChurnBand>> bands;
    bands.reserve(scores.size());
    for (const core::MemberScore& score : scores) bands.emplace_back(score.segment, score.churn_band);
    return bands;
}

}  // namespace

InsightService::InsightService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock)
    : database_(database), keys_(keys), clock_(clock) {}

core::Result<RefreshReport> InsightService::refresh(long long program_id, int window_days, RefreshPace pace,
                                                    WorkProgress* progress) {
    if (window_days < 1 || window_days > kInsightWindowDaysMax) {
        return fail(ErrorCode::kValidationFailed,
                    "the window must be 1 to " + std::to_string(kInsightWindowDaysMax) + " days", "window_days");
    }
    const auto started = std::chrono::steady_clock::now();
    const core::Timestamp refreshed_at = clock_.now();
    auto frame = database_.run_for<ProgramFrame>([&](soci::session& sql) -> core::Result<ProgramFrame> {
        if (!store::find_program_profile(sql, program_id, false)) return fail(ErrorCode::kNotFound, "no such program");
        return ProgramFrame{program_time_zone(sql, program_id),
                            store::find_points_policy(sql, program_id).point_value_minor,
                            programme_segment_plan(sql, program_id),
                            progress != nullptr ? store::count_active_members(sql, program_id) : 0};
    });
    if (!frame) return std::unexpected(frame.error());
    // Each member is counted twice: read, then written (outside the read, which may run again).
    add_total(progress, 2 * frame->members);
    const core::TimeZone& zone = *frame->zone;
    const core::LocalDate today = core::local_date(zone, refreshed_at);
    const store::ScoreWindow window{zone.day_start(core::add_days(today, 1 - window_days)), core::day_end(zone, today)};

    // Read: one chunk of members per round, each statement a consistent read of its own.
    std::vector<core::MemberActivity> activities;
    for (long long after = 0;;) {
        const auto chunk_started = std::chrono::steady_clock::now();
        auto chunk = database_.run_for<std::vector<core::MemberActivity>>(
            [&](soci::session& sql) -> core::Result<std::vector<core::MemberActivity>> {
                const auto ids = store::member_ids_after(sql, program_id, after, kInsightChunkMembers);
                return store::read_activities(sql, program_id, ids, window, zone);
            });
        if (!chunk) return std::unexpected(chunk.error());
        if (chunk->empty()) break;
        after = chunk->back().member_id;
        add_done(progress, static_cast<long long>(chunk->size()));
        activities.insert(activities.end(), chunk->begin(), chunk->end());
        if (chunk->size() < kInsightChunkMembers) break;
        rest_after(pace, chunk_started);
    }

    const std::vector<core::MemberScore> scores = core::score_members(activities, today, frame->point_value_minor);
    // Write: per chunk, its segment memberships judged with plain reads, then its scores and
    // memberships in one short transaction; then forget what was scored or held before and not now.
    const SegmentPlan& plan = frame->segments;
    std::vector<long long> segment_members(plan.segments.size(), 0);
    RefreshReport report{1, static_cast<long long>(scores.size())};
    for (std::size_t begin = 0; begin < scores.size(); begin += kInsightChunkMembers) {
        const auto chunk_started = std::chrono::steady_clock::now();
        const std::size_t end = std::min(scores.size(), begin + kInsightChunkMembers);
        const std::vector<core::MemberScore> part(scores.begin() + static_cast<std::ptrdiff_t>(begin),
                                                  scores.begin() + static_cast<std::ptrdiff_t>(end));
        auto judged = database_.run_for<ChunkMemberships>([&](soci::session& sql) -> core::Result<ChunkMemberships> {
            std::vector<long long> ids;
            for (const core::MemberScore& score : part) ids.push_back(score.member_id);
            const auto bands = bands_of(part);
            return judge_chunk(sql, keys_, program_id, ids, plan, refreshed_at, zone, &bands);
        });
        if (!judged) return std::unexpected(judged.error());
        auto written = database_.transact([&](soci::session& sql) -> core::Result<void> {
            store::write_scores(sql, program_id, refreshed_at, window_days, part);
            store::write_memberships(sql, program_id, refreshed_at, judged->pairs);
            return {};
        });
        if (!written) return std::unexpected(written.error());
        for (std::size_t s = 0; s < segment_members.size(); ++s) segment_members[s] += judged->members_per_segment[s];
        add_done(progress, static_cast<long long>(part.size()));
        report.memberships += static_cast<long long>(judged->pairs.size());
        report.profiles_unopened += judged->profiles_unopened;
        rest_after(pace, chunk_started);
    }
    for (const auto delete_before : {store::delete_scores_before, store::delete_memberships_before}) {
        for (;;) {
            auto deleted = database_.transact_for<long long>([&](soci::session& sql) -> core::Result<long long> {
                return delete_before(sql, program_id, refreshed_at, kInsightChunkMembers);
            });
            if (!deleted) return std::unexpected(deleted.error());
            if (*deleted < static_cast<long long>(kInsightChunkMembers)) break;
        }
    }

    report.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    auto recorded = database_.transact([&](soci::session& sql) -> core::Result<void> {
        store::record_refresh(sql, {program_id, refreshed_at, window_days, today, report.members, report.took.count()});
        std::map<long long, long long> counts;
        for (std::size_t s = 0; s < plan.segments.size(); ++s) counts[plan.segments[s].id] = segment_members[s];
        store::record_segment_counts(sql, refreshed_at, counts);
        return {};
    });
    if (!recorded) return std::unexpected(recorded.error());
    return report;
}

core::Result<RefreshReport> InsightService::refresh_due(int window_days, std::chrono::seconds interval,
                                                        RefreshPace pace, WorkProgress* progress) {
    const auto started = std::chrono::steady_clock::now();
    const core::Timestamp now = clock_.now();
    auto due =
        database_.run_for<std::vector<long long>>([&](soci::session& sql) -> core::Result<std::vector<long long>> {
            std::vector<long long> programs;
            for (const long long program_id : store::program_ids(sql)) {
                const auto last = store::last_refresh(sql, program_id);
                if (!last || last->refreshed_at + interval <= now) programs.push_back(program_id);
            }
            return programs;
        });
    if (!due) return std::unexpected(due.error());
    RefreshReport total;
    for (const long long program_id : *due) {
        auto report = refresh(program_id, window_days, pace, progress);
        if (!report) return std::unexpected(report.error());
        total.programs += report->programs;
        total.members += report->members;
        total.memberships += report->memberships;
        total.profiles_unopened += report->profiles_unopened;
    }
    total.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    return total;
}

core::Result<store::StoredScore> InsightService::member_insight(long long program_id, long long member_id) {
    return database_.run_for<store::StoredScore>([&](soci::session& sql) -> core::Result<store::StoredScore> {
        auto score = store::find_score(sql, program_id, member_id);
        if (!score) {
            return fail(ErrorCode::kMemberNotFound,
                        "no scores for this member: no such member, or none since the last refresh", "id");
        }
        return *score;
    });
}

core::Result<SegmentSummary> InsightService::segments(long long program_id) {
    return database_.run_for<SegmentSummary>([&](soci::session& sql) -> core::Result<SegmentSummary> {
        return SegmentSummary{store::last_refresh(sql, program_id), store::segment_cells(sql, program_id)};
    });
}

core::Result<std::vector<store::ValueRow>> InsightService::customer_values(long long program_id,
                                                                           store::ValueOrder order, std::size_t limit) {
    if (limit < 1 || limit > kCustomerValueLimitMax) {
        return fail(ErrorCode::kValidationFailed,
                    "must be a whole number from 1 to " + std::to_string(kCustomerValueLimitMax), "limit");
    }
    return database_.run_for<std::vector<store::ValueRow>>(
        [&](soci::session& sql) -> core::Result<std::vector<store::ValueRow>> {
            return store::members_by_value(sql, program_id, order, limit);
        });
}

}  // namespace patron::service
