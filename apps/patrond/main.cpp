// patrond: the Patron server. Reads its configuration, opens the key ring, brings the schema
// up to date, serves HTTP until SIGINT or SIGTERM, then drains and stops.
#include <systemd/sd-daemon.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "api/log.h"
#include "api/metrics.h"
#include "api/routes.h"
#include "api/server.h"
#include "api/terminal_gate.h"
#include "api/web_site.h"
#include "apps/config/config.h"
#include "apps/patrond/monitoring.h"
#include "apps/patrond/periodic_task.h"
#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/service/access/sign_in_attempts.h"
#include "loyalty/service/services.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/db/migrations.h"
#include "notify/notifiers.h"
#include "notify/webhook_dispatcher.h"
#include "version.h"

namespace {

using namespace patron;

int fail_start(const std::string& message) {
    std::cerr << "patrond: " << message << "\n";
    return 2;
}

// Applies pending migrations, waiting up to startup_wait_s for the database to answer.
core::Result<store::MigrationReport> migrate(store::Database& database, const std::vector<store::Migration>& migrations,
                                             int startup_wait_s) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(startup_wait_s);
    for (;;) {
        auto report = database.run_for<store::MigrationReport>(
            [&](soci::session& sql) { return store::apply_migrations(sql, migrations); });
        const bool retry = !report && report.error().code == core::ErrorCode::kUnavailable &&
                           std::chrono::steady_clock::now() < deadline;
        if (!retry) return report;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
}

api::ApiSettings api_settings(const apps::Config& config) {
    api::ApiSettings settings;
    settings.host = config.listen_host;
    settings.port = config.listen_port;
    settings.http_threads = config.http_threads;
    settings.workers = config.workers;
    settings.queue_max = config.queue_max;
    settings.report_workers = config.report_workers;
    settings.report_queue_max = config.report_queue_max;
    settings.metrics_token = config.metrics_token;
    return settings;
}

}  // namespace

