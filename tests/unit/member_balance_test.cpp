// What the member's home page lists beside the balances: points by the local date they become
// available or last can be spent, and the member's coupons, usable ones first.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "loyalty/core/dated_points.h"
#include "loyalty/core/member_coupons.h"
#include "loyalty/core/member_profile.h"

namespace patron::core {
namespace {

using namespace std::chrono;

const FixedOffsetZone kTehran("Asia/Tehran", hours(3) + minutes(30));

Timestamp utc(const char* date, int hour, int minute = 0) {
    return sys_days{*parse_date(date)} + hours(hour) + minutes(minute);
}

TEST(DatedPoints, PendingPointsAreSummedByTheLocalDayTheyBecomeAvailableAtTheLatestInstant) {
    const std::vector<PointsAt> sums = {{utc("2026-12-06", 19), 5},
                                        {utc("2026-12-06", 20, 30), 7},  // Midnight in Tehran: the 7th.
                                        {utc("2026-12-07", 10), 13},
                                        {utc("2026-12-09", 8), 4}};
    const auto dates = pending_by_date(sums, kTehran, false);
    ASSERT_EQ(dates.size(), 3U);
    EXPECT_EQ(dates[0].date, *parse_date("2026-12-06"));
    EXPECT_EQ(dates[0].points, 5);
    EXPECT_EQ(dates[1].date, *parse_date("2026-12-07"));
    EXPECT_EQ(dates[1].points, 20);
    EXPECT_EQ(dates[1].at, utc("2026-12-07", 10)) << "all of them are available by then";
    EXPECT_EQ(dates[2].points, 4);
    EXPECT_EQ(pending_by_date(sums, kTehran, true).size(), 2U) << "a cut read may lack lots of its last date";
}

TEST(DatedPoints, ExpiringPointsAreSummedByTheirLastDayAtTheFirstExpiryAndAtMostSoManyDates) {
    const std::vector<PointsAt> sums = {{utc("2027-11-29", 20, 30), 10},  // The end of 29 November in Tehran.
                                        {utc("2027-11-30", 9), 3},        // An older lot's own instant.
                                        {utc("2027-11-30", 20, 30), 30}, {utc("2027-12-01", 20, 30), 33},
                                        {utc("2028-01-01", 20, 30), 1},  {utc("2028-02-01", 20, 30), 2},
                                        {utc("2028-03-01", 20, 30), 9}};
    const auto dates = expiring_by_date(sums, kTehran, 5, false);
    ASSERT_EQ(dates.size(), 5U);
    EXPECT_EQ(dates[0].date, *parse_date("2027-11-29"));
    EXPECT_EQ(dates[0].points, 10);
    EXPECT_EQ(dates[1].date, *parse_date("2027-11-30"));
    EXPECT_EQ(dates[1].points, 33);
    EXPECT_EQ(dates[1].at, utc("2027-11-30", 9)) << "the first of them expires then";
    EXPECT_EQ(dates[2].date, *parse_date("2027-12-01"));
    EXPECT_EQ(dates[3].date, *parse_date("2028-01-01"));
    EXPECT_EQ(dates[4].date, *parse_date("2028-02-01"));
    EXPECT_EQ(expiring_by_date(sums, kTehran, 5, true).back().date, *parse_date("2028-02-01"))
        << "a cut read loses its last date, not one of the first five";
    EXPECT_TRUE(expiring_by_date({}, kTehran, 5, false).empty());
}

CouponCampaign campaign(const char* document, std::int64_t id) {
    CouponCampaign parsed = parse_coupon_campaign(nlohmann::json::parse(document)).value();
    parsed.id = id;
    return parsed;
}

TEST(MemberCoupons, UsedThenPastTheirEndThenAssigned) {
    const CouponCampaign autumn = campaign(
        R"({"name": "Autumn", "type": "percent_off_basket", "percent": 20, "valid_until": "2026-12-01T00:00:00Z"})", 1);
    const Timestamp before = utc("2026-11-30", 23);
    const Timestamp after = utc("2026-12-01", 0);
    EXPECT_EQ(member_coupon_state(autumn, false, 0, before), MemberCouponState::kAssigned);
    EXPECT_EQ(member_coupon_state(autumn, false, 0, after), MemberCouponState::kExpired) << "valid_until is exclusive";
    EXPECT_EQ(member_coupon_state(autumn, true, 0, before), MemberCouponState::kExpired) << "the campaign ended";
    EXPECT_EQ(member_coupon_state(autumn, false, 1, after), MemberCouponState::kRedeemed) << "used before it ended";
    EXPECT_EQ(to_string(MemberCouponState::kRedeemed), "redeemed");
}

TEST(MemberCoupons, UsableOnesComeFirstNewestFirstWithinEachStateAndTheListIsBounded) {
    const CouponCampaign coffee =
        campaign(R"({"name": "Coffee", "type": "free_item", "conditions": {"categories": ["coffee"]}})", 3);
    std::vector<MemberCoupon> coupons = {{1, "OLD-USED", coffee, MemberCouponState::kRedeemed},
                                         {2, "OLD-FREE", coffee, MemberCouponState::kAssigned},
                                         {3, "GONE", coffee, MemberCouponState::kExpired},
                                         {4, "NEW-USED", coffee, MemberCouponState::kRedeemed},
                                         {5, "NEW-FREE", coffee, MemberCouponState::kAssigned}};
    order_member_coupons(coupons, 4);
    std::vector<std::string> codes;
    for (const MemberCoupon& coupon : coupons) codes.push_back(coupon.code);
    EXPECT_EQ(codes, (std::vector<std::string>{"NEW-FREE", "OLD-FREE", "NEW-USED", "OLD-USED"}));
}

TEST(MemberCoupons, TheValueIsWhatTheCampaignGives) {
    EXPECT_EQ(coupon_value(campaign(R"({"name": "P", "type": "percent_off_items", "percent": 15})", 1)), 15);
    EXPECT_EQ(coupon_value(campaign(R"({"name": "A", "type": "amount_off_basket", "amount": 50000})", 1)), 50000);
    EXPECT_EQ(coupon_value(campaign(R"({"name": "B", "type": "bonus_points", "amount": 200})", 1)), 200);
    EXPECT_EQ(coupon_value(campaign(R"({"name": "F", "type": "free_item", "conditions": {"skus": ["C1"]}})", 1)),
              std::nullopt);
}

}  // namespace
}  // namespace patron::core
