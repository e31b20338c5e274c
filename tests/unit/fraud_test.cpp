// The fraud policy document and the decisions of core/fraud.h: every problem by its path, the
// stored form read back, and when a card's use or an early spend makes a signal (its key, its
// evidence without the card's number).
#include "loyalty/core/fraud.h"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

namespace patron::core {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::vector<std::string> problem_fields(const json& document) {
    const auto decoded = decode_fraud_policy(document);
    std::vector<std::string> fields;
    if (decoded) return fields;
    if (decoded.error().problems.empty()) return {decoded.error().field};
    for (const auto& problem : decoded.error().problems) fields.push_back(problem.field);
    return fields;
}

// An instant of 3 or 4 December 2026, UTC.
Timestamp december(int day, std::chrono::seconds time_of_day) {
    return std::chrono::sys_days{std::chrono::year{2026} / 12 / day} + time_of_day;
}

TEST(FraudPolicy, TheEmptyDocumentWatchesNothingAndEachPatternIsReadWithItsThresholds) {
    const auto none = decode_fraud_policy(json::object());
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->watches_nothing());
    const json document = json::parse(R"({"card_velocity": {"action": "block", "purchases_per_hour": 6,
        "other_store_minutes": 20}, "redemption_after_enrolment": {"action": "hold", "within_hours": 48}})");
    const auto policy = decode_fraud_policy(document);
    ASSERT_TRUE(policy);
    EXPECT_EQ(policy->card_velocity, (CardVelocityWatch{FraudAction::kBlock, 6, 20}));
    EXPECT_EQ(policy->redemption_after_enrolment, (EnrolmentRedemptionWatch{FraudAction::kHold, 48}));
    EXPECT_EQ(encode_fraud_policy(*policy), document);
    const auto stored = parse_stored_fraud_policy(encode_fraud_policy(*policy).dump(), 7);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->version, 7);
    EXPECT_EQ(stored->card_velocity, policy->card_velocity);
    const auto never_set = parse_stored_fraud_policy("", 0);
    ASSERT_TRUE(never_set);
    EXPECT_TRUE(never_set->watches_nothing());
}

TEST(FraudPolicy, EveryProblemIsNamedByItsPath) {
    EXPECT_EQ(problem_fields(json::array()), std::vector<std::string>{"$"});
    EXPECT_EQ(problem_fields(json::parse(R"({"card_velocity": {"action": "flag"}})")),
              std::vector<std::string>{"card_velocity"})
        << "a velocity watch counts purchases, compares stores or both";
    EXPECT_EQ(problem_fields(json::parse(R"({"card_velocity": {"action": "Hold", "purchases_per_hour": 1001,
        "other_store_minutes": -1, "per_day": 3}})")),
              (std::vector<std::string>{"card_velocity.per_day", "card_velocity.action",
                                        "card_velocity.purchases_per_hour", "card_velocity.other_store_minutes"}));
    EXPECT_EQ(
        problem_fields(json::parse(R"({"redemption_after_enrolment": {"within_hours": 1.5}})")),
        (std::vector<std::string>{"redemption_after_enrolment.action", "redemption_after_enrolment.within_hours"}));
    EXPECT_EQ(problem_fields(json::parse(R"({"redemption_after_enrolment": "yes"})")),
              std::vector<std::string>{"redemption_after_enrolment"});
    EXPECT_EQ(problem_fields(json::parse(R"({"cycling": {}})")), std::vector<std::string>{"cycling"});
}

