#include "loyalty/service/insight/segment_membership.h"

#include <algorithm>

#include "loyalty/service/posting/member_vault.h"
#include "loyalty/store/insight/segment_addition_store.h"
#include "loyalty/store/insight/segment_store.h"

namespace patron::service {
namespace {

// Opens birth month and city of the chunk's members into their facts; how many did not open.
long long open_profiles(soci::session& sql, const crypto::KeyRing& keys, const std::vector<long long>& member_ids,
                        std::vector<core::SegmentFacts>& facts) {
    long long unopened = 0;
    const auto sealed = store::sealed_birth_and_details(sql, member_ids);
    for (core::SegmentFacts& member : facts) {
        const auto record = sealed.find(member.member_id);
        const auto profile = record == sealed.end() ? std::nullopt : open_profile(keys, record->second);
        if (!profile) {
            ++unopened;
            continue;
        }
        if (profile->birth_date) member.birth_month = static_cast<unsigned>(profile->birth_date->month());
        if (profile->city) member.city = core::normalised_city(*profile->city);
    }
    return unopened;
}

}  // namespace

SegmentPlan plan_segments(std::vector<SegmentRule> segments) {
    SegmentPlan plan;
    for (const SegmentRule& segment : segments) {
        const std::vector<int> windows = segment.conditions.windows();
        plan.windows_days.insert(plan.windows_days.end(), windows.begin(), windows.end());
        plan.needs_profile = plan.needs_profile || segment.conditions.needs_profile();
        plan.needs_additions = plan.needs_additions || segment.conditions.added_by_trigger;
    }
    std::sort(plan.windows_days.begin(), plan.windows_days.end());
    plan.windows_days.erase(std::unique(plan.windows_days.begin(), plan.windows_days.end()), plan.windows_days.end());
    plan.segments = std::move(segments);
    return plan;
}

SegmentPlan programme_segment_plan(soci::session& sql, long long program_id) {
    std::vector<SegmentRule> segments;
    for (const store::SegmentRecord& record : store::list_segments(sql, program_id)) {
        // Stored conditions were valid when saved; one that no longer reads matches nobody.
        auto conditions = core::parse_segment_conditions(record.conditions);
        if (!conditions) continue;
        segments.push_back(SegmentRule{record.id, record.code, std::move(*conditions)});
    }
    return plan_segments(std::move(segments));
}

ChunkMemberships judge_chunk(soci::session& sql, const crypto::KeyRing& keys, long long program_id,
                             const std::vector<long long>& member_ids, const SegmentPlan& plan, core::Timestamp now,
                             const core::TimeZone& zone,
                             const std::vector<std::pair<core::RfmSegment, core::ChurnBand>>* scores) {
    ChunkMemberships judged;
    judged.members_per_segment.assign(plan.segments.size(), 0);
    if (member_ids.empty() || plan.segments.empty()) return judged;
    const core::LocalDate today = core::local_date(zone, now);
    std::vector<core::SegmentFacts> facts =
        store::read_segment_facts(sql, program_id, member_ids, plan.windows_days, today, zone, scores == nullptr);
    if (scores != nullptr) {
        for (std::size_t i = 0; i < facts.size() && i < scores->size(); ++i) {
            facts[i].rfm_segment = (*scores)[i].first;
            facts[i].churn_band = (*scores)[i].second;
        }
    }
    if (plan.needs_profile) judged.profiles_unopened = open_profiles(sql, keys, member_ids, facts);
    const auto added =
        plan.needs_additions ? store::segments_added(sql, member_ids, now) : std::map<long long, std::set<long long>>{};
    const unsigned month = static_cast<unsigned>(today.month());
    for (const core::SegmentFacts& member : facts) {
        const auto hers = added.find(member.member_id);
        for (std::size_t s = 0; s < plan.segments.size(); ++s) {
            const bool was_added = hers != added.end() && hers->second.contains(plan.segments[s].id);
            if (!core::segment_contains(plan.segments[s].conditions, member, month, was_added)) continue;
            judged.pairs.emplace_back(member.member_id, plan.segments[s].id);
            ++judged.members_per_segment[s];
        }
    }
    return judged;
}

}  // namespace patron::service
