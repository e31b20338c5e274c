// patronctl: Patron's admin command line.
//   patronctl version
//   patronctl migrate                      apply pending migrations (PATRON_DB_URL)
//   patronctl keys init FILE               write a new keys file (mode 0600); refuses to overwrite
//   patronctl keys rotate                  add a master key to PATRON_KEYS_FILE, make it active and re-wrap
//                                          every member data key and terminal secret under it, while serving
//   patronctl keys rewrap                  re-wrap what older master keys still guard (finishes a rotation)
//   patronctl keys usage                   how many wrapped keys each master key guards
//   patronctl keys retire ID               drop a master key from the keys file once it guards nothing
//   patronctl demo seed OUT BASE_URL       create the demo program once; write its credentials to OUT
//   patronctl expire                       release held points, expire lots and review tiers that are due now
//   patronctl backup DIR                   a consistent copy of the database taken while patrond serves
//                                          (mariadb-backup), with a manifest; never the keys file
//   patronctl restore DIR DATADIR          the backup into an empty data directory for a new MariaDB
//   patronctl restore replay DIR BINLOG_DIR [--until "YYYY-MM-DD HH:MM:SS"]
//                                          the binary log from the backup's position to that UTC moment
//                                          (or its end) into PATRON_DB_URL: point-in-time recovery
//   patronctl verify                       recompute every balance from the ledger and the lots, and walk the
//                                          audit log's chains (PATRON_KEYS_FILE); exit 1 on a difference or a
//                                          broken link, naming each; print each programme's points outstanding
//                                          as the ledger sums them and its audit chain's last link
//   patronctl report points --from D --to D [--by B] [--store S] [--by-store] [--csv] [--program CODE]
//                                          the Points & cashback report as JSON (or CSV), as GET /v1/reports/points
//                                          answers it; the ledgers' daily totals are brought up to date first
//   patronctl report feedback --from D --to D [--by B] [--store S] [--by-store] [--csv] [--program CODE]
//                                          NPS, CSAT and CES as JSON (or CSV), as GET /v1/reports/feedback answers it
//   patronctl report members ...           the same flags: the Members report, as GET /v1/reports/members
//   patronctl insight refresh [--program ID] [--window-days N]
//                                          score members now (RFM, churn risk, value): every program, or one
//   patronctl report rewards --from D --to D [--store S] [--by-store] [--csv] [--program CODE]
//                                          what each rule, campaign, stamp card and cashback rule gave over the
//                                          range, as JSON (or CSV), as GET /v1/reports/rewards answers it
//   patronctl report effectiveness rule|coupon ID [--from D] [--to D] [--csv] [--program CODE]
//                                          a hold-out campaign's effectiveness as JSON (or CSV), as
//                                          GET /v1/reports/campaigns/{kind}/{id}/effectiveness answers it
//   patronctl program add CODE NAME CURRENCY COUNTRY_CALLING_CODE LANGUAGE TIME_ZONE [--card-prefix DIGITS]
//                                          create a programme (a new installation's first), each value checked
//   patronctl coupons codes CAMPAIGN_ID COUNT [--length N] [--prefix P] [--program CODE]
//                                          draw COUNT single-use codes for a coupon campaign (as the console's
//                                          POST /v1/coupon-campaigns/{id}/codes does, up to 1,000,000)
//   patronctl staff add PROGRAM EMAIL ROLE NAME
//                                          create a staff user (e.g. the first admin); the password is read from stdin
//   patronctl rules backtest [--program CODE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
//                                          rate the draft rules against a past window's purchases, nothing
//                                          written; prints the result as JSON (the API's BacktestResult)
//   patronctl import members FILE.csv [--program CODE] [--dry-run]
//                                          enrol a customer list (header row: full_name, phone and/or email,
//                                          ...) through the API's checks, each refused row named; run again,
//                                          it enrols no one twice; --dry-run checks every row, writes nothing
// Long work (expire, verify, keys rotate and rewrap, backup, restore, import, coupon codes, insight refresh) draws a
// progress line on standard error when that is a terminal; --quiet (anywhere) draws none.
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <expected>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "apps/config/config.h"
#include "apps/patronctl/backup.h"
#include "apps/patronctl/import_members.h"
#include "apps/patronctl/progress.h"
#include "crypto/aead.h"
#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/backtest.h"
#include "loyalty/core/coupon_requests.h"
#include "loyalty/core/effectiveness_document.h"
#include "loyalty/core/feedback_report_document.h"
#include "loyalty/core/member_profile.h"
#include "loyalty/core/members_report_document.h"
#include "loyalty/core/points_report_document.h"
#include "loyalty/core/report_query.h"
#include "loyalty/core/rewards_report_document.h"
#include "loyalty/core/staff_requests.h"
#include "loyalty/service/access/audit_log_service.h"
#include "loyalty/service/access/key_rotation_service.h"
#include "loyalty/service/access/staff_account_service.h"
#include "loyalty/service/insight/effectiveness_report_service.h"
#include "loyalty/service/insight/feedback_report_service.h"
#include "loyalty/service/insight/insight_service.h"
#include "loyalty/service/insight/members_report_service.h"
#include "loyalty/service/insight/points_report_service.h"
#include "loyalty/service/insight/rewards_report_service.h"
#include "loyalty/service/program/backtest_service.h"
#include "loyalty/service/program/coupon_campaign_service.h"
#include "loyalty/service/program/demo_program.h"
#include "loyalty/service/program/points_maintenance_service.h"
#include "loyalty/service/program/program_service.h"
#include "loyalty/service/program/tier_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/db/migrations.h"
#include "loyalty/store/program/program_store.h"
#include "version.h"