TEST(FraudSignals, ACardIsFlaggedFromItsNthPurchaseInAnHourOrAtAnotherStoreTooSoon) {
    const CardVelocityWatch watch{FraudAction::kHold, 3, 30};
    CardUse use{12, 901, "7001000000000019", "S001", december(3, 14h + 5min), december(3, 14h + 5min + 2s), 2, {}};
    EXPECT_FALSE(card_velocity_signal(watch, use));
    use.purchases_last_hour = 3;
    const auto busy = card_velocity_signal(watch, use);
    ASSERT_TRUE(busy);
    EXPECT_EQ(busy->kind, FraudKind::kCardVelocity);
    EXPECT_EQ(busy->action, FraudAction::kHold);
    EXPECT_EQ(busy->subject_key, "card:7001000000000019:2026-12-03T14") << "once per card and hour";
    EXPECT_EQ(busy->evidence["purchases_last_hour"], 3);
    EXPECT_EQ(busy->evidence["card_last4"], "0019");
    EXPECT_EQ(busy->evidence.dump().find("7001000000000019"), std::string::npos);
    EXPECT_FALSE(busy->evidence.contains("other_store"));

    use.purchases_last_hour = 1;
    use.elsewhere = CardUse::Elsewhere{877, "S009", december(3, 13h + 52min)};
    const auto travelled = card_velocity_signal(watch, use);
    ASSERT_TRUE(travelled);
    EXPECT_EQ(travelled->evidence["other_store"]["store"], "S009");
    EXPECT_EQ(travelled->evidence["other_store"]["minutes_apart"], 13);
    EXPECT_FALSE(travelled->evidence.contains("purchases_last_hour"));
    EXPECT_FALSE(card_velocity_signal(CardVelocityWatch{FraudAction::kHold, 3, 0}, use))
        << "stores are compared only when the watch says so";
}

TEST(FraudSignals, SpendingWithinTheHoursAfterJoiningIsFlaggedOncePerMember) {
    const EnrolmentRedemptionWatch watch{FraudAction::kFlag, 24};
    EarlySpend spend{12, 901, december(3, 9h), december(4, 8h + 59min), 0, 0};
    EXPECT_FALSE(enrolment_redemption_signal(watch, spend)) << "nothing spent";
    spend.cashback_spent = 5000;
    const auto early = enrolment_redemption_signal(watch, spend);
    ASSERT_TRUE(early);
    EXPECT_EQ(early->subject_key, "member:12");
    EXPECT_EQ(early->evidence["minutes_after_enrolment"], 23 * 60 + 59);
    EXPECT_EQ(early->evidence["cashback_spent"], 5000);
    spend.at = december(4, 9h);
    EXPECT_FALSE(enrolment_redemption_signal(watch, spend)) << "24 hours on is no longer early";
}

TEST(FraudPolicy, ReturnsAdjustmentsAndTheirThresholdsAreReadAndWrittenBack) {
    const json document = json::parse(R"({"return_cycling": {"action": "hold", "returns": 3, "days": 30},
        "spent_points_returned": {"action": "flag", "points_min": 500},
        "staff_adjustment": {"action": "block", "points_over": 10000}})");
    const auto policy = decode_fraud_policy(document);
    ASSERT_TRUE(policy);
    EXPECT_EQ(policy->return_cycling, (ReturnCyclingWatch{FraudAction::kHold, 3, 30}));
    EXPECT_EQ(policy->spent_points_returned, (SpentReturnWatch{FraudAction::kFlag, 500}));
    EXPECT_EQ(policy->staff_adjustment, (StaffAdjustmentWatch{FraudAction::kBlock, 10000, 0}));
    EXPECT_EQ(encode_fraud_policy(*policy), document);
    EXPECT_EQ(problem_fields(json::parse(R"({"return_cycling": {"action": "flag", "returns": 0, "days": 367},
        "spent_points_returned": {"action": "flag"}, "staff_adjustment": {"action": "hold"}})")),
              (std::vector<std::string>{"return_cycling.returns", "return_cycling.days",
                                        "spent_points_returned.points_min", "staff_adjustment"}));
}

TEST(FraudSignals, AMembersReturnsAreFlaggedFromTheNthTakingPointsBackAndWhenTheyWereSpentAlready) {
    MemberReturn taken{12, 950, 901, false, december(3, 14h), 40, 0, 1};
    EXPECT_FALSE(return_cycling_signal(ReturnCyclingWatch{FraudAction::kHold, 2, 30}, taken));
    taken.returns_in_window = 2;
    const auto cycling = return_cycling_signal(ReturnCyclingWatch{FraudAction::kHold, 2, 30}, taken);
    ASSERT_TRUE(cycling);
    EXPECT_EQ(cycling->subject_key, "member:12:2026-12-03") << "once per member and day";
    EXPECT_EQ(cycling->evidence["purchase_id"], 901);
    EXPECT_FALSE(spent_points_signal(SpentReturnWatch{FraudAction::kFlag, 1}, taken)) << "nothing was spent";
    taken.points_already_spent = 40;
    const auto spent = spent_points_signal(SpentReturnWatch{FraudAction::kFlag, 40}, taken);
    ASSERT_TRUE(spent);
    EXPECT_EQ(spent->subject_key, "return:950");
    EXPECT_FALSE(spent_points_signal(SpentReturnWatch{FraudAction::kFlag, 41}, taken));
    taken.points_taken_back = 0;
    EXPECT_FALSE(return_cycling_signal(ReturnCyclingWatch{FraudAction::kHold, 2, 30}, taken))
        << "a return that took no points back is no earn-then-return";
}

