#include "loyalty/service/services.h"

namespace patron::service {

Services::Services(const Shared& shared)
    : access(shared.database, shared.keys, shared.clock),
      staff(shared.database, shared.keys, shared.clock, shared.random),
      terminals(shared.database, shared.keys, shared.clock, shared.random),
      audit_log(shared.database, shared.keys),
      write_once(shared.database, shared.keys, shared.clock, shared.random),
      members(shared.database, shared.keys, shared.clock, shared.random),
      privacy(shared.database, shared.keys, shared.clock),
      merges(shared.database, shared.keys, shared.clock),
      adjustments(shared.database, shared.keys, shared.clock),
      cards(shared.database, shared.keys, shared.clock, shared.random),
      member_sign_in(shared.database, shared.keys, shared.clock, shared.random, shared.notifier),
      feedback_links(shared.keys, shared.public_url),
      purchases(shared.database, shared.keys, shared.clock, shared.random, feedback_links),
      returns(shared.database, shared.keys, shared.clock),
      receipt_gaps(shared.database, shared.clock),
      batches(purchases, returns, receipt_gaps, settings, shared.clock),
      batch_answers(shared.database, shared.clock),
      pos_housekeeping(shared.database, shared.clock),
      programs(shared.database, shared.keys, shared.clock, shared.random),
      settings(shared.database, shared.keys, shared.clock),
      rules(shared.database, shared.keys, shared.clock),
      tiers(shared.database, shared.keys, shared.clock),
      coupons(shared.database, shared.keys, shared.clock, shared.random),
      maintenance(shared.database, shared.clock),
      reports(shared.database, shared.clock),
      members_report(shared.database, shared.clock),
      ledger_days(shared.database, shared.clock),
      reward_days(shared.database, shared.clock, store::DaySums::kRewardDays),
      feedback(shared.database, shared.keys, shared.clock, shared.random, feedback_links),
      feedback_reports(shared.database, shared.clock),
      insight(shared.database, shared.keys, shared.clock),
      segments(shared.database, shared.keys, shared.clock),
      backtests(shared.database, shared.keys, shared.clock, shared.random),
      rewards_reports(shared.database, shared.clock),
      effectiveness_reports(shared.database, shared.clock),
      readiness(shared.database, shared.migrations),
      clock(shared.clock) {}

}  // namespace patron::service
