// patronctl: Patron's admin command line.
//   patronctl version
//   patronctl migrate                      apply pending migrations (PATRON_DB_URL)
//   patronctl keys init FILE               write a new keys file (mode 0600); refuses to overwrite
//   patronctl demo seed OUT BASE_URL       create the demo program once; write its credentials to OUT
//   patronctl expire                       release held points, expire lots and review tiers that are due now
//   patronctl verify                       recompute every balance from the ledger and the lots; exit 1 on a difference
//   patronctl staff add PROGRAM EMAIL ROLE NAME
//                                          create a staff user (e.g. the first admin); the password is read from stdin
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "apps/config/config.h"
#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/service/clock.h"
#include "loyalty/service/demo_program.h"
#include "loyalty/service/points_maintenance.h"
#include "loyalty/service/staff_accounts.h"
#include "loyalty/service/tier_service.h"
#include "loyalty/store/database.h"
#include "loyalty/store/migrations.h"
#include "loyalty/store/program_store.h"
#include "version.h"

namespace {

using namespace patron;
using Arguments = std::vector<std::string>;

int usage() {
    std::cerr << "usage: patronctl version | migrate | keys init FILE | demo seed OUT BASE_URL | expire | verify"
                 " | staff add PROGRAM EMAIL ROLE NAME (password on stdin)\n"
                 "Database and keys come from PATRON_DB_URL and PATRON_KEYS_FILE (see patrond --help).\n";
    return 2;
}

int fail(const std::string& message) {
    std::cerr << "patronctl: " << message << "\n";
    return 1;
}

std::expected<apps::Config, std::string> config_from_environment() { return apps::parse_config({}, std::getenv); }

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
    const auto report = database.run_for<store::MigrationReport>(
        [&](soci::session& sql) { return store::apply_migrations(sql, *migrations); });
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
    const mode_t previous = umask(077);
    std::ofstream(path) << crypto::KeyRing::generate(random, "mk1");
    umask(previous);
    chmod(path.c_str(), 0600);
    std::cout << "wrote " << path << "\n";
    return 0;
}

int demo_seed(const Arguments& args) {
    if (args.size() != 2) return usage();
    const auto config = config_from_environment();
    if (!config) return fail(config.error());
    const auto keys = crypto::KeyRing::load(config->keys_file);
    if (!keys) return fail("PATRON_KEYS_FILE: " + keys.error());
    store::Database database(store::DatabaseSettings{config->db_url, 2});
    service::SystemClock clock;
    crypto::SystemRandom random;
    const auto demo = service::seed_demo_program(database, *keys, clock, random);
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
    service::PointsMaintenance& points;
    service::TierService& tiers;
};

int with_jobs(const Arguments& args, int (*command)(Jobs&)) {
    if (!args.empty()) return usage();
    auto database = open_database();
    if (!database) return fail(database.error());
    service::SystemClock clock;
    service::PointsMaintenance maintenance(**database, clock);
    service::TierService tiers(**database, clock);
    Jobs jobs{maintenance, tiers};
    return command(jobs);
}

int expire(const Arguments& args) {
    return with_jobs(args, [](Jobs& jobs) {
        const auto report = jobs.points.run_all_due();
        if (!report) return fail(report.error().message);
        std::cout << "moved " << report->points << " points of " << report->members << " members\n";
        const auto reviewed = jobs.tiers.review_all_due();
        if (!reviewed) return fail(reviewed.error().message);
        std::cout << "reviewed " << reviewed->reviewed << " tiers, lowered " << reviewed->lowered << "\n";
        return 0;
    });
}

int verify(const Arguments& args) {
    return with_jobs(args, [](Jobs& jobs) {
        const auto found = jobs.points.verify();
        if (!found) return fail(found.error().message);
        for (const std::string& line : *found) std::cout << line << "\n";
        if (!found->empty()) {
            std::cout << found->size() << " discrepancies\n";
            return 1;
        }
        std::cout << "the ledger, the balances and the lots agree\n";
        return 0;
    });
}

int staff_add(const Arguments& args) {
    if (args.size() != 4) return usage();
    const auto config = config_from_environment();
    if (!config) return fail(config.error());
    std::string password;
    std::getline(std::cin, password);
    store::Database database(store::DatabaseSettings{config->db_url, 1});
    service::SystemClock clock;
    crypto::SystemRandom random;
    const auto program = database.run_for<std::optional<store::ProgramRecord>>(
        [&](soci::session& sql) -> core::Result<std::optional<store::ProgramRecord>> {
            return store::find_program_by_code(sql, args[0]);
        });
    if (!program || !*program) return fail("no program with code " + args[0]);
    service::StaffAccounts accounts(database, clock, random);
    const auto user = accounts.add_user(
        (*program)->id, {{"email", args[1]}, {"role", args[2]}, {"name", args[3]}, {"password", password}});
    if (!user) return fail(user.error().field + ": " + user.error().message);
    std::cout << "created staff user " << user->id << " (" << user->role << ")\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::map<std::string, int (*)(const Arguments&)> commands = {
        {"version", version}, {"migrate", migrate}, {"keys init", keys_init}, {"demo seed", demo_seed},
        {"expire", expire},   {"verify", verify},   {"staff add", staff_add}};
    const Arguments args(argv + 1, argv + argc);
    for (const auto& [name, run] : commands) {
        const auto words = static_cast<std::size_t>(std::count(name.begin(), name.end(), ' ') + 1);
        if (args.size() < words) continue;
        std::string said = args[0];
        for (std::size_t i = 1; i < words; ++i) said += " " + args[i];
        if (said == name) return run(Arguments(args.begin() + static_cast<long>(words), args.end()));
    }
    return usage();
}