namespace {

using namespace patron;
using Arguments = std::vector<std::string>;
using apps::Progress;
using apps::progress_shown;

int usage() {
    std::cerr
        << "usage: patronctl version | migrate | keys init FILE | keys rotate | keys rewrap | keys usage"
           " | keys retire ID | demo seed OUT BASE_URL | expire | verify"
           " | backup DIR | restore DIR DATADIR | restore replay DIR BINLOG_DIR [--until \"YYYY-MM-DD HH:MM:SS\"]"
           " | report points|members|feedback|rewards [--from D] [--to D] [--by B] [--store S] [--by-store] [--csv]"
           " [--program CODE]"
           " | insight refresh [--program ID] [--window-days N]"
           " | rules backtest [--program CODE] [--from YYYY-MM-DD] [--to YYYY-MM-DD]"
           " | program add CODE NAME CURRENCY COUNTRY_CALLING_CODE LANGUAGE TIME_ZONE [--card-prefix DIGITS]"
           " | coupons codes CAMPAIGN_ID COUNT [--length N] [--prefix P] [--program CODE]"
           " | staff add PROGRAM EMAIL ROLE NAME (password on stdin)"
           " | import members FILE.csv [--program CODE] [--dry-run]"
           "   (and --quiet: no progress line)\n"
           "Database and keys come from PATRON_DB_URL and PATRON_KEYS_FILE, or from the configuration file"
           " (PATRON_CONFIG; /etc/patron/patron.conf when installed; see patrond --help).\n";
    return 2;
}

int fail(const std::string& message) {
    std::cerr << "patronctl: " << message << "\n";
    return 1;
}

std::expected<apps::Config, std::string> config_from_environment() {
    return apps::parse_config({}, std::getenv, apps::own_default_config_file());
}

int version(const Arguments&) {
    std::cout << "patron " << kPatronVersion << "\n";
    return 0;
}

int migrate(const Arguments&) {
    const auto config = config_from_environment();
    if (!config) return fail(config.error());
    const auto migrations = store::prepare_migrations(store::embedded_migrations());
    if (!migrations) return fail(migrations.error().message);
    store::Database database(store::DatabaseSettings{config->db_url, 1});
    // Another process migrating (an instance starting, on any node): wait for it, a minute at most.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    auto report = database.run_for<store::MigrationReport>(
        [&](soci::session& sql) { return store::apply_migrations(sql, *migrations); });
    while (!report && report.error().code == core::ErrorCode::kUnavailable &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        report = database.run_for<store::MigrationReport>(
            [&](soci::session& sql) { return store::apply_migrations(sql, *migrations); });
    }
    if (!report) return fail(report.error().message);
    for (const std::string& name : report->applied) std::cout << "applied " << name << "\n";
    std::cout << (report->applied.empty() ? "schema is current\n" : "done\n");
    return 0;
}

int keys_init(const Arguments& args) {
    if (args.size() != 1) return usage();
    const std::string& path = args[0];
    struct stat info {};
    if (stat(path.c_str(), &info) == 0) return fail(path + " exists; refusing to overwrite keys");
    crypto::SystemRandom random;
    const auto written = crypto::write_keys_file(path, crypto::KeyRing::generate(random, "mk1"));
    if (!written) return fail(written.error());
    std::cout << "wrote " << path << "\n";
    return 0;
}

// What a key rotation command needs: the keys file's ring, the database and the rotation.
struct Rotation {
    std::string keys_file;
    crypto::KeyRing& ring;
    service::KeyRotationService& rotation;
    crypto::RandomSource& random;
};

