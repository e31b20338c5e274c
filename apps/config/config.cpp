#include "apps/config/config.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace patron::apps {
namespace {

using Apply = std::function<std::expected<void, std::string>(Config&, const std::string&)>;

struct Setting {
    const char* flag;
    const char* variable;
    const char* fallback;
    const char* help;
    Apply apply;
};

template <typename T>
Apply whole_number(T Config::*field, long long minimum, long long maximum) {
    return [=](Config& config, const std::string& text) -> std::expected<void, std::string> {
        long long value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size() || value < minimum || value > maximum) {
            return std::unexpected("expected a whole number from " + std::to_string(minimum) + " to " +
                                   std::to_string(maximum) + ", got '" + text + "'");
        }
        config.*field = static_cast<T>(value);
        return {};
    };
}

Apply text(std::string Config::*field) {
    return [=](Config& config, const std::string& value) -> std::expected<void, std::string> {
        config.*field = value;
        return {};
    };
}

Apply yes_or_no(bool Config::*field) {
    return [=](Config& config, const std::string& text) -> std::expected<void, std::string> {
        if (text != "yes" && text != "no") return std::unexpected("expected yes or no, got '" + text + "'");
        config.*field = text == "yes";
        return {};
    };
}

std::expected<void, std::string> apply_listen(Config& config, const std::string& value) {
    const auto colon = value.rfind(':');
    if (colon == std::string::npos || colon == 0) return std::unexpected("expected HOST:PORT, got '" + value + "'");
    long long port = 0;
    const std::string digits = value.substr(colon + 1);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (error != std::errc() || end != digits.data() + digits.size() || port < 0 || port > 65535) {
        return std::unexpected("expected HOST:PORT with a port from 0 to 65535, got '" + value + "'");
    }
    config.listen_host = value.substr(0, colon);
    config.listen_port = static_cast<std::uint16_t>(port);
    return {};
}

// An absolute http(s) URL without query or fragment: receipts print links under it.
std::expected<void, std::string> apply_public_url(Config& config, const std::string& value) {
    const bool scheme = value.starts_with("https://") || value.starts_with("http://");
    const std::size_t host = value.find("://") + 3;
    if (!scheme || value.size() <= host || value.find_first_of("?# ") != std::string::npos) {
        return std::unexpected("expected an absolute URL such as https://club.example.com, got '" + value + "'");
    }
    config.public_url = value;
    return {};
}

std::expected<void, std::string> apply_db_url(Config& config, const std::string& value) {
    if (!value.starts_with("mysql://")) {
        return std::unexpected("expected mysql://user:password@host:port/database or ...@localhost/db?socket=PATH");
    }
    config.db_url = value;
    return {};
}

