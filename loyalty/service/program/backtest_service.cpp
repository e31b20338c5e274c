#include "loyalty/service/program/backtest_service.h"

#include <algorithm>
#include <span>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "loyalty/core/exception_class.h"
#include "loyalty/core/money.h"
#include "loyalty/core/tenure.h"
#include "loyalty/service/posting/holdout_assignment.h"
#include "loyalty/service/posting/member_vault.h"
#include "loyalty/service/program/rule_service.h"
#include "loyalty/service/runtime/time_zones.h"
#include "loyalty/store/insight/segment_store.h"
#include "loyalty/store/pos/backtest_store.h"
#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using core::fail;

constexpr core::StaffRoles kRunners{core::StaffRole::kAdmin, core::StaffRole::kMarketer};
constexpr core::StaffRoles kReaders{core::StaffRole::kAdmin, core::StaffRole::kMarketer, core::StaffRole::kAnalyst};

// What the whole run needs, read in one short transaction: the draft as the engine runs it,
// the programme's money and zone, and the purchases to rate.
struct Setup {
    DraftRules draft;
    std::string currency;
    std::string time_zone;
    store::BacktestPlan plan;
};

// Whether any rule, cashback rule or stamp card of the draft needs the member's birth month,
// earlier purchases or segments: only then are they read.
struct Needs {
    bool birth_month = false;
    bool earlier_purchases = false;
    bool segments = false;
    bool tenure = false;
};

Needs needs_of(const core::RuleSet& rules) {
    Needs needs;
    const auto look = [&needs](const core::Scope& scope) {
        needs.birth_month = needs.birth_month || scope.birthday_month;
        needs.earlier_purchases = needs.earlier_purchases || scope.first_purchase;
        needs.tenure = needs.tenure || scope.tenure.has_value();
    };
    for (const core::Rule& rule : rules.rules) {
        look(rule.scope);
        needs.tenure = needs.tenure || !rule.tenure_percent.empty();
    }
    for (const core::CashbackRule& rule : rules.cashback) look(rule.scope);
    for (const core::StampCard& card : rules.stamp_cards) look(card.scope);
    needs.segments = !core::scoped_segments(rules).empty();
    return needs;
}

// What the backtest knows of a member once read: enough to fill each of their purchases.
struct KnownMember {
    std::vector<core::TierChange> tier_changes;
    std::string tier;
    std::optional<unsigned> birth_month;
    std::optional<core::LocalDate> enrolled_on;  // In the programme's zone, when the draft needs her tenure.
    std::int64_t purchases_before = 0;
    std::vector<std::string> segments;  // As last materialised (today's).
    std::vector<std::string> held_out;  // The draft's hold-outs that keep the member out.
};

std::optional<unsigned> birth_month(const crypto::KeyRing& keys, long long member_id,
                                    const store::BacktestMember& member) {
    if (member.birth_date_sealed.empty()) return std::nullopt;
    store::MemberRecord record;
    record.id = member_id;
    record.status = core::MemberStatus::kActive;
    record.data_key = member.data_key;
    record.profile.birth_date = member.birth_date_sealed;
    const auto profile = open_profile(keys, record);
    if (!profile || !profile->birth_date) return std::nullopt;
    return static_cast<unsigned>(profile->birth_date->month());
}

std::string format_count(long long count) {
    std::string digits = std::to_string(count);
    for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3)
        digits.insert(static_cast<std::size_t>(at), ",");
    return digits;
}

}  // namespace

std::string_view backtest_state_name(BacktestState state) {
    switch (state) {
        case BacktestState::kRunning:
            return "running";
        case BacktestState::kDone:
            return "done";
        case BacktestState::kCancelled:
            return "cancelled";
        case BacktestState::kFailed:
            return "failed";
    }
    return "failed";
}

struct BacktestService::Job {
    std::string id;
    long long program_id = 0;
    BacktestProgress progress;
    std::mutex mutex;  // Guards the view's state, times, report and error.
    std::condition_variable ended;
    BacktestJobView view;
    std::chrono::steady_clock::time_point ended_at;
    std::thread thread;

    BacktestJobView snapshot() {
        std::lock_guard lock(mutex);
        BacktestJobView copy = view;
        copy.rated = progress.rated.load();
        copy.total = progress.total.load();
        return copy;
    }
    bool running() {
        std::lock_guard lock(mutex);
        return view.state == BacktestState::kRunning;
    }
    void wait(std::chrono::milliseconds wait) {
        std::unique_lock lock(mutex);
        ended.wait_for(lock, wait, [this] { return view.state != BacktestState::kRunning; });
    }
};

BacktestService::BacktestService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                                 crypto::RandomSource& random, BacktestLimits limits)
    : database_(database), keys_(keys), clock_(clock), random_(random), limits_(limits) {}

BacktestService::~BacktestService() { stop(); }

