// Coupon pricing with hand-computed results, in IRR (no minor unit) and USD (cents): each type,
// stacking, the cap by what is left to pay, each refusal with its own code, and campaign
// documents checked like rule sets (every problem by JSON path); the codes' CSV export.
#include "loyalty/core/coupons.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "api/coupon_routes.h"
#include "tests/unit/sample_basket.h"

namespace patron::core {
namespace {

using nlohmann::json;

// The same shop in USD: coffee 2 x $4.55, a muffin $3.19.
Purchase usd_basket() {
    Purchase purchase = basket();
    purchase.currency = *find_currency("USD");
    purchase.lines = {{1, "COF-1", "coffee", 2000, 455, 910, 0}, {2, "MUF", "bakery", 1000, 319, 319, 0}};
    purchase.total = 1229;
    return purchase;
}

CouponCampaign campaign(const json& document, std::int64_t id = 7) {
    auto parsed = parse_coupon_campaign(document);
    EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().field + ": " + parsed.error().message);
    CouponCampaign made = parsed.value_or(CouponCampaign{});
    made.id = id;
    return made;
}

const CouponMember kSara{true, 42, "Gold"};

Result<std::vector<CouponDiscount>> price(const Purchase& purchase, const std::vector<PresentedCoupon>& coupons,
                                          const CouponMember& member = kSara) {
    return price_coupons(purchase, coupons, member, Language::kEnglish);
}

TEST(Coupons, EachTypeTakesOffWhatItSaysInIrrAndUsd) {
    struct Case {
        json document;
        std::int64_t irr;  // On 1,650,000 IRR (coffee 900,000, gift 500,000, cake 250,000 net).
        std::int64_t usd;  // On $12.29 (coffee $9.10, muffin $3.19).
    };
    const Case cases[] = {
        {{{"name", "10% off"}, {"type", "percent_off_basket"}, {"percent", 10}}, 165000, 122},   // 122.9 -> 122
        {{{"name", "50k off"}, {"type", "amount_off_basket"}, {"amount", 50000}}, 50000, 1229},  // capped at basket
        {{{"name", "25% coffee"},
          {"type", "percent_off_items"},
          {"percent", 25},
          {"conditions", {{"categories", {"coffee"}}}}},
         225000,
         227},  // 227.5 -> 227
        {{{"name", "300 off cake"},
          {"type", "amount_off_items"},
          {"amount", 300},
          {"conditions", {{"skus", {"CAKE", "MUF"}}}}},
         300,
         300},
        {{{"name", "free coffee"}, {"type", "free_item"}, {"conditions", {{"categories", {"coffee"}}}}}, 450000, 455},
        {{{"name", "free pastry"}, {"type", "free_item"}, {"conditions", {{"categories", {"bakery", "coffee"}}}}},
         250000,  // the cake's net is less than a coffee
         319},
    };
    for (const Case& c : cases) {
        const CouponCampaign made = campaign(c.document);
        const auto irr = price(basket(), {{"CODE1", &made}});
        ASSERT_TRUE(irr.has_value()) << c.document << irr.error().message;
        EXPECT_EQ((*irr)[0].discount, c.irr) << c.document;
        const auto usd = price(usd_basket(), {{"CODE1", &made}});
        ASSERT_TRUE(usd.has_value()) << c.document;
        EXPECT_EQ((*usd)[0].discount, c.usd) << c.document;
    }
    const CouponCampaign bonus = campaign({{"name", "bonus"}, {"type", "bonus_points"}, {"amount", 200}});
    const auto priced = price(basket(), {{"BONUS", &bonus}});
    ASSERT_TRUE(priced.has_value());
    EXPECT_EQ((*priced)[0].discount, 0);
    EXPECT_EQ((*priced)[0].bonus_points, 200);
    EXPECT_EQ((*priced)[0].receipt_line, "Coupon BONUS: +200 pts");
}

TEST(Coupons, ReceiptLinesReadInTheProgramsLanguage) {
    const CouponCampaign made = campaign({{"name", "10%"}, {"type", "percent_off_basket"}, {"percent", 10}});
    EXPECT_EQ((*price(basket(), {{"SUMMER25", &made}}))[0].receipt_line, "Coupon SUMMER25: -165,000 IRR");
    EXPECT_EQ((*price(usd_basket(), {{"SUMMER25", &made}}))[0].receipt_line, "Coupon SUMMER25: -1.22 USD");
    const auto persian = price_coupons(basket(), {{"SUMMER25", &made}}, kSara, Language::kPersian);
    EXPECT_EQ((*persian)[0].receipt_line, "کوپن SUMMER25: -۱۶۵٬۰۰۰ ریال");
}

TEST(Coupons, CombinableCouponsStackButNeverPassTheBasketAndAnExclusiveOneStandsAlone) {
    const CouponCampaign big = campaign({{"name", "1.5M off"}, {"type", "amount_off_basket"}, {"amount", 1500000}});
    const CouponCampaign tenth = campaign({{"name", "10%"}, {"type", "percent_off_basket"}, {"percent", 10}}, 8);
    const auto both = price(basket(), {{"BIG", &big}, {"TENTH", &tenth}});
    ASSERT_TRUE(both.has_value());
    EXPECT_EQ((*both)[0].discount, 1500000);
    EXPECT_EQ((*both)[1].discount, 150000) << "165,000 would pass the 1,650,000 basket; 150,000 is left";
    CouponCampaign alone = tenth;
    alone.exclusive = true;
    const auto refused = price(basket(), {{"BIG", &big}, {"ALONE", &alone}});
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::kCouponNotCombinable);
    EXPECT_EQ(refused.error().field, "coupons[1]");
    EXPECT_TRUE(price(basket(), {{"ALONE", &alone}}).has_value()) << "alone it is fine";
    EXPECT_EQ(price(basket(), {{"BIG", &big}, {"BIG", &big}}).error().code, ErrorCode::kValidationFailed);
}

