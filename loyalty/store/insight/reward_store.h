// What the Rewards report reads (core/rewards_report.h says what it shows): over a window of
// instants [start, end), what each earn rule, coupon campaign, stamp card and cashback rule gave
// and took back per store, the distinct purchases and members it touched, the coupon codes
// issued and the stamp cards' take-up; and the names of rules and campaigns. Each adds into the
// report's inputs. The ledgers are read from what the roll-up summed per day, store and member
// (store/insight/reward_day_store.h) and the transfers after its mark; stamp events and coupon
// redemptions are found by their instant (the indexes of migration 0033).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "loyalty/core/rewards_report.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct RewardWindow {
    long long program_id = 0;
    core::Timestamp start{};  // The first instant of the query's first day.
    core::Timestamp end{};    // The first instant after its last day.
    // The same window as local dates of `time_zone` (the programme's), for the rolled-up sums.
    core::LocalDate first_day{};
    core::LocalDate last_day{};
    std::string time_zone;
};

// How a ledger book is read: from the rolled-up sums and the ledger after their mark (what the
// report does), or from the ledger alone (the recount tests and the benchmark compare with).
enum class LedgerReading { kRolledUp, kLedgerOnly };

// Points earned and reversed per rule id and store, with the reach of earn rules' earnings.
void read_points_rewards(soci::session& sql, const RewardWindow& window, core::RewardsReportInputs& inputs,
                         LedgerReading reading = LedgerReading::kRolledUp);
// Cashback earned and taken back per cashback rule and store, with its reach.
void read_cashback_rewards(soci::session& sql, const RewardWindow& window, core::RewardsReportInputs& inputs,
                           LedgerReading reading = LedgerReading::kRolledUp);
// Coupon redemptions and give-backs per campaign and store, their reach, and the codes issued.
void read_coupon_rewards(soci::session& sql, const RewardWindow& window, core::RewardsReportInputs& inputs);
// Stamps given and taken back, cards completed and revoked per card and store, their reach, and
// each card's take-up through the window's end.
void read_stamp_rewards(soci::session& sql, const RewardWindow& window, core::RewardsReportInputs& inputs);

// Every published rule document of the programme, oldest version first: (version, document).
std::vector<std::pair<int, std::string>> rule_set_documents(soci::session& sql, long long program_id);

struct CampaignName {
    long long id = 0;
    std::string name;
    std::string status;  // "draft", "published", "ended".
};
std::vector<CampaignName> coupon_campaign_names(soci::session& sql, long long program_id);

}  // namespace patron::store