core::Result<core::BacktestWindow> BacktestService::window(long long program_id, const BacktestRequest& request) {
    const auto zone = database_.run_for<std::shared_ptr<const core::TimeZone>>(
        [&](soci::session& sql) -> core::Result<std::shared_ptr<const core::TimeZone>> {
            return program_time_zone(sql, program_id);
        });
    if (!zone) return std::unexpected(zone.error());
    const core::LocalDate today = core::local_date(**zone, clock_.now());
    return core::backtest_window(request.from, request.to, today, **zone);
}

core::Result<core::BacktestReport> BacktestService::run(long long program_id, const core::BacktestWindow& window,
                                                        BacktestProgress& progress) {
    auto setup = database_.transact_for<Setup>([&](soci::session& sql) -> core::Result<Setup> {
        auto draft = load_draft_rules(sql, program_id);
        if (!draft) return std::unexpected(draft.error());
        const auto profile = store::find_program_profile(sql, program_id, false);
        if (!profile) return fail(ErrorCode::kNotFound, "no such programme");
        const store::ProgramPolicies policies = store::find_program_policies(sql, program_id);
        // A purchase that reached Patron later than the programme's lateness limit after the window is left out.
        const core::Timestamp received_until = window.ends_at + policies.points.late_after;
        return Setup{std::move(*draft), profile->currency, profile->time_zone,
                     store::plan_backtest(sql, program_id, window.starts_at, window.ends_at, received_until,
                                          limits_.purchases_max)};
    });
    if (!setup) return std::unexpected(setup.error());
    const std::vector<long long>& ids = setup->plan.ids;
    if (static_cast<long long>(ids.size()) > limits_.purchases_max) {
        return fail(ErrorCode::kValidationFailed,
                    "the window holds more than " + format_count(limits_.purchases_max) +
                        " member purchases to rate, the most a backtest rates: end the window earlier",
                    "to");
    }
    progress.total = static_cast<long long>(ids.size());
    const Needs needs = needs_of(setup->draft.rules);
    const core::TimeZone& zone = *setup->draft.rules.time_zone;
    core::Backtest backtest(setup->draft.rules);
    std::unordered_map<long long, KnownMember> members;
    for (std::size_t at = 0; at < ids.size(); at += limits_.chunk) {
        if (progress.cancel) return fail(ErrorCode::kNotAvailable, "the backtest was cancelled");
        const std::span<const long long> chunk(ids.data() + at, std::min(limits_.chunk, ids.size() - at));
        struct Chunk {
            std::vector<core::PastPurchase> purchases;
            std::map<long long, store::BacktestMember> members;
            std::map<long long, std::vector<std::string>> segments;
        };
        auto read = database_.transact_for<Chunk>([&](soci::session& sql) -> core::Result<Chunk> {
            Chunk read;
            read.purchases = store::read_backtest_purchases(sql, chunk);
            std::vector<long long> unknown;
            for (const core::PastPurchase& past : read.purchases) {
                if (!members.contains(past.member_id)) unknown.push_back(past.member_id);
            }
            std::sort(unknown.begin(), unknown.end());
            unknown.erase(std::unique(unknown.begin(), unknown.end()), unknown.end());
            read.members = store::read_backtest_members(sql, unknown,
                                                        {.birth_dates = needs.birth_month,
                                                         .purchases_before = needs.earlier_purchases,
                                                         .enrolments = needs.tenure},
                                                        window.starts_at);
            if (needs.segments) read.segments = store::members_segment_codes(sql, unknown);
            return read;
        });
        if (!read) return std::unexpected(read.error());
        for (auto& [member_id, member] : read->members) {
            members[member_id] = KnownMember{
                std::move(member.tier_changes),
                member.tier,
                needs.birth_month ? birth_month(keys_, member_id, member) : std::nullopt,
                member.enrolled_at ? std::optional(core::local_date(zone, *member.enrolled_at)) : std::nullopt,
                member.purchases_before,
                std::move(read->segments[member_id]),
                held_out_rules(setup->draft.rules, member_id)};
        }
        for (core::PastPurchase& past : read->purchases) {
            const KnownMember& member = members[past.member_id];
            past.tier = core::tier_at(member.tier_changes, member.tier, past.id, past.received_at);
            past.birth_month = member.birth_month;
            if (member.enrolled_on) {  // As the till counts it: on the till's day, in the programme's calendar.
                past.tenure_years =
                    core::tenure_years(*member.enrolled_on, core::local_date(zone, past.purchase.pos_time.utc),
                                       core::calendar_of(setup->draft.rules.language));
            }
            past.purchases_before_window = member.purchases_before;
            past.segments = member.segments;
            past.held_out = member.held_out;
            backtest.rate(past);
        }
        progress.rated += static_cast<long long>(chunk.size());
    }
    core::BacktestReport report = backtest.report();
    report.window = window;
    report.time_zone = setup->time_zone;
    report.based_on_version = setup->draft.draft.based_on_version;
    report.currency = setup->currency;
    report.point_value_minor = setup->draft.rules.points.point_value_minor;
    report.skipped_anonymous = setup->plan.anonymous;
    report.skipped_voided = setup->plan.voided;
    report.purchases_in_window = static_cast<long long>(ids.size()) + setup->plan.anonymous + setup->plan.voided;
    return report;
}