TEST(Coupons, EveryRefusalHasItsOwnCode) {
    const auto code_of = [](const PresentedCoupon& coupon, const CouponMember& member = kSara,
                            Purchase purchase = basket()) {
        const auto priced = price(purchase, {coupon}, member);
        return priced ? std::string("OK") : std::string(code_name(priced.error().code));
    };
    const json base = {{"name", "x"}, {"type", "amount_off_basket"}, {"amount", 1000}};
    const auto with = [&](json more) {
        json document = base;
        document.update(more);
        return campaign(document);
    };
    const CouponCampaign plain = with(json::object());
    EXPECT_EQ(code_of({"NONE", nullptr}), "COUPON_NOT_FOUND");
    EXPECT_EQ(code_of({"A", &plain, true, 1}), "COUPON_ALREADY_USED");
    EXPECT_EQ(code_of({"A", &plain, false, 1}), "OK") << "a public code is used many times";
    EXPECT_EQ(code_of({"A", &plain, true, 0, 43}), "COUPON_NOT_FOR_MEMBER") << "assigned to member 43";
    EXPECT_EQ(code_of({"A", &plain, true, 0, 42}), "OK");
    const CouponCampaign later = with({{"valid_from", "2026-12-01T00:00:00+03:30"}});
    EXPECT_EQ(code_of({"A", &later}), "COUPON_NOT_YET_VALID");
    const CouponCampaign over = with({{"valid_until", "2026-11-22T18:00:00+03:30"}});
    EXPECT_EQ(code_of({"A", &over}), "COUPON_EXPIRED") << "18:03 is after 18:00";
    const CouponCampaign mornings = with({{"schedule", {{"from", "07:00"}, {"until", "11:00"}}}});
    EXPECT_EQ(code_of({"A", &mornings}), "COUPON_NOT_VALID_NOW");
    const CouponCampaign weekdays = with({{"schedule", {{"days", {"mon", "tue"}}}}});
    EXPECT_EQ(code_of({"A", &weekdays}), "COUPON_NOT_VALID_NOW") << "2026-11-22 is a Sunday";
    const CouponCampaign elsewhere = with({{"scope", {{"stores", {"S001"}}}}});
    EXPECT_EQ(code_of({"A", &elsewhere}), "COUPON_WRONG_STORE");
    const CouponCampaign silver = with({{"scope", {{"tiers", {"Silver"}}}}});
    EXPECT_EQ(code_of({"A", &silver}), "COUPON_NOT_FOR_MEMBER");
    const CouponCampaign lapsed = with({{"scope", {{"segments", {"lapsed", "vip"}}}}});
    EXPECT_EQ(code_of({"A", &lapsed}), "COUPON_NOT_FOR_MEMBER") << "Sara is in no segment";
    EXPECT_EQ(code_of({"A", &lapsed}, CouponMember{true, 42, "Gold", {"regulars"}}), "COUPON_NOT_FOR_MEMBER");
    EXPECT_EQ(code_of({"A", &lapsed}, CouponMember{true, 42, "Gold", {"regulars", "vip"}}), "OK");
    EXPECT_EQ(code_of({"A", &lapsed}, CouponMember{false, 0, "", {"vip"}}), "COUPON_NOT_FOR_MEMBER")
        << "an anonymous basket is in no segment";
    const CouponCampaign members = with({{"members_only", true}});
    EXPECT_EQ(code_of({"A", &members}, CouponMember{}), "COUPON_NOT_FOR_MEMBER") << "an anonymous basket";
    const CouponCampaign big_basket = with({{"conditions", {{"min_basket", 2000000}}}});
    EXPECT_EQ(code_of({"A", &big_basket}), "COUPON_BASKET_TOO_SMALL");
    const CouponCampaign tea = campaign(
        {{"name", "tea"}, {"type", "percent_off_items"}, {"percent", 5}, {"conditions", {{"categories", {"tea"}}}}});
    EXPECT_EQ(code_of({"A", &tea}), "COUPON_NO_MATCHING_ITEMS");
    const CouponCampaign limited = with({{"limits", {{"redemptions", 100}, {"per_member", 2}, {"budget", 50000}}}});
    EXPECT_EQ(code_of({"A", &limited, false, 0, std::nullopt, 100}), "COUPON_LIMIT_REACHED");
    EXPECT_EQ(code_of({"A", &limited, false, 0, std::nullopt, 5, 2}), "COUPON_LIMIT_REACHED");
    EXPECT_EQ(code_of({"A", &limited, false, 0, std::nullopt, 5, 1, 49001}), "COUPON_LIMIT_REACHED");
    EXPECT_EQ(code_of({"A", &limited, false, 0, std::nullopt, 5, 1, 49000}), "OK") << "exactly the budget";
}