const std::vector<Setting>& settings() {
    static const std::vector<Setting> kSettings = {
        {"--db-url", "PATRON_DB_URL", "", "MariaDB URL (required)", apply_db_url},
        {"--listen", "PATRON_LISTEN", "127.0.0.1:8080", "address to serve HTTP on; port 0 picks a free one",
         apply_listen},
        {"--threads", "PATRON_THREADS", "2", "Pistache I/O threads", whole_number(&Config::http_threads, 1, 64)},
        {"--db-pool", "PATRON_DB_POOL", "16", "database connections", whole_number(&Config::db_pool, 1, 512)},
        {"--workers", "PATRON_WORKERS", "16", "worker threads for database work",
         whole_number(&Config::workers, 1, 512)},
        {"--queue-max", "PATRON_QUEUE_MAX", "1024", "requests waiting for a worker before 503",
         whole_number(&Config::queue_max, 1, 1'000'000)},
        {"--report-workers", "PATRON_REPORT_WORKERS", "2",
         "threads that read reports (/v1/reports/...), apart from the tills' workers",
         whole_number(&Config::report_workers, 1, 64)},
        {"--report-queue-max", "PATRON_REPORT_QUEUE_MAX", "8", "reports waiting for a report thread before 503",
         whole_number(&Config::report_queue_max, 1, 1024)},
        {"--keys-file", "PATRON_KEYS_FILE", "var/keys.txt", "master keys file (mode 0600)", text(&Config::keys_file)},
        {"--port-file", "PATRON_PORT_FILE", "", "write the bound port to this file once serving",
         text(&Config::port_file)},
        {"--notify", "PATRON_NOTIFY", "", "members' one-time codes: file:PATH (development) or webhook:URL",
         text(&Config::notify)},
        {"--metrics-token", "PATRON_METRICS_TOKEN", "",
         "/metrics answers only Authorization: Bearer TOKEN when set, else loopback clients "
         "(prefer the variable: flags show in ps)",
         text(&Config::metrics_token)},
        {"--web-dir", "PATRON_WEB_DIR", "",
         "the built web pages (its portal/, console/ and docs/ directories are served at /portal, /console and /docs);"
         " empty: none",
         text(&Config::web_dir)},
        {"--public-url", "PATRON_PUBLIC_URL", "",
         "where customers reach patrond, e.g. https://club.example.com: receipts' feedback links start with it"
         " (empty: the links are paths)",
         apply_public_url},
        {"--log-file", "PATRON_LOG_FILE", "", "append the log to this file, created mode 0600 (else standard error)",
         text(&Config::log_file)},
        {"--db-connect-timeout", "PATRON_DB_CONNECT_TIMEOUT", "2", "seconds to wait for a database connection",
         whole_number(&Config::db_connect_timeout_s, 1, 60)},
        {"--db-read-timeout", "PATRON_DB_READ_TIMEOUT", "30",
         "seconds to wait for the database's answer to a statement before taking the connection as lost"
         " (the request answers 503); reports and the insight refresh must fit in it",
         whole_number(&Config::db_read_timeout_s, 1, 3600)},
        {"--db-causal-reads", "PATRON_DB_CAUSAL_READS", "yes",
         "on a Galera cluster, whether each request's first statement waits until its node has applied"
         " every write the cluster committed before it, so that a client reads what it just wrote through"
         " another node (docs/cluster.md); no effect on a single server",
         yes_or_no(&Config::db_causal_reads)},
        {"--startup-wait", "PATRON_STARTUP_WAIT", "30", "seconds to wait for the database at start-up",
         whole_number(&Config::startup_wait_s, 0, 3600)},
        {"--insight-refresh", "PATRON_INSIGHT_REFRESH", "86400",
         "seconds between refreshes of member scores (RFM, churn risk, value); 0: only by patronctl insight refresh",
         whole_number(&Config::insight_refresh_s, 0, 31'622'400)},
        {"--insight-window", "PATRON_INSIGHT_WINDOW", "365", "days of purchases member scores look at",
         whole_number(&Config::insight_window_days, 1, 3660)},
        {"--fraud-scan", "PATRON_FRAUD_SCAN", "60",
         "seconds between scans of the tills' last hour against their usual hour (the fraud policy's"
         " terminal_outlier; the window is the last hour, so at most 3600); 0: never",
         whole_number(&Config::fraud_scan_s, 0, 3600)},
        {"--webhooks", "PATRON_WEBHOOKS", "yes",
         "whether this instance sends webhooks (several may: one at a time does, the others stand by)",
         yes_or_no(&Config::webhooks)},
        {"--webhook-retry-first", "PATRON_WEBHOOK_RETRY_FIRST_MS", "30000",
         "milliseconds before a failed webhook delivery is tried again the first time (doubling after each failure)",
         whole_number(&Config::webhook_retry_first_ms, 10, 3'600'000)},
        {"--webhook-retry-longest", "PATRON_WEBHOOK_RETRY_LONGEST_MS", "3600000",
         "the longest wait in milliseconds between tries of a webhook delivery",
         whole_number(&Config::webhook_retry_longest_ms, 10, 86'400'000)},
        {"--webhook-retry-for", "PATRON_WEBHOOK_RETRY_FOR_S", "86400",
         "seconds a failing webhook delivery is retried for, from its first try, before it goes to the dead-letter "
         "list",
         whole_number(&Config::webhook_retry_for_s, 1, 2'592'000)},
        {"--webhook-timeout", "PATRON_WEBHOOK_TIMEOUT_MS", "10000",
         "milliseconds a webhook receiver has to answer a delivery",
         whole_number(&Config::webhook_timeout_ms, 100, 60'000)},
        {"--webhook-concurrency", "PATRON_WEBHOOK_CONCURRENCY", "4",
         "webhook deliveries in flight to one subscription at most", whole_number(&Config::webhook_concurrency, 1, 64)},
        {"--webhook-private-receivers", "PATRON_WEBHOOK_PRIVATE_RECEIVERS", "no",
         "yes: webhooks may be posted to loopback and private addresses (development, tests); no: public ones only",
         yes_or_no(&Config::webhook_private_receivers)},
    };
    return kSettings;
}

// A configuration file is a few kilobytes; anything far bigger is not one.
constexpr std::uintmax_t kConfigFileBytesMax = 256 * 1024;

std::string trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

const Setting* setting_of_variable(const std::string& variable) {
    const auto it = std::find_if(settings().begin(), settings().end(),
                                 [&](const Setting& setting) { return variable == setting.variable; });
    return it == settings().end() ? nullptr : &*it;
}

// Applies the file's NAME=value lines (blank lines and lines starting with # skipped; a value may be
// in matching quotes, as in a systemd EnvironmentFile). A missing file is no error unless required.
std::expected<void, std::string> apply_file(Config& config, const std::string& path, bool required) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
        if (!required) return {};
        return std::unexpected(path + ": no such configuration file");
    }
    if (std::filesystem::file_size(path, error) > kConfigFileBytesMax || error) {
        return std::unexpected(path + ": not a configuration file (too big, or unreadable)");
    }
    std::ifstream file(path);
    if (!file) return std::unexpected(path + ": cannot be read");
    int number = 0;
    for (std::string raw; std::getline(file, raw);) {
        ++number;
        const std::string where = path + ":" + std::to_string(number) + ": ";
        if (!raw.empty() && raw.back() == '\r') raw.pop_back();
        const std::string line = trimmed(raw);
        if (line.empty() || line.front() == '#') continue;
        const auto equals = line.find('=');
        if (equals == std::string::npos) return std::unexpected(where + "expected NAME=value");
        const std::string name = trimmed(std::string_view(line).substr(0, equals));
        std::string value = trimmed(std::string_view(line).substr(equals + 1));
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
            value = value.substr(1, value.size() - 2);
        }
        const Setting* setting = setting_of_variable(name);
        if (setting == nullptr) return std::unexpected(where + name + ": unknown setting (see patrond --help)");
        if (value.empty()) continue;  // As an empty variable: the default.
        if (auto applied = setting->apply(config, value); !applied) {
            return std::unexpected(where + name + ": " + applied.error());
        }
    }
    return {};
}

}  // namespace

