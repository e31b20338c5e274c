#include "loyalty/service/runtime/time_zones.h"

#include <date/tz.h>

#include <map>
#include <mutex>

#include "loyalty/store/program/program_store.h"

namespace patron::service {
namespace {

// A zone of the database. date's zones load their rules on first use; the constructor asks once,
// so that happens here and not inside the core's arithmetic.
class DatabaseTimeZone final : public core::TimeZone {
  public:
    // `name` as the programme spells it (a link such as Asia/Calcutta keeps its name).
    DatabaseTimeZone(const date::time_zone& zone, std::string name) : zone_(zone), name_(std::move(name)) {
        zone_.get_info(date::sys_seconds{});
    }
    const std::string& name() const override { return name_; }
    std::chrono::seconds utc_offset(core::Timestamp at) const override {
        return zone_.get_info(std::chrono::floor<std::chrono::seconds>(at)).offset;
    }
    core::Timestamp day_start(core::LocalDate date) const override {
        // choose::earliest: an ambiguous midnight is its first occurrence, a skipped one the end of the gap.
        const auto day = std::chrono::sys_days{date}.time_since_epoch().count();
        return core::Timestamp{zone_.to_sys(date::local_days{date::days{day}}, date::choose::earliest)};
    }

  private:
    const date::time_zone& zone_;
    std::string name_;
};

const date::time_zone* find_in_database(const std::string& name) {
    try {
        return date::locate_zone(name);
    } catch (const std::exception&) {
        return nullptr;  // Not in the database, or no database on this machine.
    }
}

}  // namespace

bool is_known_time_zone(const std::string& name) { return name == "UTC" || find_in_database(name) != nullptr; }

std::shared_ptr<const core::TimeZone> locate_time_zone(const std::string& name) {
    // The zone database is the process's own (date keeps one for everyone), so the zones made of it are too.
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const core::TimeZone>> zones;
    if (name == "UTC") return core::utc_time_zone();
    std::lock_guard lock(mutex);
    if (const auto found = zones.find(name); found != zones.end()) return found->second;
    const date::time_zone* zone = find_in_database(name);
    auto located = zone ? std::make_shared<const DatabaseTimeZone>(*zone, name) : core::utc_time_zone();
    zones.emplace(name, located);
    return located;
}

std::shared_ptr<const core::TimeZone> program_time_zone(soci::session& sql, long long program_id) {
    const auto profile = store::find_program_profile(sql, program_id, false);
    return locate_time_zone(profile ? profile->time_zone : "UTC");
}

}  // namespace patron::service