TEST(Coupons, APartialReturnRevokesBelowTheMinimumOnlyWhenTheCampaignSaysSo) {
    CouponCampaign made = campaign(
        {{"name", "x"}, {"type", "amount_off_basket"}, {"amount", 1000}, {"conditions", {{"min_basket", 500000}}}});
    EXPECT_TRUE(coupon_survives_partial_return(made, 500000));
    EXPECT_FALSE(coupon_survives_partial_return(made, 499999));
    made.partial_return = PartialReturnPolicy::kKeep;
    EXPECT_TRUE(coupon_survives_partial_return(made, 0));
}

TEST(Coupons, ACampaignDocumentListsEveryProblemByPath) {
    const auto parsed = parse_coupon_campaign({{"type", "half_price"},
                                               {"percent", 150},
                                               {"valid_from", "2026-12-01T00:00:00Z"},
                                               {"valid_until", "2026-11-01T00:00:00Z"},
                                               {"stacking", "sometimes"},
                                               {"limits", {{"per_member", 0}}},
                                               {"colour", "red"}});
    ASSERT_FALSE(parsed.has_value());
    std::set<std::string> fields;
    for (const auto& problem : parsed.error().problems) fields.insert(problem.field);
    for (const char* field : {"name", "type", "valid_until", "stacking", "limits.per_member", "colour"}) {
        EXPECT_TRUE(fields.contains(field)) << field;
    }
    const auto free_without_items = parse_coupon_campaign({{"name", "x"}, {"type", "free_item"}});
    EXPECT_EQ(free_without_items.error().field, "conditions.skus");
    const auto boundless = parse_coupon_campaign({{"name", "x"},
                                                  {"type", "amount_off_basket"},
                                                  {"amount", 1},
                                                  {"limits", {{"budget", 2'000'000'000'000'000'000LL}}}});
    EXPECT_EQ(boundless.error().field, "limits.budget");
    EXPECT_EQ(normalise_coupon_code("summer25"), "SUMMER25");
    const auto segments = parse_coupon_campaign(
        {{"name", "x"}, {"type", "amount_off_basket"}, {"amount", 1}, {"scope", {{"segments", {"vip", 7}}}}});
    EXPECT_EQ(segments.error().field, "scope.segments[1]");
    const CouponCampaign scoped = campaign(
        {{"name", "x"}, {"type", "amount_off_basket"}, {"amount", 1}, {"scope", {{"segments", {"vip", "lapsed"}}}}});
    ASSERT_EQ(scoped_segments(scoped).size(), 2U);
    EXPECT_EQ(scoped_segments(scoped)[1].code, "lapsed");
    EXPECT_EQ(scoped_segments(scoped)[1].path, "scope.segments[1]");
    const auto too_much = parse_coupon_campaign({{"name", "x"}, {"type", "percent_off_basket"}, {"percent", 101}});
    EXPECT_EQ(too_much.error().field, "percent");
    EXPECT_EQ(parse_coupon_campaign(json::array()).error().field, "$") << "the document as a whole";
}

// The export is written like the reports' CSV: a code a spreadsheet would take for a formula (codes
// are letters, digits and '-') is prefixed with ', numbers are plain, a bearer code's member blank.
TEST(Coupons, TheCodesExportIsGuardedAgainstFormulasLikeTheReports) {
    const std::string csv =
        api::coupon_codes_csv({{1, 7, "AUT-2JWF76PN4M", true, std::nullopt, 0}, {2, 7, "-SUMMER25", false, 42, 3}});
    EXPECT_EQ(csv,
              "code,campaign_id,single_use,member_id,redemptions\r\n"
              "AUT-2JWF76PN4M,7,true,,0\r\n"
              "'-SUMMER25,7,false,42,3\r\n");
}

}  // namespace
}  // namespace patron::core