int with_rotation(const Arguments& args, std::size_t arguments, const std::function<int(Rotation&)>& command) {
    if (args.size() != arguments) return usage();
    const auto config = config_from_environment();
    if (!config) return fail(config.error());
    auto ring = crypto::KeyRing::load(config->keys_file);
    if (!ring) return fail("PATRON_KEYS_FILE: " + ring.error());
    store::Database database(store::DatabaseSettings{config->db_url, 1});
    crypto::SystemRandom random;
    service::KeyRotationService rotation(database, *ring, random);
    Rotation context{config->keys_file, *ring, rotation, random};
    return command(context);
}

// Prints what each master key guards and which ones may now be retired.
int print_usage(Rotation& context) {
    const auto usage = context.rotation.usage();
    if (!usage) return fail(usage.error().message);
    const auto masters = context.ring.masters();
    for (const auto& [id, key] : masters->keys) {
        const auto found = usage->find(id);
        const long long count = found == usage->end() ? 0 : found->second;
        std::cout << id << (id == masters->active_id ? " (active)" : "") << ": " << count << " wrapped keys"
                  << (count == 0 && id != masters->active_id ? ", can be retired (patronctl keys retire " + id + ")"
                                                             : "")
                  << "\n";
    }
    for (const auto& [id, count] : *usage) {
        if (masters->find(id) == nullptr) std::cout << id << " (not in the keys file!): " << count << " wrapped keys\n";
    }
    return 0;
}

int rewrap_pass(Rotation& context) {
    service::WorkProgress work;
    Progress progress("keys rewrap", "keys", work, progress_shown());
    const auto report = context.rotation.rewrap_all(&work);
    progress.finish();
    if (!report) return fail(report.error().message);
    std::cout << "re-wrapped " << report->member_keys << " member data keys, " << report->terminal_secrets
              << " terminal secrets, " << report->feedback_keys << " feedback comment keys, " << report->answer_keys
              << " keys of answers kept for Idempotency-Keys, " << report->webhook_secrets << " webhook secrets and "
              << report->draw_seeds << " prize draw seeds under " << context.ring.masters()->active_id;
    if (report->changed_meanwhile > 0) std::cout << "; " << report->changed_meanwhile << " changed meanwhile";
    std::cout << "\n";
    if (report->unreadable > 0) return fail(std::to_string(report->unreadable) + " wrapped keys do not open");
    return 0;
}

// mk1 -> mk2: one more than the highest "mkN" id in the ring.
std::string next_master_id(const crypto::MasterKeys& masters) {
    long long highest = 0;
    for (const auto& [id, key] : masters.keys) {
        if (id.size() > 2 && id.starts_with("mk") && id.find_first_not_of("0123456789", 2) == std::string::npos) {
            highest = std::max(highest, std::stoll(id.substr(2)));
        }
    }
    return "mk" + std::to_string(highest + 1);
}

int keys_rotate(const Arguments& args) {
    return with_rotation(args, 0, [](Rotation& context) {
        crypto::MasterKeys next = *context.ring.masters();
        const std::string id = next_master_id(next);
        next.keys.emplace(id, crypto::SecretBytes(context.random.bytes(crypto::kAeadKeySize)));
        next.active_id = id;
        const auto written =
            crypto::write_keys_file(context.keys_file, crypto::KeyRing::render(next, context.ring.index_key()));
        if (!written) return fail(written.error());
        const auto written_at = std::chrono::steady_clock::now();
        std::cout << "added master key " << id << " to " << context.keys_file << " and made it active\n";
        if (const auto reloaded = context.ring.reload(); !reloaded) return fail(reloaded.error());
        if (const int failed = rewrap_pass(context); failed != 0) return failed;
        // A server that has not seen the new file yet may still wrap a new member's key under the
        // old master: once every server has re-read it, a second pass takes those too.
        {
            Progress waiting("keys rotate: waiting for every patrond to read the new keys file", "", apps::time_only(),
                             progress_shown());
            std::this_thread::sleep_until(written_at + 3 * crypto::kKeysFileFollowInterval);
        }
        if (const int failed = rewrap_pass(context); failed != 0) return failed;
        return print_usage(context);
    });
}

int keys_rewrap(const Arguments& args) {
    return with_rotation(args, 0, [](Rotation& context) {
        if (const int failed = rewrap_pass(context); failed != 0) return failed;
        return print_usage(context);
    });
}

int keys_usage(const Arguments& args) { return with_rotation(args, 0, print_usage); }