core::Result<core::BacktestReport> BacktestService::guarded_run(Job& job, const core::BacktestWindow& window) {
    // The job's thread has no caller to pass an exception to: one would end patrond.
    try {
        return run(job.program_id, window, job.progress);
    } catch (const std::exception& error) {
        return fail(ErrorCode::kInternal, "the backtest failed: " + core::exception_class(error));
    } catch (...) {
        return fail(ErrorCode::kInternal, "the backtest failed: unknown exception");
    }
}

void BacktestService::finish(Job& job, core::Result<core::BacktestReport> outcome) {
    std::lock_guard lock(job.mutex);
    if (outcome) {
        job.view.state = BacktestState::kDone;
        job.view.report = std::move(*outcome);
    } else if (job.progress.cancel) {
        job.view.state = BacktestState::kCancelled;
    } else {
        job.view.state = BacktestState::kFailed;
        job.view.error = outcome.error();
    }
    job.view.finished_at = clock_.now();
    job.ended_at = std::chrono::steady_clock::now();
    job.ended.notify_all();
}

core::Result<BacktestJobView> BacktestService::start(const StaffIdentity& staff, const BacktestRequest& request,
                                                     std::chrono::milliseconds wait) {
    if (!may(staff, kRunners)) return fail(ErrorCode::kForbidden, "only admin and marketer staff run backtests");
    const auto window = this->window(staff.program_id, request);
    if (!window) return std::unexpected(window.error());
    std::shared_ptr<Job> job;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return fail(ErrorCode::kUnavailable, "the server is stopping");
        forget_expired();
        std::size_t running = 0;
        for (const auto& [id, other] : jobs_) {
            if (!other->running()) continue;
            if (other->program_id == staff.program_id) {
                return fail(ErrorCode::kAlreadyRunning,
                            "a backtest of the draft is running (" + id + "): wait for it or cancel it");
            }
            ++running;
        }
        if (running >= limits_.running_max) {
            return fail(ErrorCode::kOverloaded, "other programmes' backtests are running: try again in a minute");
        }
        job = std::make_shared<Job>();
        job->id = random_.token_hex(12);
        job->program_id = staff.program_id;
        job->view.id = job->id;
        job->view.started_by = staff.label;
        job->view.started_at = clock_.now();
        try {
            job->thread = std::thread([this, job, window = *window] { finish(*job, guarded_run(*job, window)); });
        } catch (const std::system_error&) {
            return fail(ErrorCode::kOverloaded, "no thread could be started for the backtest: try again in a minute");
        }
        jobs_[job->id] = job;  // Only once its thread runs: a job in the list ends.
    }
    job->wait(wait);
    BacktestJobView view = job->snapshot();
    // A job that failed at once (too many purchases) answers the POST with its error.
    if (view.state == BacktestState::kFailed && view.error) return std::unexpected(*view.error);
    return view;
}

core::Result<std::shared_ptr<BacktestService::Job>> BacktestService::find(const StaffIdentity& staff,
                                                                          const std::string& id) {
    std::lock_guard lock(mutex_);
    forget_expired();
    const auto it = jobs_.find(id);
    if (it == jobs_.end() || it->second->program_id != staff.program_id) {
        return fail(ErrorCode::kNotFound, "no backtest with this id (results are kept for an hour)", "id");
    }
    return it->second;
}

core::Result<BacktestJobView> BacktestService::job(const StaffIdentity& staff, const std::string& id) {
    if (!may(staff, kReaders)) return fail(ErrorCode::kForbidden, "support staff do not read backtests");
    auto found = find(staff, id);
    if (!found) return std::unexpected(found.error());
    return (*found)->snapshot();
}

core::Result<BacktestJobView> BacktestService::cancel(const StaffIdentity& staff, const std::string& id,
                                                      std::chrono::milliseconds wait) {
    if (!may(staff, kRunners)) return fail(ErrorCode::kForbidden, "only admin and marketer staff cancel backtests");
    auto found = find(staff, id);
    if (!found) return std::unexpected(found.error());
    Job& job = **found;
    if (job.running()) {
        job.progress.cancel = true;
        job.wait(wait);
    }
    return job.snapshot();
}

void BacktestService::forget_expired() {
    const auto now = std::chrono::steady_clock::now();
    for (auto it = jobs_.begin(); it != jobs_.end();) {
        Job& job = *it->second;
        if (job.running() || now - job.ended_at < limits_.kept) {
            ++it;
            continue;
        }
        if (job.thread.joinable()) job.thread.join();  // Ended: the join is immediate.
        it = jobs_.erase(it);
    }
}

void BacktestService::stop() {
    // Under the lock, so that no call forgets (and joins) a job meanwhile; the jobs never take it.
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (const auto& [id, job] : jobs_) job->progress.cancel = true;
    for (const auto& [id, job] : jobs_) {
        if (job->thread.joinable()) job->thread.join();
    }
}

}  // namespace patron::service
