// Published rule-set versions never change, so each is read and parsed once per process, not
// once per purchase. The program's points policy, tier policy and time zone can change: a till's
// card read and a balance's member read bring the programme's settings version
// (programs.settings_version, raised by every change and by every rule set published), and the
// settings and the rule sets' starts are read again only when it moved; other callers read them
// every time. The tier policy is kept by its version, and a cached set is rebuilt when any differ.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "loyalty/core/error.h"
#include "loyalty/core/fraud.h"
#include "loyalty/core/rule_set.h"
#include "loyalty/store/program/program_store.h"

namespace soci {
class session;
}

namespace patron::service {

class RuleSetCache {
  public:
    // The rule set in force at `at` for the program, with the program's current points policy and
    // time zone; `read`: the policies as this transaction has them already for `at` (a till's,
    // from policies() and core::rule_set_in_force at its card read), else they are read here
    // (store::find_program_policies_in_force).
    core::Result<std::shared_ptr<const core::RuleSet>> in_force(soci::session& sql, long long program_id,
                                                                core::Timestamp at,
                                                                const store::ProgramPolicies* read = nullptr);

    // The programme's policies as of settings version `settings_version` (programs.settings_version,
    // which a till's operation reads with its member's account), kept in memory per version and read
    // again only when the version moved, with every published rule set's start (publishing raises
    // the version). The rule set version is left for the caller to fill (core::rule_set_in_force).
    store::ProgramPolicies policies(soci::session& sql, long long program_id, long long settings_version);
    // The newest policies kept for the programme, if any, unchecked: a guess of what is in force for
    // a read that learns the settings version only with its answer, and checks the guess by it.
    std::optional<store::ProgramPolicies> kept_policies(long long program_id);

    // The program's tier policy of that version (parsed once per version); null when version is 0.
    core::Result<std::shared_ptr<const core::TierPolicy>> tier_policy(soci::session& sql, long long program_id,
                                                                      int version);

    // The program's fraud policy of that version (parsed once per version); null when version is 0.
    core::Result<std::shared_ptr<const core::FraudPolicy>> fraud_policy(soci::session& sql, long long program_id,
                                                                        int version);

  private:
    std::mutex mutex_;
    std::map<long long, std::shared_ptr<const core::TierPolicy>> tiers_;
    std::map<long long, std::shared_ptr<const core::FraudPolicy>> fraud_;
    std::map<long long, store::ProgramPolicies> policies_;  // By programme, the newest version read.
    std::map<std::pair<long long, int>, std::shared_ptr<const core::RuleSet>> parsed_;
};

}  // namespace patron::service