int keys_retire(const Arguments& args) {
    const std::string id = args.empty() ? "" : args[0];
    return with_rotation(args, 1, [&id](Rotation& context) {
        crypto::MasterKeys next = *context.ring.masters();
        if (next.find(id) == nullptr) return fail("the keys file holds no master key " + id);
        if (id == next.active_id) return fail(id + " is the active master key; rotate first");
        const auto usage = context.rotation.usage();
        if (!usage) return fail(usage.error().message);
        if (const auto found = usage->find(id); found != usage->end() && found->second > 0) {
            return fail(id + " still guards " + std::to_string(found->second) +
                        " wrapped keys; run patronctl keys rewrap first");
        }
        next.keys.erase(id);
        const auto written =
            crypto::write_keys_file(context.keys_file, crypto::KeyRing::render(next, context.ring.index_key()));
        if (!written) return fail(written.error());
        std::cout << "retired master key " << id << "\n";
        return 0;
    });
}

// What most commands open: the configuration, the keys file it names and the database, with a
// clock and the random source the services take.
struct Console {
    Console(apps::Config settings, crypto::KeyRing ring, std::size_t connections)
        : config(std::move(settings)),
          keys(std::move(ring)),
          database(store::DatabaseSettings{config.db_url, connections}) {}
    apps::Config config;
    crypto::KeyRing keys;
    store::Database database;
    service::SystemClock clock;
    crypto::SystemRandom random;
};

std::expected<std::unique_ptr<Console>, std::string> open_console(std::size_t connections) {
    auto config = config_from_environment();
    if (!config) return std::unexpected(config.error());
    auto keys = crypto::KeyRing::load(config->keys_file);
    if (!keys) return std::unexpected("PATRON_KEYS_FILE: " + keys.error());
    return std::make_unique<Console>(std::move(*config), std::move(*keys), connections);
}

int demo_seed(const Arguments& args) {
    if (args.size() != 2) return usage();
    const auto console = open_console(2);
    if (!console) return fail(console.error());
    Console& c = **console;
    const auto demo = service::seed_demo_program(c.database, c.keys, c.clock, c.random);
    if (!demo) return fail(demo.error().message);
    nlohmann::json members = nlohmann::json::array();
    for (const auto& member : demo->members) members.push_back({{"id", member.id}, {"card", member.card_number}});
    const nlohmann::json document = {
        {"base_url", args[1]},
        {"staff_token", demo->staff_token},
        {"admin", {{"email", demo->admin_email}, {"password", demo->admin_password}}},
        {"terminal",
         {{"store", demo->store_code},
          {"terminal", demo->terminal_code},
          {"key_id", demo->terminal.key_id},
          {"secret", demo->terminal.secret}}},
        {"members", members},
    };
    const mode_t previous = umask(077);
    std::ofstream(args[0]) << document.dump(2) << "\n";
    umask(previous);
    std::cout << "wrote " << args[0] << "\n";
    return 0;
}

// The database of PATRON_DB_URL, for commands that only need the database.
std::expected<std::unique_ptr<store::Database>, std::string> open_database() {
    const auto config = config_from_environment();
    if (!config) return std::unexpected(config.error());
    return std::make_unique<store::Database>(store::DatabaseSettings{config->db_url, 2});
}

// Runs a points housekeeping command against PATRON_DB_URL's database.
// The scheduled jobs patrond runs every minute, to run by hand.
struct Jobs {
    service::PointsMaintenanceService& points;
    service::TierService& tiers;
    service::AuditLogService& audit;
};

int with_jobs(const Arguments& args, int (*command)(Jobs&)) {
    if (!args.empty()) return usage();
    const auto config = config_from_environment();
    if (!config) return fail(config.error());
    const auto keys = crypto::KeyRing::load(config->keys_file);
    if (!keys) return fail("PATRON_KEYS_FILE: " + keys.error());
    auto database = open_database();
    if (!database) return fail(database.error());
    service::SystemClock clock;
    service::PointsMaintenanceService maintenance(**database, clock);
    service::TierService tiers(**database, *keys, clock);
    service::AuditLogService audit(**database, *keys);
    Jobs jobs{maintenance, tiers, audit};
    return command(jobs);
}

