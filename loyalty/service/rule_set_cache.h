// Published rule-set versions never change, so each is read and parsed once per process, not
// once per purchase. The program's points policy can change; it is read every time and a
// cached set is rebuilt when its policy differs.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "loyalty/core/error.h"
#include "loyalty/core/rule_set.h"

namespace soci {
class session;
}

namespace patron::service {

class RuleSetCache {
  public:
    // The rule set in force at `at` for the program, with the program's current points policy.
    core::Result<std::shared_ptr<const core::RuleSet>> in_force(soci::session& sql, long long program_id,
                                                                core::Timestamp at);

  private:
    std::mutex mutex_;
    std::map<std::pair<long long, int>, std::shared_ptr<const core::RuleSet>> parsed_;
};

}  // namespace patron::service