TEST(FraudSignals, AStaffGrantAboveTheLimitAndAUsersNthAdjustmentOfTheDayAreEachFlagged) {
    const StaffAdjustmentWatch watch{FraudAction::kHold, 1000, 3};
    StaffAdjustment adjustment{12, "Nima (support)", 7, 1000, 1, december(3, 9h + 30min)};
    EXPECT_TRUE(staff_adjustment_signals(watch, adjustment).empty()) << "1,000 is not over 1,000";
    adjustment.points = 1001;
    auto drafts = staff_adjustment_signals(watch, adjustment);
    ASSERT_EQ(drafts.size(), 1U);
    EXPECT_EQ(drafts[0].subject_key, "adjustment:12:2026-12-03T09:30:00.000000Z");
    EXPECT_EQ(drafts[0].evidence["staff_user_id"], 7);
    adjustment.by_staff_today = 3;
    adjustment.points = -5000;  // Taking points away is no grant, but it is her third today.
    drafts = staff_adjustment_signals(watch, adjustment);
    ASSERT_EQ(drafts.size(), 1U);
    EXPECT_EQ(drafts[0].subject_key, "staff:7:2026-12-03");
    adjustment.staff_user_id.reset();
    EXPECT_EQ(staff_adjustment_signals(watch, adjustment)[0].subject_key, "staff:Nima (support):2026-12-03")
        << "a token's adjustments by its name";
}

TEST(FraudPolicy, ClaimHarvestingIsReadWithAnyOfItsCountsAndWrittenBack) {
    const json document = json::parse(R"({"claim_harvesting": {"action": "hold", "claims_per_member_per_day": 5,
        "claims_per_terminal_per_day": 20}})");
    const auto policy = decode_fraud_policy(document);
    ASSERT_TRUE(policy);
    EXPECT_EQ(policy->claim_harvesting, (ClaimHarvestingWatch{FraudAction::kHold, 5, 0, 0, 20}));
    EXPECT_FALSE(policy->watches_nothing());
    EXPECT_EQ(encode_fraud_policy(*policy), document) << "counts not watched are left out";
    EXPECT_EQ(problem_fields(json::parse(R"({"claim_harvesting": {"action": "flag"}})")),
              std::vector<std::string>{"claim_harvesting"})
        << "at least one count";
    EXPECT_EQ(problem_fields(json::parse(R"({"claim_harvesting": {"action": "flag", "failed_per_member_per_day": 0,
        "claims_per_address_per_day": 1000001, "claims_per_day": 3}})")),
              (std::vector<std::string>{"claim_harvesting.claims_per_day", "claim_harvesting.failed_per_member_per_day",
                                        "claim_harvesting.claims_per_address_per_day"}));
}