int expire(const Arguments& args) {
    return with_jobs(args, [](Jobs& jobs) {
        service::WorkProgress work;
        Progress progress("expire", "members", work, progress_shown());
        const auto report = jobs.points.run_all_due(&work);
        progress.finish();
        if (!report) return fail(report.error().message);
        std::cout << "moved " << report->points << " points of " << report->members << " members; " << report->announced
                  << " points_expiring events\n";
        const auto reviewed = jobs.tiers.review_all_due();
        if (!reviewed) return fail(reviewed.error().message);
        std::cout << "reviewed " << reviewed->reviewed << " tiers, lowered " << reviewed->lowered << "\n";
        return 0;
    });
}

int verify(const Arguments& args) {
    return with_jobs(args, [](Jobs& jobs) {
        service::WorkProgress work;
        work.total = service::kVerifyChecks;
        Progress progress("verify", "checks", work, progress_shown());
        const auto found = jobs.points.verify(&work);
        progress.finish();
        if (!found) return fail(found.error().message);
        for (const std::string& line : *found) std::cout << line << "\n";
        // The figure the points report's and the dashboard's outstanding points must equal.
        const auto outstanding = jobs.points.outstanding();
        if (!outstanding) return fail(outstanding.error().message);
        for (const store::ProgramOutstanding& program : *outstanding) {
            std::cout << "programme " << program.program << ": " << program.available + program.pending
                      << " points outstanding (" << program.available << " available, " << program.pending
                      << " pending)\n";
        }
        const auto chains = jobs.audit.verify_chains();
        if (!chains) return fail(chains.error().message);
        for (const std::string& line : chains->problems) std::cout << "audit log: " << line << "\n";
        for (const store::AuditChainReport::Chain& chain : chains->chains) {
            std::cout << "programme " << chain.program_id << ": audit chain of " << chain.links
                      << " entries, last link " << chain.head_mac << "\n";
        }
        if (chains->legacy_unsealed > 0) {
            std::cout
                << chains->legacy_unsealed
                << " audit entries from before the chains are not sealed yet: patrond seals them when it starts\n";
        }
        if (!found->empty() || !chains->problems.empty()) {
            std::cout << found->size() << " discrepancies, " << chains->problems.size() << " audit log problems\n";
            return 1;
        }
        std::cout << "the ledger, the balances and the lots agree; the audit log's chains are whole\n";
        return 0;
    });
}

// The report's flags as the API's query parameters ("--by-store" is by_store=true, "--csv" format=csv);
// --program apart. Nullopt for a flag no report takes, or one without its value.
std::optional<std::map<std::string, std::string>> report_parameters(const Arguments& args, std::string& program) {
    std::map<std::string, std::string> parameters;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--by-store") {
            parameters["by_store"] = "true";
        } else if (args[i] == "--csv") {
            parameters["format"] = "csv";
        } else if (i + 1 < args.size() && (args[i] == "--from" || args[i] == "--to" || args[i] == "--by" ||
                                           args[i] == "--store" || args[i] == "--program")) {
            (args[i] == "--program" ? program : parameters[args[i].substr(2)]) = args[i + 1];
            ++i;
        } else {
            return std::nullopt;
        }
    }
    return parameters;
}

// The programme a report is about: the one named, or the database's only one.
core::Result<long long> report_program(store::Database& database, const std::string& code) {
    return database.run_for<long long>([&](soci::session& sql) -> core::Result<long long> {
        if (!code.empty()) {
            const auto program = store::find_program_by_code(sql, code);
            if (!program) return core::fail(core::ErrorCode::kNotFound, "no program with code " + code, "program");
            return program->id;
        }
        const auto ids = store::program_ids(sql);
        if (ids.size() != 1) {
            return core::fail(core::ErrorCode::kValidationFailed, "name the programme with --program CODE", "program");
        }
        return ids.front();
    });
}

int fail(const core::Error& error) {
    return fail(error.field.empty() ? error.message : error.field + ": " + error.message);
}

// A report command: the flags read as the API's query, the programme found, the report made by
// `make(database, program_id, request)` and printed as JSON or as CSV, as the API answers it.
template <typename Make, typename ToJson, typename ToCsv>
int run_report(const Arguments& args, Make&& make, ToJson&& to_json, ToCsv&& to_csv) {
    std::string program_code;
    const auto parameters = report_parameters(args, program_code);
    if (!parameters) return usage();
    const auto request = core::parse_report_request(*parameters, std::nullopt);
    if (!request) return fail(request.error());
    auto database = open_database();
    if (!database) return fail(database.error());
    const auto program_id = report_program(**database, program_code);
    if (!program_id) return fail(program_id.error().message);
    const auto report = make(**database, *program_id, *request);
    if (!report) return fail(report.error());
    if (report->query.format == core::ReportFormat::kCsv) {
        std::cout << to_csv(*report);
    } else {
        std::cout << to_json(*report).dump(2) << "\n";
    }
    return 0;
}