std::string default_config_file(const std::string& program_path) {
    return std::filesystem::path(program_path).parent_path() == "/usr/bin" ? kInstalledConfigFile : "";
}

std::string own_default_config_file() {
    std::error_code error;
    const auto program = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::string() : default_config_file(program.string());
}

std::expected<Config, std::string> parse_config(const std::vector<std::string>& args, const Environment& environment,
                                                const std::string& default_file) {
    Config config;
    // The file first: the environment and then the flags win over it.
    std::string file = default_file;
    bool file_required = false;
    if (const char* named = environment("PATRON_CONFIG"); named != nullptr && *named != '\0') {
        file = named;
        file_required = true;
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i].starts_with("--config=")) {
            file = args[i].substr(9);
            file_required = true;
        } else if (args[i] == "--config") {
            if (i + 1 >= args.size()) return std::unexpected("--config: needs a value");
            file = args[i + 1];
            file_required = true;
        }
    }
    if (!file.empty()) {
        if (auto applied = apply_file(config, file, file_required); !applied) return std::unexpected(applied.error());
    }
    for (const Setting& setting : settings()) {
        const char* value = environment(setting.variable);
        if (value == nullptr || *value == '\0') continue;
        if (auto applied = setting.apply(config, value); !applied) {
            return std::unexpected(std::string(setting.variable) + ": " + applied.error());
        }
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            config.help = true;
            continue;
        }
        if (args[i] == "--config-template") {
            config.config_template = true;
            continue;
        }
        std::string flag = args[i];
        std::string value;
        if (const auto eq = flag.find('='); eq != std::string::npos) {
            value = flag.substr(eq + 1);
            flag = flag.substr(0, eq);
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            return std::unexpected(flag + ": needs a value");
        }
        if (flag == "--config") continue;  // Read above.
        const auto it = std::find_if(settings().begin(), settings().end(),
                                     [&](const Setting& setting) { return flag == setting.flag; });
        if (it == settings().end()) return std::unexpected(flag + ": unknown option (see --help)");
        if (auto applied = it->apply(config, value); !applied) return std::unexpected(flag + ": " + applied.error());
    }
    if (!config.help && !config.config_template && config.db_url.empty()) {
        return std::unexpected("PATRON_DB_URL: is required (or --db-url)");
    }
    return config;
}

std::string config_help() {
    std::ostringstream out;
    out << "Settings (flags win over environment variables, which win over the configuration file):\n"
        << "  --config FILE, PATRON_CONFIG\n      a file of NAME=value lines with the variables below (default "
        << kInstalledConfigFile << " for the installed programs, none otherwise)\n";
    for (const Setting& setting : settings()) {
        out << "  " << setting.flag << " VALUE, " << setting.variable << "\n      " << setting.help;
        if (*setting.fallback != '\0') out << " (default " << setting.fallback << ")";
        out << "\n";
    }
    return out.str();
}

std::string config_template() {
    // What an installed server sets apart from the defaults; the database URL stays an example.
    const std::map<std::string, std::string> installed = {
        {"PATRON_KEYS_FILE", "/var/lib/patron/keys.txt"},
        {"PATRON_WEB_DIR", "/usr/share/patron/web"},
    };
    std::ostringstream out;
    out << "# Patron's configuration, read by patrond and patronctl (" << kInstalledConfigFile << ").\n"
        << "# One setting a line, NAME=value. Environment variables and command-line flags win over this file.\n"
        << "# Every setting is listed with what it does; a line starting with # is left at its default.\n"
        << "# This file holds the database password: keep it readable by root and the patron group only.\n";
    for (const Setting& setting : settings()) {
        out << "\n# " << setting.help;
        if (*setting.fallback != '\0') out << " (default " << setting.fallback << ")";
        out << "\n";
        const std::string variable = setting.variable;
        if (const auto it = installed.find(variable); it != installed.end()) {
            out << variable << "=" << it->second << "\n";
        } else if (variable == "PATRON_DB_URL") {
            out << "#PATRON_DB_URL=mysql://patron:PASSWORD@localhost/patron?socket=/run/mysqld/mysqld.sock\n";
        } else {
            out << "#" << variable << "=" << setting.fallback << "\n";
        }
    }
    return out.str();
}

}  // namespace patron::apps
