#include "tests/support/personal_data_log.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

namespace patron::testing {
namespace {

constexpr const char* kPersonalFields[] = {"full_name", "phone", "email", "birth_date", "city", "postal_code"};

std::mutex& file_mutex() {
    static std::mutex mutex;
    return mutex;
}

}  // namespace

std::string test_log_dir() {
    const char* dir = std::getenv("PATRON_TEST_LOG_DIR");
    return dir == nullptr ? "" : dir;
}

void record_personal_value(const std::string& value) {
    const std::string dir = test_log_dir();
    if (dir.empty() || value.size() < 4) return;
    std::lock_guard lock(file_mutex());
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/people.txt", std::ios::app) << nlohmann::json(value).dump() << "\n";
}

void record_personal_data(const std::string& method, const std::string& path, const std::string& body) {
    const bool member_document = path.starts_with("/v1/members") || path == "/v1/me";
    if (test_log_dir().empty() || (method != "POST" && method != "PATCH") || !member_document) return;
    const nlohmann::json document = nlohmann::json::parse(body, nullptr, false);
    if (!document.is_object()) return;
    for (const char* field : kPersonalFields) {
        if (const auto it = document.find(field); it != document.end() && it->is_string()) {
            record_personal_value(it->get<std::string>());
        }
    }
}

void keep_log(const std::string& log_path) {
    const std::string dir = test_log_dir();
    if (dir.empty() || !std::filesystem::exists(log_path)) return;
    static std::atomic<int> kept{0};
    std::filesystem::create_directories(dir);
    const std::string name = "patrond-" + std::to_string(getpid()) + "-" + std::to_string(++kept) + ".log";
    std::error_code ignored;
    std::filesystem::copy_file(log_path, dir + "/" + name, std::filesystem::copy_options::overwrite_existing, ignored);
}

std::vector<std::string> encodings_of(const std::string& value) {
    std::vector<std::string> forms = {value};
    std::string lower = value;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    forms.push_back(lower);
    const std::string escaped = nlohmann::json(value).dump(-1, ' ', true);
    forms.push_back(escaped.substr(1, escaped.size() - 2));
    std::string digits;
    for (char c : value) {
        if (c >= '0' && c <= '9') digits += c;
    }
    const bool phone_like = digits.size() >= 9 && value.find('@') == std::string::npos &&
                            value.find_first_not_of("+0123456789 -()") == std::string::npos;
    if (phone_like) {
        forms.push_back(digits);
        // The national number without its leading 0 is what E.164 forms share: 0912... -> 912...
        forms.push_back(digits.substr(digits.find_first_not_of('0')).substr(digits.starts_with("98") ? 2 : 0));
    }
    std::sort(forms.begin(), forms.end());
    forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
    return forms;
}

}  // namespace patron::testing
