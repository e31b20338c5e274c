#include "loyalty/core/reward_days.h"

namespace patron::core {

void add_reward_movements(RewardDays& days, std::span<const RewardMovement> movements, const TimeZone& zone) {
    for (const RewardMovement& movement : movements) {
        RewardDayTotals& totals = days[{local_date(zone, movement.at), movement.rule_key, movement.kind,
                                        movement.store_id, movement.member_id}];
        totals.amount += movement.amount;
        totals.purchases += movement.first_of_purchase ? 1 : 0;
    }
}

}  // namespace patron::core