TEST(FraudSignals, ClaimsAreFlaggedPerMemberFailureAddressAndTillOncePerDay) {
    const ClaimHarvestingWatch watch{FraudAction::kHold, 3, 2, 10, 20};
    const std::string digest = "0123456789abcdef0123456789abcdef";
    ReceiptClaim claim{12, 900, 4, "S001", "T01", digest, december(3, 14h), 2, 0, 9, 19};
    EXPECT_TRUE(claim_harvesting_signals(watch, claim).empty()) << "every count below its threshold";

    claim.member_claims = 3;
    claim.address_claims = 10;
    claim.terminal_claims = 20;
    const auto drafts = claim_harvesting_signals(watch, claim);
    ASSERT_EQ(drafts.size(), 3U);
    EXPECT_EQ(drafts[0].kind, FraudKind::kClaimHarvesting);
    EXPECT_EQ(drafts[0].action, FraudAction::kHold);
    EXPECT_EQ(drafts[0].subject_key, "member:12:2026-12-03");
    EXPECT_EQ(drafts[0].evidence, (json{{"subject", "member"},
                                        {"claims", 3},
                                        {"threshold", 3},
                                        {"purchase_id", 900},
                                        {"store", "S001"},
                                        {"terminal", "T01"}}));
    EXPECT_EQ(drafts[1].subject_key, "till:4:T01:12:2026-12-03") << "about the member whose claim reached it";
    EXPECT_EQ(drafts[1].evidence["subject"], "terminal");
    EXPECT_EQ(drafts[1].evidence["claims"], 20);
    EXPECT_EQ(drafts[2].subject_key, "address:01234567:12:2026-12-03") << "the address by a short digest only";
    EXPECT_EQ(drafts[2].evidence["address_digest"], "01234567") << "the digest's first 8 digits, never an address";
    EXPECT_FALSE(drafts[0].evidence.contains("address_digest"));

    // A failed claim counts towards her failures and her address, never towards a till.
    const ReceiptClaim failed{12, std::nullopt, 0, "S001", "T01", std::nullopt, december(4, 1h), 9, 2, 0, 99};
    const auto refused = claim_harvesting_signals(watch, failed);
    ASSERT_EQ(refused.size(), 1U);
    EXPECT_EQ(refused[0].subject_key, "failed:12:2026-12-04");
    EXPECT_EQ(refused[0].evidence, (json{{"subject", "failed"}, {"claims", 2}, {"threshold", 2}}));
    // A staff claim has no address; a watch without a count never raises for it.
    EXPECT_TRUE(claim_harvesting_signals(ClaimHarvestingWatch{FraudAction::kFlag, 0, 0, 0, 5},
                                         ReceiptClaim{12, 900, 4, "S001", "T01", std::nullopt, december(3, 1h), 50})
                    .empty());
}

TEST(FraudPolicy, ATillsOutlierOnlyFlagsAndNeedsAMinimum) {
    const auto policy = decode_fraud_policy(
        json::parse(R"({"terminal_outlier": {"action": "flag", "times_usual": 5, "cashback_min": 2000000}})"));
    ASSERT_TRUE(policy);
    EXPECT_EQ(policy->terminal_outlier, (TerminalOutlierWatch{FraudAction::kFlag, 5, 0, 2000000, 28}))
        << "28 days of history unless told";
    EXPECT_EQ(encode_fraud_policy(*policy),
              json::parse(R"({"terminal_outlier": {"action": "flag", "times_usual": 5, "cashback_min": 2000000,
                  "history_days": 28}})"));
    EXPECT_EQ(problem_fields(json::parse(R"({"terminal_outlier": {"action": "hold", "times_usual": 1,
        "history_days": 91}})")),
              (std::vector<std::string>{"terminal_outlier.action", "terminal_outlier.times_usual",
                                        "terminal_outlier.history_days", "terminal_outlier"}));
    EXPECT_EQ(problem_fields(json::parse(R"({"terminal_outlier": {"action": "flag", "points_min": 10}})")),
              std::vector<std::string>{"terminal_outlier.times_usual"});
}