int report_points(const Arguments& args) {
    const auto make = [](store::Database& database, long long program_id, const core::ReportRequest& request) {
        service::SystemClock clock;
        return service::PointsReportService(database, clock).report_after_roll_up(program_id, request);
    };
    return run_report(args, make, core::points_report_json, core::points_report_csv);
}

int report_feedback(const Arguments& args) {
    const auto make = [](store::Database& database, long long program_id, const core::ReportRequest& request) {
        service::SystemClock clock;
        return service::FeedbackReportService(database, clock).report_of_program(program_id, request);
    };
    return run_report(args, make, core::feedback_report_json, core::feedback_report_csv);
}

int report_members(const Arguments& args) {
    const auto make = [](store::Database& database, long long program_id, const core::ReportRequest& request) {
        service::SystemClock clock;
        return service::MembersReportService(database, clock).report_of_program(program_id, request);
    };
    return run_report(args, make, core::members_report_json, core::members_report_csv);
}

int report_rewards(const Arguments& args) {
    const auto make = [](store::Database& database, long long program_id,
                         const core::ReportRequest& request) -> core::Result<core::RewardsReport> {
        service::SystemClock clock;
        if (const auto rolled =
                service::LedgerDayRollup(database, clock, store::DaySums::kRewardDays).roll_up_program(program_id);
            !rolled) {
            return std::unexpected(rolled.error());
        }
        return service::RewardsReportService(database, clock).report_of_program(program_id, request);
    };
    return run_report(args, make, core::rewards_report_json, core::rewards_report_csv);
}

int report_effectiveness(const Arguments& args) {
    if (args.size() < 2) return usage();
    const auto kind = core::parse_campaign_kind(args[0]);
    if (!kind) return usage();
    const std::string id = args[1];
    const auto make = [&](store::Database& database, long long program_id, const core::ReportRequest& request) {
        service::SystemClock clock;
        return service::EffectivenessReportService(database, clock).report_of_program(program_id, *kind, id, request);
    };
    return run_report(Arguments(args.begin() + 2, args.end()), make, core::effectiveness_report_json,
                      core::effectiveness_report_csv);
}

// program add CODE NAME CURRENCY COUNTRY_CALLING_CODE LANGUAGE TIME_ZONE [--card-prefix DIGITS]
int program_add(const Arguments& args) {
    Arguments values;
    std::string card_prefix = "7001";
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--card-prefix" && i + 1 < args.size()) {
            card_prefix = args[++i];
        } else {
            values.push_back(args[i]);
        }
    }
    if (values.size() != 6) return usage();
    std::string calling_code = values[3];
    if (calling_code.starts_with("+")) calling_code.erase(0, 1);
    const store::ProgramRecord program{0,         values[0],   values[1], values[2], calling_code,
                                       values[4], card_prefix, values[5]};
    const auto console = open_console(1);
    if (!console) return fail(console.error());
    Console& c = **console;
    const auto added = service::ProgramService(c.database, c.keys, c.clock, c.random).add_program(program);
    if (!added) return fail(added.error());
    std::cout << "created programme " << program.code << " (id " << *added << ", " << program.currency << ", "
              << program.time_zone << "); next, its first admin: patronctl staff add " << program.code
              << " EMAIL admin NAME, then sign in to the console\n";
    return 0;
}

// A line of standard input, typed unseen on a terminal after `prompt`.
std::string read_line(const char* prompt) {
    std::string line;
    termios before{};
    const bool terminal = isatty(STDIN_FILENO) != 0 && tcgetattr(STDIN_FILENO, &before) == 0;
    if (terminal) {
        std::cerr << prompt << std::flush;
        termios unseen = before;
        unseen.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &unseen);
    }
    std::getline(std::cin, line);
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &before);
        std::cerr << "\n";
    }
    return line;
}

// The new user's password: a line of standard input, on a terminal typed twice (a typo would lock
// the first admin out); nullopt when the two differ.
std::optional<std::string> read_password() {
    const std::string password = read_line("password: ");
    if (isatty(STDIN_FILENO) != 0 && read_line("the same again: ") != password) return std::nullopt;
    return password;
}