int main(int argc, char** argv) {
    // Signals are taken by sigwait() below; block them before any thread starts so none gets them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    const auto config = apps::parse_config(std::vector<std::string>(argv + 1, argv + argc), std::getenv,
                                           apps::own_default_config_file());
    if (!config) return fail_start(config.error());
    if (config->help) {
        std::cout << "patrond " << kPatronVersion << ": the Patron loyalty server\n\n" << apps::config_help();
        return 0;
    }
    if (config->config_template) {
        std::cout << apps::config_template();
        return 0;
    }
    if (auto opened = api::open_log(config->log_file); !opened) {
        if (!config->log_file.empty()) return fail_start("PATRON_LOG_FILE: " + opened.error().message);
        api::log_line({{"level", "warning"}, {"event", "log_readable_by_others"}, {"detail", opened.error().message}});
    }
    const auto keys = crypto::KeyRing::load(config->keys_file);
    if (!keys) return fail_start("PATRON_KEYS_FILE: " + keys.error());
    const auto migrations = store::prepare_migrations(store::embedded_migrations());
    if (!migrations) return fail_start(migrations.error().message);

    store::DatabaseSettings db_settings{config->db_url, config->db_pool, std::chrono::milliseconds(2000),
                                        config->db_connect_timeout_s, config->db_read_timeout_s};
    db_settings.causal_reads = config->db_causal_reads;
    store::Database database(db_settings);
    const auto report = migrate(database, *migrations, config->startup_wait_s);
    if (!report) return fail_start("migrations: " + report.error().message);
    for (const std::string& name : report->applied) api::log_line({{"event", "migration_applied"}, {"name", name}});

    service::SystemClock clock;
    crypto::SystemRandom random;
    auto notifier = notify::notifier_from_setting(config->notify);
    if (!notifier) return fail_start(notifier.error());
    service::Services services({database, *keys, clock, random, **notifier, *migrations, config->public_url});
    // The audit entries written before the log was chained (migration 0042) join the chains here,
    // where the keys are: once, before the first request.
    const auto sealed = services.audit_log.seal_legacy_entries();
    if (!sealed) return fail_start("audit log: " + sealed.error().message);
    if (*sealed > 0) api::log_line({{"event", "audit_entries_sealed"}, {"entries", *sealed}});
    api::TerminalGate terminals(services.access, clock);
    api::Metrics metrics;
    apps::Monitored monitored;
    apps::describe_metrics(metrics, database, *keys, monitored);
    monitored.check(services);  // Before serving: the first scrape sees the database as it is.

    std::vector<api::Route> routes = api::patron_routes(services, metrics);
    if (!config->web_dir.empty()) {
        // The portal keeps its views in the address's fragment, and so does the API reference
        // (/docs/#/pos/post-v1-pos-purchases); the console in its path, so its addresses are
        // answered with its page too.
        struct WebSite {
            std::string name;
            bool client_routes;
        };
        for (const auto& [name, with_client_routes] :
             {WebSite{"portal", false}, WebSite{"console", true}, WebSite{"docs", false}}) {
            const std::string prefix = "/" + name;
            const auto files = api::load_web_files(std::filesystem::path(config->web_dir) / name, prefix);
            if (!files) return fail_start("PATRON_WEB_DIR: " + files.error().message);
            for (api::Route& route : api::web_routes(*files)) routes.push_back(std::move(route));
            if (with_client_routes) {
                for (api::Route& route : api::client_routes(*files, prefix)) routes.push_back(std::move(route));
            }
            api::log_line({{"event", "web_pages"}, {"site", name}, {"files", files->size()}});
        }
    }
    api::ApiServer server(api_settings(*config), std::move(routes),
                          api::ApiServices{services.access, services.write_once, terminals, metrics});
    try {
        server.start();
    } catch (const std::exception& error) {
        return fail_start("PATRON_LISTEN: cannot listen on " + config->listen_host + ":" +
                          std::to_string(config->listen_port) + ": " + error.what());
    }
    // Logged before the port file appears, so whoever waits for the file finds the line.
    api::log_line(
        {{"event", "listening"}, {"host", config->listen_host}, {"port", server.port()}, {"version", kPatronVersion}});
    if (!config->port_file.empty()) {
        std::ofstream(config->port_file + ".tmp") << server.port() << "\n";
        std::rename((config->port_file + ".tmp").c_str(), config->port_file.c_str());
    }
    // Under systemd (Type=notify): serving now. Elsewhere (no NOTIFY_SOCKET) nothing happens.
    sd_notify(0, "READY=1\nSTATUS=serving");

    // Each job's runs in /metrics (patron_job_*), under its name.
    const auto job = [&metrics](const std::string& name) -> apps::PeriodicTask::Done {
        metrics.declare_job(name);
        return [&metrics, name](std::chrono::steady_clock::duration took, bool ok) {
            metrics.record_job(name, took, ok, std::chrono::system_clock::now());
        };
    };

    // What /metrics shows of the database and the outbox, every 15 s: a scrape never waits for the
    // database, also when it hangs.
    apps::PeriodicTask monitor(
        std::chrono::seconds(15),
        [&services, &monitored] {
            const bool ok = monitored.check(services);
            if (!ok) {
                api::log_line({{"level", "error"},
                               {"event", "monitor_failed"},
                               {"detail", "the database did not answer readiness or the outbox's backlog"}});
            }
            return ok;
        },
        job("monitor"));

    apps::PeriodicTask forget_old_pos_state(
        std::chrono::minutes(1),
        [&services, &database, &clock] {
            bool ok = true;
            // How many went, or why none could (the next run, a minute later, tries again).
            const auto tell = [&ok](const std::string& event, const core::Result<long long>& forgotten) {
                if (!forgotten) {
                    ok = false;
                    api::log_line(
                        {{"level", "error"}, {"event", event + "_failed"}, {"detail", forgotten.error().message}});
                } else if (*forgotten > 0) {
                    api::log_line({{"event", event}, {"count", *forgotten}});
                }
            };
            tell("nonces_purged", services.access.purge_old_nonces());
            tell("sign_in_attempts_forgotten", service::forget_old_sign_in_attempts(database, clock.now()));
            tell("write_answers_forgotten", services.write_once.forget_old());
            const auto webhooks = services.webhooks.forget_old();
            if (!webhooks) {
                ok = false;
                api::log_line({{"level", "error"},
                               {"event", "webhook_housekeeping_failed"},
                               {"detail", webhooks.error().message}});
            } else if (webhooks->deliveries + webhooks->expired + webhooks->subscriptions + webhooks->events > 0) {
                api::log_line({{"event", "webhook_records_forgotten"},
                               {"deliveries", webhooks->deliveries},
                               {"paused_expired", webhooks->expired},
                               {"deleted_subscriptions", webhooks->subscriptions},
                               {"events", webhooks->events}});
            }
            tell("member_messages_forgotten", services.messages.forget_old());
            tell("trigger_firings_forgotten", services.triggers.forget_old());
            tell("segment_additions_forgotten", services.triggers.forget_ended_additions());
            const auto report = services.pos_housekeeping.run();
            if (!report) {
                ok = false;
                api::log_line(
                    {{"level", "error"}, {"event", "pos_housekeeping_failed"}, {"detail", report.error().message}});
            } else if (report->idempotency_keys + report->quote_holds + report->failed_claims + report->claims > 0) {
                api::log_line({{"event", "pos_state_forgotten"},
                               {"idempotency_keys", report->idempotency_keys},
                               {"quote_holds", report->quote_holds},
                               {"failed_claims", report->failed_claims},
                               {"claims", report->claims}});
            }
            return ok;
        },
        job("pos_housekeeping"));

    // patronctl keys rotate adds and activates a master key in the file while patrond serves.
    // A request that meets a master key id patrond does not hold reads the file at once, so the
    // change may be seen first there: the task reports the active key whenever it differs.
    apps::PeriodicTask follow_keys_file(
        crypto::kKeysFileFollowInterval,
        [&keys, &monitored, reported = keys->masters()->active_id]() mutable {
            const auto reloaded = keys->reload();
            monitored.keys_reloaded(reloaded.has_value());
            if (!reloaded) {
                api::log_line({{"level", "error"}, {"event", "keys_file_refused"}, {"detail", reloaded.error()}});
            }
            const std::string active = keys->masters()->active_id;
            if (active != reported) {
                api::log_line({{"event", "master_key_activated"}, {"active_master_key", active}});
                reported = active;
            }
            return reloaded.has_value();
        },
        job("keys_file"));

    apps::PeriodicTask move_lots(
        std::chrono::minutes(1),
        [&services] {
            bool ok = true;
            const auto report = services.maintenance.run_all_due();
            if (!report) {
                ok = false;
                api::log_line(
                    {{"level", "error"}, {"event", "lot_maintenance_failed"}, {"detail", report.error().message}});
            } else if (report->members > 0 || report->announced > 0) {
                api::log_line({{"event", "lots_moved"},
                               {"members", report->members},
                               {"points", report->points},
                               {"expiring_announced", report->announced}});
            }
            const auto reviewed = services.tiers.review_all_due();
            if (!reviewed) {
                ok = false;
                api::log_line(
                    {{"level", "error"}, {"event", "tier_review_failed"}, {"detail", reviewed.error().message}});
            } else if (reviewed->reviewed > 0) {
                api::log_line(
                    {{"event", "tiers_reviewed"}, {"members", reviewed->reviewed}, {"lowered", reviewed->lowered}});
            }
            const auto warned = services.tiers.warn_all_due();
            if (!warned) {
                ok = false;
                api::log_line(
                    {{"level", "error"}, {"event", "tier_warning_failed"}, {"detail", warned.error().message}});
            } else if (warned->reviewed > 0) {
                api::log_line({{"event", "tiers_warned"}, {"members", warned->reviewed}, {"told", warned->lowered}});
            }
            return ok;
        },
        job("lot_expiry"));

    // Prize draws' unclaimed prizes: forfeited once their claim_by passes, and passed to the first
    // reserve waiting, who is told (docs/draws.md).
    apps::PeriodicTask pass_unclaimed_prizes(
        std::chrono::minutes(1),
        [&services] {
            const auto forfeited = services.draws.pass_unclaimed_prizes();
            if (!forfeited) {
                api::log_line(
                    {{"level", "error"}, {"event", "unclaimed_prizes_failed"}, {"detail", forfeited.error().message}});
            } else if (*forfeited > 0) {
                api::log_line({{"event", "unclaimed_prizes_passed_on"}, {"places", *forfeited}});
            }
            return forfeited.has_value();
        },
        job("unclaimed_prizes"));

    // The ledgers' daily totals that reports read; the transfers after them are read live.
    apps::PeriodicTask roll_up_ledger_days(
        std::chrono::minutes(1),
        [&services] {
            const auto added = services.ledger_days.roll_up();
            if (!added) {
                api::log_line({{"level", "error"}, {"event", "ledger_days_failed"}, {"detail", added.error().message}});
            } else if (*added > 0) {
                api::log_line({{"event", "ledger_days_rolled_up"}, {"transfers", *added}});
            }
            return added.has_value();
        },
        job("ledger_days"));
    // What each rule gave per day, store and member, that the Rewards report reads; at a shared
    // pace, since its first catch-up after an upgrade reads the whole ledger.
    apps::PeriodicTask roll_up_reward_days(
        std::chrono::minutes(1),
        [&services] {
            const auto added = services.reward_days.roll_up(service::RefreshPace::kShared);
            if (!added) {
                api::log_line({{"level", "error"}, {"event", "reward_days_failed"}, {"detail", added.error().message}});
            } else if (*added > 0) {
                api::log_line({{"event", "reward_days_rolled_up"}, {"transfers", *added}});
            }
            return added.has_value();
        },
        job("reward_days"));
    // Member scores: checked every minute, refreshed per programme when its last refresh is older
    // than the configured interval (kept in the database, so a restart does not refresh again).
    std::optional<apps::PeriodicTask> refresh_scores;
    if (config->insight_refresh_s > 0) {
        refresh_scores.emplace(
            std::chrono::minutes(1),
            [&services, &config] {
                const auto report = services.insight.refresh_due(config->insight_window_days,
                                                                 std::chrono::seconds(config->insight_refresh_s),
                                                                 service::RefreshPace::kShared);
                if (!report) {
                    api::log_line(
                        {{"level", "error"}, {"event", "insight_refresh_failed"}, {"detail", report.error().message}});
                } else if (report->programs > 0) {
                    api::log_line({{"event", "insight_refreshed"},
                                   {"programs", report->programs},
                                   {"members", report->members},
                                   {"segment_memberships", report->memberships},
                                   {"profiles_unopened", report->profiles_unopened},
                                   {"took_ms", report->took.count()}});
                }
                return report.has_value();
            },
            job("insight_refresh"));
    }

    // Fraud: tills giving far more in their last hour than usual (terminal_outlier). Several
    // instances may scan alike: a till's signal is raised once per UTC hour.
    std::optional<apps::PeriodicTask> scan_tills;
    if (config->fraud_scan_s > 0) {
        scan_tills.emplace(
            std::chrono::seconds(config->fraud_scan_s),
            [&services] {
                const auto scan = services.fraud.scan_tills();
                if (!scan) {
                    api::log_line(
                        {{"level", "error"}, {"event", "till_scan_failed"}, {"detail", scan.error().message}});
                } else if (scan->raised > 0) {
                    api::log_line({{"event", "tills_signalled"}, {"tills", scan->tills}, {"raised", scan->raised}});
                }
                return scan.has_value();
            },
            job("till_scan"));
    }

    // Webhooks: the outbox's events sent to the subscribed receivers, by one instance at a time.
    std::optional<notify::WebhookDispatcher> webhooks;
    if (config->webhooks) {
        notify::DispatcherSettings settings;
        settings.retry = {std::chrono::milliseconds(config->webhook_retry_first_ms),
                          std::chrono::milliseconds(config->webhook_retry_longest_ms),
                          std::chrono::seconds(config->webhook_retry_for_s)};
        settings.timeout = std::chrono::milliseconds(config->webhook_timeout_ms);
        settings.per_subscription = config->webhook_concurrency;
        settings.private_receivers = config->webhook_private_receivers;
        settings.log = [](const nlohmann::json& fields) { api::log_line(fields); };
        webhooks.emplace(services.webhooks, clock, random, std::move(settings));
        webhooks->start();
    }

    // Messages to members (a welcome, points about to expire, ...): by one instance at a time, under
    // the lease member_messages, every 10 s; a round that took a full batch is followed at once.
    // The lease (60 s) is renewed before every round, and a round of 10 takes at most 50 s even
    // when each send waits out the gateway's 5 s time-out: the lease never lapses mid-round.
    // An instance without a notifier (PATRON_NOTIFY unset) never takes the lease: it would only
    // fail or drop what another instance can send.
    const bool messaging = (*notifier)->configured();
    if (!messaging) {
        api::log_line({{"level", "warning"},
                       {"event", "member_messages_off"},
                       {"detail", "PATRON_NOTIFY is not set: this instance sends no messages to members"}});
    }
    std::optional<apps::PeriodicTask> send_messages;
    if (messaging)
        send_messages.emplace(
            std::chrono::seconds(10),
            [&services, holder = notify::default_holder()] {
                for (int round = 0; round < 20; ++round) {
                    const auto leading = services.messages.take_lease(holder, 60);
                    if (!leading) return false;
                    if (!*leading) return true;  // Another instance sends.
                    const auto sent = services.messages.send_due(10);
                    if (!sent) {
                        api::log_line({{"level", "error"},
                                       {"event", "member_messages_failed"},
                                       {"detail", sent.error().message}});
                        return false;
                    }
                    if (sent->sent + sent->skipped + sent->deferred + sent->retrying + sent->failed + sent->withdrawn +
                            sent->unrecorded >
                        0) {
                        api::log_line({{"event", "member_messages"},
                                       {"sent", sent->sent},
                                       {"skipped", sent->skipped},
                                       {"deferred", sent->deferred},
                                       {"retrying", sent->retrying},
                                       {"failed", sent->failed},
                                       {"withdrawn", sent->withdrawn},
                                       {"unrecorded", sent->unrecorded}});
                    }
                    if (!sent->more) return true;
                }
                return true;
            },
            job("member_messages"));

    // Triggers: after purchases and returns (the outbox), and lapses of no_purchase triggers, by one
    // instance at a time under the lease triggers, every 5 s; a round that took a full batch is
    // followed at once. A round of 200 events takes well under the lease's 60 s.
    apps::PeriodicTask run_triggers(
        std::chrono::seconds(5),
        [&services, holder = notify::default_holder()] {
            for (int round = 0; round < 10; ++round) {
                const auto leading = services.triggers.take_lease(holder, 60);
                if (!leading) return false;
                if (!*leading) return true;  // Another instance runs them.
                const auto done = services.triggers.run_due(200);
                if (!done) {
                    api::log_line({{"level", "error"}, {"event", "triggers_failed"}, {"detail", done.error().message}});
                    return false;
                }
                if (done->failed > 0) {
                    api::log_line({{"level", "error"},
                                   {"event", "triggers_given_up"},
                                   {"count", done->failed},
                                   {"detail", done->failure}});
                }
                if (done->fired > 0) {
                    api::log_line({{"event", "triggers_fired"},
                                   {"fired", done->fired},
                                   {"events", done->events},
                                   {"scanned", done->scanned}});
                }
                if (!done->more) return true;
            }
            return true;
        },
        job("triggers"));

    int received = 0;
    sigwait(&stop_signals, &received);
    api::log_line({{"event", "stopping"}, {"signal", received == SIGINT ? "SIGINT" : "SIGTERM"}});
    sd_notify(0, "STOPPING=1\nSTATUS=draining");
    services.messages.stop();  // A round under way stops before its next message.
    if (send_messages) send_messages->stop();
    if (const auto gave_up = services.messages.give_up_lease(notify::default_holder()); !gave_up) {
        api::log_line(
            {{"level", "error"}, {"event", "member_messages_lease_kept"}, {"detail", gave_up.error().message}});
    }
    run_triggers.stop();
    if (const auto gave_up = services.triggers.give_up_lease(notify::default_holder()); !gave_up) {
        api::log_line({{"level", "error"}, {"event", "triggers_lease_kept"}, {"detail", gave_up.error().message}});
    }
    forget_old_pos_state.stop();
    monitor.stop();
    follow_keys_file.stop();
    move_lots.stop();
    roll_up_ledger_days.stop();
    roll_up_reward_days.stop();
    if (refresh_scores) refresh_scores->stop();
    webhooks.reset();
    server.shutdown();
    // Backtests run on threads of their own: cancelled between two chunks and joined once no
    // request can start or wait for one.
    services.backtests.stop();
    api::log_line({{"event", "stopped"}});
    return 0;
}