TEST(FraudSignals, ATillIsFlaggedAboveItsUsualHourAndItsMinimumOncePerHour) {
    const TerminalOutlierWatch watch{FraudAction::kFlag, 3, 1000, 500000, 28};
    TillHour hour{4, "S001", "T01", december(3, 14h + 5min), 12, 3000, 0, 10, 10000, 0};
    EXPECT_FALSE(terminal_outlier_signal(watch, TillHour{4, "S001", "T01", december(3, 14h), 9, 999, 499999, 0, 0, 0}))
        << "below both minimums, though it has no history";
    EXPECT_FALSE(terminal_outlier_signal(watch, hour)) << "3,000 is not more than 3 times its usual 1,000";
    hour.points = 3001;
    const auto draft = terminal_outlier_signal(watch, hour);
    ASSERT_TRUE(draft);
    EXPECT_EQ(draft->kind, FraudKind::kTerminalOutlier);
    EXPECT_EQ(draft->action, FraudAction::kFlag);
    EXPECT_EQ(draft->subject_key, "till:4:T01:2026-12-03T14");
    EXPECT_EQ(draft->evidence["from"], "2026-12-03T13:05:00.000000Z");
    EXPECT_EQ(draft->evidence["until"], "2026-12-03T14:05:00.000000Z");
    EXPECT_EQ(draft->evidence["usual_points_per_hour"], 1000);
    EXPECT_EQ(draft->evidence["over"], json::array({"points"}));
    EXPECT_EQ(draft->evidence["points_min"], 1000);
    EXPECT_EQ(draft->evidence["cashback_min"], 500000);

    // Without history its minimum alone decides; cashback is measured alike.
    const TillHour fresh{4, "S001", "T01", december(3, 15h), 1, 0, 500000, 0, 0, 0};
    const auto cashback = terminal_outlier_signal(watch, fresh);
    ASSERT_TRUE(cashback);
    EXPECT_EQ(cashback->evidence["over"], json::array({"cashback"}));
    EXPECT_EQ(cashback->evidence["usual_cashback_per_hour"], 0);
    // Huge amounts are compared exactly: their products would not fit in 64 bits.
    constexpr std::int64_t kHalf = std::numeric_limits<std::int64_t>::max() / 2;
    const TillHour huge{4, "S001", "T01", december(3, 16h), 1, kHalf, 0, 1000, kHalf, 0};
    EXPECT_TRUE(terminal_outlier_signal(TerminalOutlierWatch{FraudAction::kFlag, 2, 1, 0, 28}, huge))
        << "1,000 times its usual hour";
    EXPECT_FALSE(terminal_outlier_signal(TerminalOutlierWatch{FraudAction::kFlag, 1000, 1, 0, 28}, huge))
        << "exactly 1,000 times is not more";
}

TEST(FraudSignals, ATriggersSignalIsRaisedOncePerTriggerMemberAndWindow) {
    const SignalDraft draft = trigger_signal({31, "Many returns", 12, "2026-12-01", FraudAction::kBlock});
    EXPECT_EQ(draft.kind, FraudKind::kTrigger);
    EXPECT_EQ(draft.subject_key, "trigger:31:12:2026-12-01");
    EXPECT_EQ(draft.action, FraudAction::kBlock);
    EXPECT_EQ(draft.evidence["trigger"], "Many returns");
}

TEST(FraudReviews, ADecisionIsReleaseConfirmOrDismissWithAnOptionalShortNote) {
    const auto review = decode_fraud_review(json::parse(R"({"decision": "confirm", "note": "کارت جعلی"})"));
    ASSERT_TRUE(review);
    EXPECT_EQ(review->decision, FraudDecision::kConfirm);
    EXPECT_EQ(state_after(review->decision), FraudSignalState::kConfirmed);
    EXPECT_EQ(state_after(FraudDecision::kRelease), FraudSignalState::kReleased);
    EXPECT_EQ(state_after(FraudDecision::kDismiss), FraudSignalState::kDismissed);
    EXPECT_TRUE(decode_fraud_review(json{{"decision", "dismiss"}, {"note", std::string(500, 'x')}}));
    // 500 Persian letters are 1,000 bytes and still 500 characters.
    std::string persian;
    for (int i = 0; i < 500; ++i) persian += "ک";
    EXPECT_TRUE(decode_fraud_review(json{{"decision", "dismiss"}, {"note", persian}}));
    const auto field = [](const json& document) {
        const auto decoded = decode_fraud_review(document);
        if (decoded) return std::string("(taken)");
        return decoded.error().problems.empty() ? decoded.error().field : decoded.error().problems.front().field;
    };
    EXPECT_EQ(field(json{{"decision", "dismiss"}, {"note", std::string(501, 'x')}}), "note");
    EXPECT_EQ(field(json{{"decision", "approve"}}), "decision");
    EXPECT_EQ(field(json{{"note", "x"}}), "decision");
    EXPECT_EQ(field(json{{"decision", "release"}, {"points", 5}}), "points");
}

}  // namespace
}  // namespace patron::core