int staff_add(const Arguments& args) {
    if (args.size() != 4) return usage();
    const auto console = open_console(1);
    if (!console) return fail(console.error());
    Console& c = **console;
    const auto password = read_password();
    if (!password) return fail("the two passwords differ; nothing was created");
    const auto program = report_program(c.database, args[0]);
    if (!program) return fail(program.error().message);
    const auto checked =
        core::check_new_staff_user({.email = args[1], .name = args[3], .password = *password}, args[2]);
    if (!checked) return fail(checked.error().field + ": " + checked.error().message);
    service::StaffAccountService accounts(c.database, c.keys, c.clock, c.random);
    const auto user = accounts.add_user(*program, *checked);
    if (!user) return fail(user.error().field + ": " + user.error().message);
    std::cout << "created staff user " << user->id << " (" << core::to_string(user->role) << ")\n";
    return 0;
}

// A positive whole number of a flag's value.
std::optional<long long> positive_number(const std::string& text) {
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 1) return std::nullopt;
    return value;
}

int insight_refresh(const Arguments& args) {
    const auto config = config_from_environment();
    if (!config) return fail(config.error());
    std::optional<long long> program_id;
    int window_days = config->insight_window_days;
    for (std::size_t i = 0; i < args.size(); i += 2) {
        const std::optional<long long> value = i + 1 < args.size() ? positive_number(args[i + 1]) : std::nullopt;
        if (!value) return usage();
        if (args[i] == "--program") {
            program_id = *value;
        } else if (args[i] == "--window-days" && *value <= service::kInsightWindowDaysMax) {
            window_days = static_cast<int>(*value);
        } else {
            return usage();
        }
    }
    // The keys open birth dates and cities, for the segments whose conditions name them.
    const auto keys = crypto::KeyRing::load(config->keys_file);
    if (!keys) return fail("PATRON_KEYS_FILE: " + keys.error());
    store::Database database(store::DatabaseSettings{config->db_url, 2});
    service::SystemClock clock;
    service::InsightService insight(database, *keys, clock);
    service::WorkProgress work;
    // The service counts each member twice, as read and as written: half of it is members.
    Progress progress(
        "insight refresh", "members",
        [&work] {
            return std::pair{work.done.load() / 2, work.total.load() / 2};
        },
        progress_shown());
    const auto report =
        program_id ? insight.refresh(*program_id, window_days, service::RefreshPace::kFull, &work)
                   : insight.refresh_due(window_days, std::chrono::seconds(0), service::RefreshPace::kFull, &work);
    progress.finish();
    if (!report) return fail(report.error().message);
    const double seconds = static_cast<double>(report->took.count()) / 1000.0;
    std::cout << "scored " << report->members << " members of " << report->programs << " programs in " << seconds
              << " s";
    if (report->took.count() > 0) {
        std::cout << " (" << static_cast<long long>(static_cast<double>(report->members) / seconds) << " members/s)";
    }
    std::cout << "; " << report->memberships << " segment memberships";
    if (report->profiles_unopened > 0) {
        std::cout << " (" << report->profiles_unopened << " profiles did not open: no birthday or city for them)";
    }
    std::cout << "\n";
    return 0;
}

// --program, --from and --to, each once; nullopt (after saying why) for anything else.
std::optional<std::map<std::string, std::string>> backtest_options(const Arguments& args) {
    std::map<std::string, std::string> options;
    for (std::size_t i = 0; i < args.size(); i += 2) {
        const bool known = args[i] == "--program" || args[i] == "--from" || args[i] == "--to";
        if (!known || i + 1 == args.size() || !options.emplace(args[i].substr(2), args[i + 1]).second) {
            std::cerr << "patronctl: rules backtest takes --program CODE, --from YYYY-MM-DD and --to YYYY-MM-DD\n";
            return std::nullopt;
        }
    }
    return options;
}

int rules_backtest(const Arguments& args) {
    const auto options = backtest_options(args);
    if (!options) return 2;
    service::BacktestRequest request;
    for (const auto& [name, date] : {std::pair{"from", &request.from}, std::pair{"to", &request.to}}) {
        const auto it = options->find(name);
        if (it == options->end()) continue;
        *date = core::parse_date(it->second);
        if (!*date) return fail(std::string("--") + name + " must be a date (YYYY-MM-DD)");
    }
    const auto config = config_from_environment();
    if (!config) return fail(config.error());
    const auto keys = crypto::KeyRing::load(config->keys_file);
    if (!keys) return fail("PATRON_KEYS_FILE: " + keys.error());
    store::Database database(store::DatabaseSettings{config->db_url, 2});
    const auto program = report_program(database, options->contains("program") ? options->at("program") : "");
    if (!program) return fail(program.error());
    service::SystemClock clock;
    crypto::SystemRandom random;
    service::BacktestService backtests(database, *keys, clock, random);
    const auto window = backtests.window(*program, request);
    if (!window) return fail(window.error());
    service::BacktestProgress progress;
    const auto report = backtests.run(*program, *window, progress);
    if (!report) return fail(report.error());
    std::cout << core::backtest_json(*report).dump(2) << "\n";
    return 0;
}

