// The documents marketers send about their program, as loyalty/core reads them before any service
// sees them: coupon campaigns, codes and assignments, rule drafts and their entries (no id the
// engine writes itself, none equal to another but for case), tier policies. Each refusal names its
// field with the message the API has always sent.
#include <gtest/gtest.h>

#include "loyalty/core/coupon_requests.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/core/tiers.h"

namespace patron::core {
namespace {

using nlohmann::json;

TEST(CouponRequests, ACampaignKeepsItsDocumentAsWritten) {
    const json document = {{"name", "Ten"}, {"type", "percent_off_basket"}, {"percent", 10}};
    const auto decoded = decode_coupon_campaign_document(document);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().message;
    EXPECT_EQ(decoded->campaign.name, "Ten");
    EXPECT_EQ(decoded->campaign.percent, 10);
    EXPECT_EQ(decoded->text, document.dump()) << "no defaults written in";
    const auto refused = decode_coupon_campaign_document({{"type", "percent_off_basket"}, {"percent", 101}});
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::kValidationFailed);
    EXPECT_EQ(refused.error().problems.size(), 2u);
}

TEST(CouponRequests, CodesAreDrawnOrChosen) {
    const auto drawn = decode_coupon_codes_request({{"count", 3}, {"prefix", "sum-"}});
    ASSERT_TRUE(drawn.has_value()) << drawn.error().message;
    const auto& draw = std::get<CouponCodeDraw>(*drawn);
    EXPECT_EQ(draw.count, 3u);
    EXPECT_EQ(draw.length, 10) << "the default";
    EXPECT_EQ(draw.prefix, "SUM-");
    const auto chosen = decode_coupon_codes_request({{"code", "summer25"}});
    ASSERT_TRUE(chosen.has_value()) << chosen.error().message;
    EXPECT_EQ(std::get<ChosenCouponCode>(*chosen).code, "SUMMER25");
    EXPECT_FALSE(std::get<ChosenCouponCode>(*chosen).single_use) << "a chosen code is public unless told";
    EXPECT_TRUE(
        std::get<ChosenCouponCode>(decode_coupon_codes_request({{"code", "ONCE"}, {"single_use", true}}).value())
            .single_use);
}

TEST(CouponRequests, ARefusalNamesItsField) {
    const struct {
        const char* document;
        const char* field;
        const char* message;
    } refusals[] = {
        {"[]", "$", "the request must be a JSON object"},
        {R"({"code": "no spaces"})", "code", "a code is 1 to 40 letters, digits or '-'"},
        {R"({"code": 7})", "code", "a code is 1 to 40 letters, digits or '-'"},
        {R"({"code": "OK", "single_use": null})", "single_use", "must be true or false"},
        {"{}", "count", "count is 1 to 1,000,000 (or send one public code)"},
        {R"({"count": 1000001})", "count", "count is 1 to 1,000,000 (or send one public code)"},
        {R"({"count": 5, "length": 5})", "length", "length is 6 to 20 random symbols"},
        {R"({"count": 5, "length": "8"})", "length", "length is 6 to 20 random symbols"},
        {R"({"count": 5, "prefix": 3})", "prefix", "a prefix is up to 12 letters, digits or '-'"},
        {R"({"count": 5, "prefix": "THIRTEEN-CHAR"})", "prefix", "a prefix is up to 12 letters, digits or '-'"},
    };
    for (const auto& refusal : refusals) {
        SCOPED_TRACE(refusal.document);
        const auto decoded = decode_coupon_codes_request(json::parse(refusal.document));
        ASSERT_FALSE(decoded.has_value());
        EXPECT_EQ(decoded.error().code, ErrorCode::kValidationFailed);
        EXPECT_EQ(decoded.error().field, refusal.field);
        EXPECT_EQ(decoded.error().message, refusal.message);
    }
}

TEST(CouponRequests, AnAssignmentNamesAMemberOrNone) {
    EXPECT_EQ(decode_coupon_assignment({{"member_id", 42}})->member_id, 42);
    EXPECT_FALSE(decode_coupon_assignment({{"member_id", nullptr}})->member_id.has_value()) << "a bearer code";
    for (const char* document : {"{}", "[]", R"({"member_id": "42"})", R"({"member_id": 4.2})"}) {
        const auto refused = decode_coupon_assignment(json::parse(document));
        ASSERT_FALSE(refused.has_value()) << document;
        EXPECT_EQ(refused.error().field, "member_id");
        EXPECT_EQ(refused.error().message, "member_id is a member's id, or null for a bearer code");
    }
}

TEST(CouponRequests, AnIssuanceNamesASegmentAndIsBounded) {
    const auto plain = decode_segment_issuance({{"segment", "lapsed_vip"}});
    ASSERT_TRUE(plain.has_value());
    EXPECT_EQ(plain->segment, "lapsed_vip");
    EXPECT_EQ(plain->limit, 10'000U) << "the default";
    EXPECT_EQ(plain->length, 10);
    const auto shaped =
        decode_segment_issuance({{"segment", "x"}, {"limit", 100'000}, {"length", 6}, {"prefix", "vip-"}});
    ASSERT_TRUE(shaped.has_value());
    EXPECT_EQ(shaped->limit, 100'000U);
    EXPECT_EQ(shaped->prefix, "VIP-");
    for (const auto& [document, field] :
         std::vector<std::pair<const char*, const char*>>{{"{}", "segment"},
                                                          {"[]", "$"},
                                                          {R"({"segment": ""})", "segment"},
                                                          {R"({"segment": "x", "limit": 0})", "limit"},
                                                          {R"({"segment": "x", "limit": 100001})", "limit"},
                                                          {R"({"segment": "x", "length": 3})", "length"},
                                                          {R"({"segment": "x", "prefix": "no spaces"})", "prefix"},
                                                          {R"({"segment": "x", "count": 5})", "count"}}) {
        const auto refused = decode_segment_issuance(json::parse(document));
        ASSERT_FALSE(refused.has_value()) << document;
        EXPECT_EQ(refused.error().field, field) << document;
    }
}

TEST(RuleDocuments, AnEntryIsFiledUnderThePathsId) {
    const auto entry = RuleEntry::read({{"points", 2}, {"per_amount", 100}}, "double");
    ASSERT_TRUE(entry.has_value()) << entry.error().message;
    EXPECT_EQ(entry->id(), "double");
    EXPECT_EQ(entry->as_json()["id"], "double");
    EXPECT_TRUE(RuleEntry::read({{"id", "double"}, {"points", 2}}, "double").has_value());
    EXPECT_EQ(RuleEntry::read({{"id", "other"}}, "double").error().field, "id");
    EXPECT_EQ(RuleEntry::read({{"id", "other"}}, "double").error().message, "must match the id in the path");
    EXPECT_EQ(RuleEntry::read(json::array(), "double").error().field, "$");
    EXPECT_EQ(RuleEntry::read(json::array(), "double").error().message, "must be a JSON object");
}

TEST(RuleDocuments, EntriesArePutAndRemovedByIdAndTheRestStaysAsWritten) {
    RuleDocument draft(json::parse(R"({"rules": [{"id": "base", "points": 1, "per_amount": 10000}], "groups": {}})"));
    draft.put(RuleList::kCashback, RuleEntry::read({{"percent", 5}}, "cb5").value());
    draft.put(RuleList::kRules, RuleEntry::read({{"points", 2}, {"per_amount", 10000}}, "base").value());
    EXPECT_EQ(draft.as_json()["rules"].size(), 1u) << "same id: replaced";
    EXPECT_EQ(draft.as_json()["rules"][0]["points"], 2);
    EXPECT_EQ(draft.as_json()["cashback"][0]["id"], "cb5") << "the list is made when missing";
    EXPECT_TRUE(draft.as_json().contains("groups"));
    const std::string before = draft.text();
    EXPECT_FALSE(draft.remove(RuleList::kStampCards, "cb5"));
    EXPECT_FALSE(draft.remove(RuleList::kRules, "nope"));
    EXPECT_EQ(draft.text(), before) << "nothing removed, nothing changed";
    EXPECT_TRUE(draft.remove(RuleList::kCashback, "cb5"));
    EXPECT_TRUE(draft.as_json()["cashback"].empty());
    EXPECT_EQ(RuleDocument::stored(draft.text()).as_json(), draft.as_json());
}

TEST(RuleDocuments, ValidationListsEveryProblemAndTextMustBeJson) {
    EXPECT_TRUE(RuleDocument().validate().has_value()) << "an empty rule set gives nothing, validly";
    const auto refused =
        RuleDocument(json::parse(R"({"rules": [{"id": "a", "points": -1}], "colour": "red"})")).validate();
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::kValidationFailed);
    EXPECT_GE(refused.error().problems.size(), 2u);
    EXPECT_EQ(RuleDocument::parse("{\"rules\": [").error().code, ErrorCode::kMalformedJson);
    EXPECT_EQ(RuleDocument::parse(R"({"rules": []})")->text(), R"({"rules":[]})");
}

TEST(RuleDocuments, RefuseIdsTheEngineWritesAndIdsEqualButForCaseWhileStoredVersionsStillRead) {
    const RuleDocument document(json::parse(R"({
        "rules": [{"id": "coupon:7", "kind": "bonus", "points": 1}, {"id": "Promo", "kind": "bonus", "points": 1},
                  {"id": "promo ", "kind": "bonus", "points": 1}, {"id": "Blind_Return", "kind": "bonus", "points": 1},
                  {"id": "coupon-7", "kind": "bonus", "points": 1}],
        "cashback": [{"id": "stamps:x", "percent": 1}],
        "stamp_cards": [{"id": "PROMO", "goal": 2, "basis": "visit", "reward": {"points": 20}}]})"));
    const auto refused = document.validate();
    ASSERT_FALSE(refused.has_value());
    std::vector<std::string> fields;
    for (const auto& problem : refused.error().problems) fields.push_back(problem.field);
    EXPECT_EQ(fields, (std::vector<std::string>{"rules[0].id", "rules[2].id", "rules[3].id", "cashback[0].id",
                                                "stamp_cards[0].id"}))
        << "the database compares ids ignoring case and trailing spaces; coupon-7 is an id like any other";
    EXPECT_NE(refused.error().problems[1].message.find("\"Promo\""), std::string::npos)
        << refused.error().problems[1].message;
    EXPECT_TRUE(document.validate(RuleIdCheck::kStored).has_value()) << "a version published before still reads";
    EXPECT_TRUE(parse_rule_set(document.as_json(), 4).has_value()) << "the till loads it as published";
    EXPECT_FALSE(RuleDocument(json::parse(R"({"rules": [{"id": "a", "kind": "bonus", "points": 1},
        {"id": "a", "kind": "bonus", "points": 1}]})"))
                     .validate(RuleIdCheck::kStored))
        << "ids equal as written are refused either way";
}

TEST(TierRequests, APolicyIsDecodedWithEveryProblemAndStoredAsText) {
    const auto refused = decode_tier_policy({{"measure", "likes"}, {"tiers", json::array()}});
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::kValidationFailed);
    EXPECT_FALSE(refused.error().problems.empty());
    const auto policy = decode_tier_policy(json::parse(R"({"measure": "points", "window": {"kind": "calendar_year"},
        "tiers": [{"name": "Bronze", "threshold": 0}, {"name": "Gold", "threshold": 100}]})"));
    ASSERT_TRUE(policy.has_value()) << policy.error().message;
    EXPECT_EQ(policy->version, 0) << "not stored yet";
    const auto stored = read_stored_tier_policy(tier_policy_text(*policy), 3);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->version, 3);
    EXPECT_EQ(stored->tiers.size(), 2u);
    EXPECT_FALSE(read_stored_tier_policy("not json", 4).has_value());
}

}  // namespace
}  // namespace patron::core
