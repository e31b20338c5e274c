// patrond's configuration: one immutable struct built once in main() from command-line flags
// (which win), PATRON_* environment variables and a configuration file of NAME=value lines (the
// same names; --config FILE or PATRON_CONFIG, else the default file). Every setting has a default,
// a flag, a variable and a line of help; a bad value is refused with a one-line message naming it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <string>
#include <vector>

namespace patron::apps {

struct Config {
    std::string db_url;
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8080;
    std::size_t http_threads = 2;
    std::size_t db_pool = 16;
    std::size_t workers = 16;
    std::size_t queue_max = 1024;
    std::size_t report_workers = 2;
    std::size_t report_queue_max = 8;
    std::string keys_file = "var/keys.txt";
    std::string port_file;  // When set, the bound port is written there once serving.
    std::string notify;     // How one-time codes reach members: file:PATH or webhook:URL (empty: nowhere).
    std::string metrics_token;  // When set, /metrics answers only this bearer token; else loopback clients.
    std::string log_file;   // Where the log is appended (mode 0600); empty: standard error.
    std::string web_dir;    // The built web pages; empty: patrond serves none.
    std::string public_url;  // Where customers reach patrond (feedback links on receipts); empty: paths only.
    int db_connect_timeout_s = 2;
    int db_read_timeout_s = 30;
    bool db_causal_reads = true;  // On Galera: each request reads what the cluster committed before it.
    int startup_wait_s = 30;
    int insight_refresh_s = 86400;  // How often member scores are refreshed; 0: never by patrond.
    int insight_window_days = 365;  // The days of purchases member scores look at.
    int fraud_scan_s = 60;          // How often tills are measured against their usual hour; 0: never.
    // Webhooks (docs/events.md): whether this instance may dispatch (one does at a time), the
    // retry schedule, each attempt's time-out, sends in flight per subscription, and whether
    // receivers on private addresses (loopback, 10/8, ...) may be posted to.
    bool webhooks = true;
    long long webhook_retry_first_ms = 30'000;
    long long webhook_retry_longest_ms = 3'600'000;
    long long webhook_retry_for_s = 86'400;
    long long webhook_timeout_ms = 10'000;
    int webhook_concurrency = 4;
    bool webhook_private_receivers = false;
    bool help = false;
    bool config_template = false;  // --config-template: print the installed configuration file.
};

using Environment = std::function<const char*(const char*)>;

// Where an installed patrond or patronctl (the program in /usr/bin) reads its configuration when
// neither --config nor PATRON_CONFIG names a file: /etc/patron/patron.conf. A build elsewhere (a
// checkout) reads none unless told.
inline constexpr const char* kInstalledConfigFile = "/etc/patron/patron.conf";
std::string default_config_file(const std::string& program_path);
// default_config_file() for this process (/proc/self/exe).
std::string own_default_config_file();

// The configuration, or "SETTING: what is wrong" for the first bad value ("FILE:LINE: ..." for one
// in the configuration file). `default_file`, when not empty, is read if it exists; a file named
// by --config or PATRON_CONFIG must exist.
[[nodiscard]] std::expected<Config, std::string> parse_config(const std::vector<std::string>& args,
                                                              const Environment& environment,
                                                              const std::string& default_file = {});

// --help text: every setting with its flag, variable and default.
std::string config_help();

// The configuration file the Debian package installs: every setting with its help, commented out
// at its default, but for the ones an installed server sets (keys and web pages in their places).
std::string config_template();

}  // namespace patron::apps