// coupons codes CAMPAIGN_ID COUNT [--length N] [--prefix P] [--program CODE]: the request the
// API reads, from the command's words.
int coupons_codes(const Arguments& args) {
    Arguments values;
    std::string program_code;
    nlohmann::json document = nlohmann::json::object();
    for (std::size_t i = 0; i < args.size(); ++i) {
        const bool valued = i + 1 < args.size();
        if (args[i] == "--length" && valued) {
            const auto length = positive_number(args[++i]);
            if (!length) return fail("--length must be a whole number");
            document["length"] = *length;
        } else if (args[i] == "--prefix" && valued) {
            document["prefix"] = args[++i];
        } else if (args[i] == "--program" && valued) {
            program_code = args[++i];
        } else if (args[i].starts_with("--")) {
            return usage();
        } else {
            values.push_back(args[i]);
        }
    }
    if (values.size() != 2) return usage();
    const auto campaign = positive_number(values[0]);
    const auto count = positive_number(values[1]);
    if (!campaign) return fail("CAMPAIGN_ID must be a campaign's id (a whole number)");
    if (!count) return fail("COUNT must be a whole number");
    document["count"] = *count;
    const auto request = core::decode_coupon_codes_request(document);
    if (!request) return fail(request.error());
    const auto console = open_console(1);
    if (!console) return fail(console.error());
    Console& c = **console;
    const auto program = report_program(c.database, program_code);
    if (!program) return fail(program.error());
    service::CouponCampaignService campaigns(c.database, c.keys, c.clock, c.random);
    service::WorkProgress work;
    Progress progress("coupon codes", "codes", work, progress_shown());
    const auto added = campaigns.add_codes(service::StaffIdentity{*program, "patronctl", core::StaffRole::kAdmin},
                                           *campaign, *request, &work);
    progress.finish();
    if (!added) return fail(added.error());
    std::cout << "added " << *added << " codes to coupon campaign " << *campaign
              << "; the console exports them (GET /v1/coupon-campaigns/" << *campaign << "/codes)\n";
    return 0;
}

// import members FILE.csv [--program CODE] [--dry-run]
int import_members(const Arguments& args) {
    std::optional<std::string> file;
    std::string program_code;
    bool dry_run = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--dry-run") {
            dry_run = true;
        } else if (args[i] == "--program" && i + 1 < args.size()) {
            program_code = args[++i];
        } else if (!file && !args[i].starts_with("--")) {
            file = args[i];
        } else {
            return usage();
        }
    }
    if (!file) return usage();
    const auto console = open_console(2);
    if (!console) return fail(console.error());
    Console& c = **console;
    const auto program = report_program(c.database, program_code);
    if (!program) return fail(program.error());
    return apps::import_members(c.database, c.keys, *program, *file, dry_run);
}

}  // namespace

int main(int argc, char** argv) {
    const std::map<std::string, int (*)(const Arguments&)> commands = {
        {"version", version},
        {"migrate", migrate},
        {"keys init", keys_init},
        {"keys rotate", keys_rotate},
        {"keys rewrap", keys_rewrap},
        {"keys usage", keys_usage},
        {"keys retire", keys_retire},
        {"demo seed", demo_seed},
        {"expire", expire},
        {"verify", verify},
        {"backup", apps::backup_command},
        {"restore", apps::restore_command},
        {"staff add", staff_add},
        {"program add", program_add},
        {"coupons codes", coupons_codes},
        {"report points", report_points},
        {"report members", report_members},
        {"report feedback", report_feedback},
        {"report effectiveness", report_effectiveness},
        {"report rewards", report_rewards},
        {"insight refresh", insight_refresh},
        {"rules backtest", rules_backtest},
        {"import members", import_members},
    };
    Arguments args;
    bool quiet = false;
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == "--quiet") {
            quiet = true;
        } else {
            args.emplace_back(argv[i]);
        }
    }
    apps::set_progress_quiet(quiet);
    for (const auto& [name, run] : commands) {
        const auto words = static_cast<std::size_t>(std::count(name.begin(), name.end(), ' ') + 1);
        if (args.size() < words) continue;
        std::string said = args[0];
        for (std::size_t i = 1; i < words; ++i) said += " " + args[i];
        if (said == name) return run(Arguments(args.begin() + static_cast<long>(words), args.end()));
    }
    return usage();
}
