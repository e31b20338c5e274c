// Counts the Rewards report's reach (core/rewards_report.h) from rows as they stream by: the
// distinct members a source reached per store and in the whole programme, and the purchases it
// touched. A count of distinct members adds up neither across days nor across stores, and asking
// the database for it (COUNT(DISTINCT ...) WITH ROLLUP) sorted a month's rows twice; here each
// member id is kept once per store and once for the programme in a plain vector, sorted and made
// unique at the end (8 bytes an id, no per-entry node).
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "loyalty/core/rewards_report.h"

namespace patron::core {

class RewardReachCount {
  public:
    // What one source reached at one store (0: none).
    class Tally {
      public:
        void add_member(std::int64_t member) {
            members_.push_back(member);
            programme_members_->push_back(member);
        }
        // A purchase, counted once however many rows name it.
        void add_purchase(std::int64_t purchase) { purchases_.push_back(purchase); }
        // Purchases counted already, each by one row only (a purchase is at one store).
        void add_purchases(std::int64_t count) { counted_purchases_ += count; }

      private:
        friend class RewardReachCount;
        explicit Tally(std::vector<std::int64_t>& programme_members) : programme_members_(&programme_members) {}

        std::vector<std::int64_t> members_;
        std::vector<std::int64_t> purchases_;
        std::int64_t counted_purchases_ = 0;
        std::vector<std::int64_t>* programme_members_;
    };

    // The tally of a source at a store; it stays valid as others are added.
    Tally& at(const RewardSource& source, std::int64_t store);

    // Sets the reach of every source counted, per store and for the programme.
    void write_to(RewardsReportInputs& inputs);

  private:
    std::map<std::pair<RewardSource, std::int64_t>, Tally> by_store_;
    std::map<RewardSource, std::vector<std::int64_t>> members_;
};

}  // namespace patron::core
