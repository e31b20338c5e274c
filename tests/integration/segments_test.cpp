// Rule-based segments against a real database: definitions with known answers are counted before
// saving, a refresh materialises them (cities and birthdays opened with the key ring), an earn
// rule scoped to a segment pays only its members at the till, the rules draft refuses an unknown
// segment, and the feedback report keeps one segment's answers or splits them per RFM segment. A
// coupon campaign scoped to a segment is refused to other members at the till, its codes are
// issued to a segment's members once each (never to its hold-out), a stored definition that no
// longer reads counts as the last refresh did, and a count beyond its bound judges samples.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "loyalty/core/coupon_requests.h"
#include "loyalty/core/feedback_report_document.h"
#include "loyalty/service/posting/holdout_assignment.h"
#include "loyalty/store/events/outbox_store.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/test_database.h"
#include "tests/support/verified_world.h"

namespace patron {
namespace {

using core::ErrorCode;
using nlohmann::json;
using std::chrono::days;

class SegmentsTest : public testing::VerifiedWorldTest {
  protected:
    void SetUp() override {
        // Every purchase comes after the enrolments, up to "today" 200 days on.
        today_ = world.clock.now() + days(200);
        // Tina: in Tehran, SMS consent, born in April, three purchases in the last 30 days.
        tina_ = enrol("Tina Tehrani", "09120000001", "Tehran", "1990-04-12", true);
        // Shirin: in Shiraz, no consent, one purchase 100 days ago.
        shirin_ = enrol("Shirin Shirazi", "09120000002", "Shiraz", "1985-11-02", false);
        // Nima: in Tehran (typed otherwise), never bought.
        nima_ = enrol("Nima Never", "09120000003", "  TEHRAN ", "2000-04-30", false);
        buy_at(today_ - days(100), shirin_.card_number, 200'000);
        for (const int ago : {20, 10, 2}) buy_at(today_ - days(ago), tina_.card_number, 500'000);
        world.clock.set(today_);
    }

    service::EnrolledMember enrol(const std::string& name, const std::string& phone, const std::string& city,
                                  const std::string& birth, bool sms) {
        core::MemberApplication application{name, phone, std::nullopt, birth, "fa"};
        application.city = city;
        application.consents.marketing_sms = sms;
        const auto enrolled = world.members.enrol_unattended(world.program_id, application);
        EXPECT_TRUE(enrolled.has_value()) << (enrolled ? "" : enrolled.error().message);
        return enrolled.value_or(service::EnrolledMember{});
    }
    void buy_at(core::Timestamp at, const std::string& card, std::int64_t amount) {
        world.clock.set(at);
        committed(world.purchase("R" + std::to_string(++receipts_), amount, card));
    }
    core::SegmentDocument document(const json& written) {
        const auto decoded = core::decode_segment_document(written);
        EXPECT_TRUE(decoded.has_value()) << (decoded ? "" : decoded.error().field + ": " + decoded.error().message);
        return decoded.value_or(core::SegmentDocument{});
    }
    long long count(const json& conditions) {
        const auto decoded = core::decode_segment_preview({{"conditions", conditions}});
        EXPECT_TRUE(decoded.has_value()) << conditions;
        const auto counted = world.services.segments.count(marketer, *decoded);
        EXPECT_TRUE(counted.has_value()) << (counted ? "" : counted.error().message);
        return counted ? counted->members : -1;
    }
    std::vector<std::string> codes_of(long long member_id) {
        std::vector<std::string> codes(10);
        world.db.raw() << "SELECT s.code FROM member_segments ms JOIN segments s ON s.id = ms.segment_id"
                          " WHERE ms.member_id = :member ORDER BY s.code",
            soci::into(codes), soci::use(member_id);
        return codes;
    }

    core::Result<service::CommitOutcome> commit_with(core::Purchase purchase, std::vector<std::string> codes) {
        purchase.coupons = std::move(codes);
        return world.purchases.commit(world.terminal, purchase, crypto::sha256(crypto::as_bytes(purchase.key.receipt)),
                                      pos::encode_purchase_answer);
    }
    core::Result<store::CouponCampaignRecord> draft_campaign(const json& document) {
        return coupons.create(marketer, core::decode_coupon_campaign_document(document).value());
    }
    service::SegmentIssued issue(long long campaign_id, const json& request) {
        const auto issued =
            coupons.issue_to_segment(marketer, campaign_id, core::decode_segment_issuance(request).value());
        EXPECT_TRUE(issued.has_value()) << (issued ? "" : issued.error().message);
        return issued.value_or(service::SegmentIssued{});
    }
    // The members holding a code of the campaign, each once per code.
    std::vector<long long> holders(long long campaign_id) {
        std::vector<long long> members;
        const auto codes = coupons.codes(marketer, campaign_id).value();
        for (const auto& code : codes) {
            if (code.member_id) members.push_back(*code.member_id);
        }
        std::sort(members.begin(), members.end());
        return members;
    }

    // The segment "everyone" and a draft coupon campaign holding 50% out; the campaign's id (0 when not made).
    long long everyone_and_a_welcome_with_holdout() {
        EXPECT_TRUE(world.services.segments
                        .create(marketer,
                                document({{"code", "everyone"}, {"name", "Everyone"}, {"conditions", json::object()}}))
                        .has_value());
        const auto made = draft_campaign(
            {{"name", "Welcome"}, {"type", "amount_off_basket"}, {"amount", 5'000}, {"holdout", {{"percent", 50}}}});
        EXPECT_TRUE(made.has_value()) << made.error().message;
        return made ? made->id : 0;
    }
    // The members coupon campaign `id` with a 50% hold-out targets (in id order), and how many it holds out.
    std::pair<std::vector<long long>, long long> split_by_holdout(long long campaign_id) {
        std::vector<long long> targeted;
        long long held_out = 0;
        for (const auto& member : {tina_, shirin_, nima_}) {
            if (service::is_held_out(core::Holdout{50}, core::CampaignKind::kCoupon, std::to_string(campaign_id),
                                     member.id)) {
                ++held_out;
            } else {
                targeted.push_back(member.id);
            }
        }
        std::sort(targeted.begin(), targeted.end());
        return {targeted, held_out};
    }
    // MariaDB refuses the `nth` audit row of an issuance's chunks with SQLSTATE `state` (MariaDB
    // error `number`), once. The count is kept in a MyISAM table, which a rolled-back chunk leaves counted.
    void stage_issuance_fault(int nth, const std::string& state, int number) {
        soci::session& sql = world.db.raw();
        sql << "CREATE TABLE staged_fault (seen INT NOT NULL) ENGINE=MyISAM";
        sql << "INSERT INTO staged_fault VALUES (0)";
        sql << "CREATE TRIGGER staged_issuance_fault BEFORE INSERT ON audit_log FOR EACH ROW BEGIN"
               " IF NEW.action = 'coupon_campaign.issue' THEN UPDATE staged_fault SET seen = seen + 1;"
               " IF (SELECT seen FROM staged_fault) = " +
                   std::to_string(nth) + " THEN SIGNAL SQLSTATE '" + state +
                   "' SET MYSQL_ERRNO = " + std::to_string(number) + ", MESSAGE_TEXT = 'staged'; END IF; END IF; END";
    }
    long long issuance_chunks_tried() {
        long long seen = 0;
        world.db.raw() << "SELECT seen FROM staged_fault", soci::into(seen);
        return seen;
    }

    const service::StaffIdentity analyst{world.program_id, "Ali (analysis)", core::StaffRole::kAnalyst};
    const service::StaffIdentity support{world.program_id, "Sam (support)", core::StaffRole::kSupport};
    core::Timestamp today_;
    service::EnrolledMember tina_, shirin_, nima_;
    int receipts_ = 0;
};

TEST_F(SegmentsTest, DefinitionsCountTheirKnownMembersBeforeSaving) {
    EXPECT_EQ(count(json::object()), 3);
    EXPECT_EQ(count({{"cities", {"tehran"}}}), 2) << "cities compare trimmed and case-blind";
    EXPECT_EQ(count({{"cities", {"Tehran"}}, {"marketing_consent", "sms"}}), 1);
    EXPECT_EQ(count({{"marketing_consent", "none"}}), 2);
    EXPECT_EQ(count({{"days_since_last_purchase", {{"min", 30}}}}), 1) << "Shirin; Nima never bought";
    EXPECT_EQ(count({{"days_since_last_purchase", {{"max", 5}}}}), 1);
    EXPECT_EQ(count({{"spend", {{"days", 30}, {"min", 1'500'000}}}}), 1);
    EXPECT_EQ(count({{"spend", {{"days", 30}, {"min", 1'500'001}}}}), 0);
    EXPECT_EQ(count({{"visits", {{"days", 365}, {"min", 1}, {"max", 1}}}}), 1);
    EXPECT_EQ(count({{"visits", {{"days", 30}, {"max", 0}}}}), 2);
    EXPECT_EQ(count({{"stores_visited", {{"stores", {"S042"}}, {"days", 50}}}}), 1);
    EXPECT_EQ(count({{"stores_visited", {{"stores", {"S999"}}, {"days", 500}}}}), 0);
    EXPECT_EQ(count({{"birthday_month", 4}}), 2);
    EXPECT_EQ(count({{"tiers", {"nobody"}}}), 0);
}

TEST_F(SegmentsTest, ARefreshMaterialisesMembershipsAndSaysWhen) {
    const auto tehran = world.services.segments.create(
        marketer, document({{"code", "tehran"}, {"name", "Tehran"}, {"conditions", {{"cities", {"Tehran"}}}}}));
    ASSERT_TRUE(tehran.has_value()) << tehran.error().message;
    EXPECT_TRUE(tehran->pending()) << "not computed until the next refresh";
    ASSERT_TRUE(world.services.segments
                    .create(marketer, document({{"code", "lapsed"},
                                                {"name", "Lapsed"},
                                                {"conditions", {{"days_since_last_purchase", {{"min", 60}}}}}}))
                    .has_value());
    ASSERT_TRUE(world.services.segments
                    .create(marketer, document({{"code", "regulars"},
                                                {"name", "Regulars"},
                                                {"conditions",
                                                 {{"churn_bands", {"low"}}, {"visits", {{"days", 30}, {"min", 3}}}}}}))
                    .has_value());
    const auto duplicate = world.services.segments.create(
        marketer, document({{"code", "tehran"}, {"name", "Again"}, {"conditions", json::object()}}));
    ASSERT_FALSE(duplicate.has_value());
    EXPECT_EQ(duplicate.error().field, "code");

    const auto report = world.services.insight.refresh(world.program_id, 365);
    ASSERT_TRUE(report.has_value()) << report.error().message;
    EXPECT_EQ(report->memberships, 4);
    EXPECT_EQ(report->profiles_unopened, 0);
    EXPECT_EQ(codes_of(tina_.id), (std::vector<std::string>{"regulars", "tehran"}));
    EXPECT_EQ(codes_of(shirin_.id), (std::vector<std::string>{"lapsed"}));
    EXPECT_EQ(codes_of(nima_.id), (std::vector<std::string>{"tehran"}));
    const auto computed = world.services.segments.get(analyst, "tehran");
    ASSERT_TRUE(computed.has_value());
    EXPECT_FALSE(computed->pending());
    EXPECT_EQ(computed->record.members, 2);
    EXPECT_EQ(computed->record.computed_at, today_);

    // A change waits for the next refresh; the membership it held stays until then.
    world.clock.set(today_ + std::chrono::hours(1));
    ASSERT_TRUE(
        world.services.segments
            .replace(marketer, "tehran",
                     document({{"code", "tehran"}, {"name", "Tehran"}, {"conditions", {{"cities", {"Shiraz"}}}}}))
            .has_value());
    EXPECT_TRUE(world.services.segments.get(analyst, "tehran")->pending());
    EXPECT_EQ(codes_of(nima_.id), (std::vector<std::string>{"tehran"}));
    ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());
    EXPECT_EQ(codes_of(nima_.id), (std::vector<std::string>{}));
    EXPECT_EQ(codes_of(shirin_.id), (std::vector<std::string>{"lapsed", "tehran"}));

    ASSERT_TRUE(world.services.segments.remove(marketer, "lapsed").has_value());
    EXPECT_EQ(codes_of(shirin_.id), (std::vector<std::string>{"tehran"})) << "its memberships go with it";
}

TEST_F(SegmentsTest, AnEarnRuleScopedToASegmentPaysOnlyItsMembers) {
    ASSERT_TRUE(
        world.services.segments
            .create(marketer,
                    document({{"code", "tehran"}, {"name", "Tehran"}, {"conditions", {{"cities", {"Tehran"}}}}}))
            .has_value());
    const json rules = {
        {"rules", json::array({{{"id", "base"}, {"name", "Club points"}, {"points", 1}, {"per_amount", 10000}},
                               {{"id", "tehran_bonus"},
                                {"name", "Tehran bonus"},
                                {"kind", "bonus"},
                                {"points", 50},
                                {"scope", {{"segments", {"tehran"}}}}}})}};
    const service::StaffIdentity admin{world.program_id, "Ava (admin)", core::StaffRole::kAdmin};
    const auto unknown = world.services.rules.replace_draft(
        marketer,
        core::RuleDocument(json{{"rules", json::array({{{"id", "x"},
                                                        {"name", "X"},
                                                        {"kind", "bonus"},
                                                        {"points", 1},
                                                        {"scope", {{"segments", {"tehran", "nowhere"}}}}}})}}));
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().code, ErrorCode::kValidationFailed);
    EXPECT_EQ(unknown.error().field, "rules[0].scope.segments[1]");
    ASSERT_TRUE(world.services.rules.replace_draft(admin, core::RuleDocument(rules)).has_value());
    ASSERT_TRUE(world.services.rules.publish(admin, {}).has_value());
    const auto in_use = world.services.segments.remove(marketer, "tehran");
    ASSERT_FALSE(in_use.has_value());
    EXPECT_EQ(in_use.error().field, "code");
    ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());

    world.clock.set(today_ + std::chrono::minutes(10));
    const json tina = committed(world.purchase("T1", 100'000, tina_.card_number));
    EXPECT_EQ(tina["points"]["earned"], 60) << tina;
    bool printed = false;
    for (const auto& line : tina["receipt_lines"]) printed |= line.get<std::string>().starts_with("Tehran bonus");
    EXPECT_TRUE(printed) << tina["receipt_lines"];
    const json shirin = committed(world.purchase("S1", 100'000, shirin_.card_number));
    EXPECT_EQ(shirin["points"]["earned"], 10) << "Shirin is not in the segment";
    const json anonymous = committed(world.purchase("A1", 100'000));
    EXPECT_FALSE(anonymous.contains("points") && anonymous["points"].value("earned", 0) > 0);
}

TEST_F(SegmentsTest, ASegmentTheRulesInForceNameIsKeptWhileANewerVersionWaits) {
    ASSERT_TRUE(
        world.services.segments
            .create(marketer,
                    document({{"code", "tehran"}, {"name", "Tehran"}, {"conditions", {{"cities", {"Tehran"}}}}}))
            .has_value());
    const service::StaffIdentity admin{world.program_id, "Ava (admin)", core::StaffRole::kAdmin};
    const auto publish = [&](const json& rules, std::optional<core::Timestamp> effective_from) {
        ASSERT_TRUE(world.services.rules.replace_draft(admin, core::RuleDocument(rules)).has_value());
        ASSERT_TRUE(world.services.rules.publish(admin, {effective_from, ""}).has_value());
    };
    const json base = {{"id", "base"}, {"name", "Club points"}, {"points", 1}, {"per_amount", 10000}};
    publish({{"rules", json::array({base,
                                    {{"id", "tehran_bonus"},
                                     {"name", "Tehran bonus"},
                                     {"kind", "bonus"},
                                     {"points", 50},
                                     {"scope", {{"segments", {"tehran"}}}}}})}},
            std::nullopt);
    // Next week's version no longer names it; until then the version in force does.
    publish({{"rules", json::array({base})}}, today_ + days(7));
    ASSERT_TRUE(world.services.rules.discard_draft(admin).has_value());

    const auto in_force = world.services.segments.remove(marketer, "tehran");
    ASSERT_FALSE(in_force.has_value()) << "deleted while the rules in force scope by it";
    EXPECT_EQ(in_force.error().field, "code");
    EXPECT_NE(in_force.error().message.find("rules[1].scope.segments[0]"), std::string::npos)
        << in_force.error().message;

    world.clock.set(today_ + days(8));
    EXPECT_TRUE(world.services.segments.remove(marketer, "tehran").has_value())
        << "nothing in force or to come names it";
}

TEST_F(SegmentsTest, RefusalsNameTheFieldAndRolesAreKept) {
    const auto refused = [](const json& written) {
        const auto decoded = core::decode_segment_document(written);
        return decoded ? std::string("accepted") : decoded.error().field;
    };
    EXPECT_EQ(refused({{"code", "x"}, {"name", "X"}, {"conditions", {{"colour", "red"}}}}), "conditions.colour");
    EXPECT_EQ(refused({{"code", "x"}, {"name", "X"}, {"conditions", {{"spend", {{"min", 1}}}}}}),
              "conditions.spend.days");
    EXPECT_EQ(refused({{"code", "x"}, {"name", "X"}, {"conditions", {{"visits", {{"days", 9999}}}}}}),
              "conditions.visits.days");
    EXPECT_EQ(refused({{"code", "x"}, {"name", "X"}, {"conditions", {{"birthday_month", 13}}}}),
              "conditions.birthday_month");
    EXPECT_EQ(refused({{"code", "x"}, {"name", "X"}, {"conditions", {{"rfm_segments", {"gold"}}}}}),
              "conditions.rfm_segments[0]");
    EXPECT_EQ(refused({{"code", "x"}, {"name", "X"}, {"conditions", {{"marketing_consent", true}}}}),
              "conditions.marketing_consent");
    EXPECT_EQ(refused({{"code", "Big Spenders"}, {"name", "X"}, {"conditions", json::object()}}), "code");
    EXPECT_EQ(refused({{"code", "champions"}, {"name", "X"}, {"conditions", json::object()}}), "code");
    EXPECT_EQ(refused({{"code", "x"}, {"name", "X"}, {"extra", 1}, {"conditions", json::object()}}), "extra");
    EXPECT_EQ(refused({{"code", "x"}, {"name", "X"}}), "conditions");

    const auto segment = document({{"code", "all"}, {"name", "All"}, {"conditions", json::object()}});
    const auto by_analyst = world.services.segments.create(analyst, segment);
    ASSERT_FALSE(by_analyst.has_value());
    EXPECT_EQ(by_analyst.error().code, ErrorCode::kForbidden);
    ASSERT_TRUE(world.services.segments.create(marketer, segment).has_value());
    EXPECT_TRUE(world.services.segments.list(analyst).has_value());
    EXPECT_EQ(world.services.segments.list(support).error().code, ErrorCode::kForbidden);
    EXPECT_EQ(world.services.segments.remove(analyst, "all").error().code, ErrorCode::kForbidden);
    EXPECT_EQ(world.services.segments.get(analyst, "none").error().code, ErrorCode::kNotFound);
}

TEST_F(SegmentsTest, TheFeedbackReportKeepsOneSegmentsAnswersOrSplitsThemPerRfmSegment) {
    ASSERT_TRUE(
        world.services.segments
            .create(marketer,
                    document({{"code", "tehran"}, {"name", "Tehran"}, {"conditions", {{"cities", {"Tehran"}}}}}))
            .has_value());
    // Tina rates her last purchase 10, Shirin hers 2 (both within the feedback window of 14 days).
    world.clock.set(today_ - days(1));
    committed(world.purchase("F1", 100'000, shirin_.card_number));
    world.clock.set(today_);
    const auto purchase_of = [&](long long member_id) {
        long long id = 0;
        world.db.raw() << "SELECT MAX(id) FROM purchases WHERE member_id = :member", soci::into(id),
            soci::use(member_id);
        return id;
    };
    ASSERT_TRUE(world.services.feedback
                    .answer_own({world.program_id, tina_.id}, purchase_of(tina_.id),
                                core::FeedbackAnswer{10, 5, std::nullopt, std::nullopt})
                    .has_value());
    ASSERT_TRUE(world.services.feedback
                    .answer_own({world.program_id, shirin_.id}, purchase_of(shirin_.id),
                                core::FeedbackAnswer{2, 1, std::nullopt, std::nullopt})
                    .has_value());
    ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());

    core::ReportRequest request;
    request.by = core::PeriodSize::kTotal;
    const auto all = world.services.feedback_reports.report(analyst, request);
    ASSERT_TRUE(all.has_value()) << all.error().message;
    ASSERT_EQ(all->rows.size(), 1U);
    EXPECT_EQ(all->rows[0].tally.nps_answers, 2);

    const auto tehran = world.services.feedback_reports.report(analyst, request, {"tehran", false});
    ASSERT_TRUE(tehran.has_value()) << tehran.error().message;
    ASSERT_EQ(tehran->rows.size(), 1U);
    EXPECT_EQ(tehran->rows[0].tally.promoters, 1);
    EXPECT_EQ(core::feedback_figures(tehran->rows[0].tally).nps_x10, 1000);

    const auto score = world.services.insight.member_insight(world.program_id, shirin_.id);
    ASSERT_TRUE(score.has_value());
    const std::string shirins(core::segment_code(score->score.segment));
    const auto by_rfm = world.services.feedback_reports.report(analyst, request, {shirins, false});
    ASSERT_TRUE(by_rfm.has_value());
    ASSERT_FALSE(by_rfm->rows.empty());
    EXPECT_EQ(by_rfm->rows[0].tally.detractors, 1) << "the RFM segment " << shirins << " holds Shirin";

    const auto split = world.services.feedback_reports.report(analyst, request, {std::nullopt, true});
    ASSERT_TRUE(split.has_value());
    long long per_segment = 0;
    for (const core::FeedbackReportRow& row : split->rows) {
        if (!row.segment.empty()) per_segment += row.tally.nps_answers;
    }
    ASSERT_FALSE(split->rows.empty());
    EXPECT_EQ(split->rows[0].segment, "");
    EXPECT_EQ(per_segment, 2) << "every answer in exactly one segment's row";
    const std::string csv = core::feedback_report_csv(*split);
    EXPECT_NE(csv.find(",ces_mean_x100,segment\r\n"), std::string::npos) << csv;

    const auto unknown = world.services.feedback_reports.report(analyst, request, {"gold", false});
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().field, "segment");
}

TEST_F(SegmentsTest, ACouponCampaignScopedToASegmentIsForItsMembersOnly) {
    ASSERT_TRUE(
        world.services.segments
            .create(marketer,
                    document({{"code", "tehran"}, {"name", "Tehran"}, {"conditions", {{"cities", {"Tehran"}}}}}))
            .has_value());
    const auto unknown = draft_campaign({{"name", "Tehran ten"},
                                         {"type", "amount_off_basket"},
                                         {"amount", 10'000},
                                         {"scope", {{"segments", {"tehran", "nowhere"}}}}});
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().code, ErrorCode::kValidationFailed);
    EXPECT_EQ(unknown.error().field, "scope.segments[1]");
    const auto made = draft_campaign({{"name", "Tehran ten"},
                                      {"type", "amount_off_basket"},
                                      {"amount", 10'000},
                                      {"scope", {{"segments", {"tehran"}}}}});
    ASSERT_TRUE(made.has_value()) << made.error().message;
    const auto changed = coupons.replace(marketer, made->id,
                                         core::decode_coupon_campaign_document({{"name", "Tehran ten"},
                                                                                {"type", "amount_off_basket"},
                                                                                {"amount", 10'000},
                                                                                {"scope", {{"segments", {"x"}}}}})
                                             .value());
    ASSERT_FALSE(changed.has_value());
    EXPECT_EQ(changed.error().field, "scope.segments[0]");
    ASSERT_TRUE(coupons.add_codes(marketer, made->id, core::decode_coupon_codes_request({{"code", "TEHRAN10"}}).value())
                    .has_value());
    ASSERT_TRUE(coupons.publish(marketer, made->id).has_value());
    const auto in_use = world.services.segments.remove(marketer, "tehran");
    ASSERT_FALSE(in_use.has_value());
    EXPECT_EQ(in_use.error().field, "code");
    EXPECT_NE(in_use.error().message.find("coupon campaign"), std::string::npos) << in_use.error().message;
    ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());

    world.clock.set(today_ + std::chrono::minutes(10));
    const auto tina = commit_with(world.purchase("C1", 100'000, tina_.card_number), {"TEHRAN10"});
    ASSERT_TRUE(tina.has_value()) << tina.error().message;
    EXPECT_EQ(json::parse(tina->body)["coupons"]["discount"], 10'000) << tina->body;
    const auto shirin = commit_with(world.purchase("C2", 100'000, shirin_.card_number), {"TEHRAN10"});
    ASSERT_FALSE(shirin.has_value());
    EXPECT_EQ(shirin.error().code, ErrorCode::kCouponNotForMember);
    EXPECT_EQ(shirin.error().field, "coupons[0]");
    const auto anonymous = commit_with(world.purchase("C3", 100'000), {"TEHRAN10"});
    ASSERT_FALSE(anonymous.has_value());
    EXPECT_EQ(anonymous.error().code, ErrorCode::kCouponNotForMember) << "a segment's campaign is for members";

    ASSERT_TRUE(coupons.end(marketer, made->id).has_value());
    EXPECT_TRUE(world.services.segments.remove(marketer, "tehran").has_value()) << "an ended campaign holds it no more";
}

TEST_F(SegmentsTest, CodesAreIssuedToASegmentsMembersOnceEachAndNeverToItsHoldout) {
    const long long id = everyone_and_a_welcome_with_holdout();
    ASSERT_NE(id, 0);
    const auto never = issue(id, {{"segment", "everyone"}});
    EXPECT_EQ(never.issued, 0) << "no membership computed yet";
    EXPECT_FALSE(never.membership_computed_at.has_value());
    ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());

    const auto [targeted, held_out] = split_by_holdout(id);
    // One code a request: each request gives the next member theirs until none is left.
    long long issued = 0, seen_held_out = 0;
    for (int request = 0; request < 5; ++request) {
        const auto step = issue(id, {{"segment", "everyone"}, {"limit", 1}, {"prefix", "WEL-"}});
        EXPECT_LE(step.issued, 1);
        issued += step.issued;
        seen_held_out += step.held_out;
        EXPECT_EQ(step.membership_computed_at, today_);
        if (!step.more) break;
    }
    EXPECT_EQ(issued, static_cast<long long>(targeted.size()));
    EXPECT_EQ(seen_held_out, held_out);
    EXPECT_EQ(holders(id), targeted) << "one code each, none to the hold-out";
    const auto again = issue(id, {{"segment", "everyone"}});
    EXPECT_EQ(again.issued, 0) << "issuing again gives nobody a second code";
    EXPECT_EQ(again.held_out, 0) << "the held-out members were recorded once";
    EXPECT_FALSE(again.more);
    EXPECT_EQ(holders(id), targeted);
    const auto codes = coupons.codes(marketer, id).value();
    for (const auto& code : codes) {
        EXPECT_TRUE(code.code.starts_with("WEL-")) << code.code;
        EXPECT_TRUE(code.single_use);
    }
    // Each member given a code hears of it once (coupon_issued), without the code.
    std::vector<long long> told;
    for (const store::OutboxEvent& event : store::events_after(world.db.raw(), world.program_id, 0, 1000)) {
        if (event.type != "coupon_issued") continue;
        const json data = json::parse(event.data);
        EXPECT_EQ(data["campaign_id"], id);
        EXPECT_EQ(data["source"], "segment");
        EXPECT_EQ(data["member_id"], event.member_id);
        for (const auto& code : codes) EXPECT_EQ(event.data.find(code.code), std::string::npos);
        told.push_back(event.member_id.value_or(0));
    }
    std::sort(told.begin(), told.end());
    EXPECT_EQ(told, targeted) << "once each, none to the hold-out";

    const auto unknown =
        coupons.issue_to_segment(marketer, id, core::decode_segment_issuance({{"segment", "nowhere"}}).value());
    ASSERT_FALSE(unknown.has_value());
    EXPECT_EQ(unknown.error().field, "segment");
    ASSERT_TRUE(coupons.end(marketer, id).has_value());
    const auto ended =
        coupons.issue_to_segment(marketer, id, core::decode_segment_issuance({{"segment", "everyone"}}).value());
    ASSERT_FALSE(ended.has_value());
    EXPECT_EQ(ended.error().code, ErrorCode::kNotAvailable);
}

TEST_F(SegmentsTest, AnIssuanceChunkRunAgainAfterADeadlockGivesAndCountsItsMembersOnce) {
    const long long id = everyone_and_a_welcome_with_holdout();
    ASSERT_NE(id, 0);
    ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());
    const auto [targeted, held_out] = split_by_holdout(id);
    ASSERT_FALSE(targeted.empty());

    // The chunk's last write meets a deadlock: the store runs the whole chunk again.
    stage_issuance_fault(1, "40001", 1213);
    const auto step = issue(id, {{"segment", "everyone"}});
    EXPECT_EQ(issuance_chunks_tried(), 2) << "the chunk ran twice";
    EXPECT_EQ(step.issued, static_cast<long long>(targeted.size()));
    EXPECT_EQ(step.held_out, held_out);
    EXPECT_FALSE(step.more);
    EXPECT_EQ(holders(id), targeted) << "the chunk that was run again gave its members their codes";
}

TEST_F(SegmentsTest, AnIssuanceThatFailsPartWaySaysWhatItsEarlierChunksIssued) {
    ASSERT_TRUE(world.services.segments
                    .create(marketer, document({{"code", "bulk"}, {"name", "Bulk"}, {"conditions", json::object()}}))
                    .has_value());
    // 501 members in the segment: two chunks of an issuance (500 members each at most).
    soci::session& sql = world.db.raw();
    const std::string now = core::format_utc(world.clock.now(), core::TimeFormat::kSql);
    long long segment_id = 0;
    sql << "SELECT CAST(id AS SIGNED) FROM segments WHERE code = 'bulk'", soci::into(segment_id);
    for (long long member = 100'001; member <= 100'501; ++member) {
        sql << "INSERT INTO members (id, program_id, status, created_at, updated_at)"
               " VALUES (:id, :program, 'active', :now, :now)",
            soci::use(member, "id"), soci::use(world.program_id, "program"), soci::use(now, "now");
        sql << "INSERT INTO member_accounts (member_id, program_id, tier, updated_at)"
               " VALUES (:id, :program, 'Member', :now)",
            soci::use(member, "id"), soci::use(world.program_id, "program"), soci::use(now, "now");
        sql << "INSERT INTO member_segments (member_id, segment_id, program_id, refreshed_at)"
               " VALUES (:id, :segment, :program, :now)",
            soci::use(member, "id"), soci::use(segment_id, "segment"), soci::use(world.program_id, "program"),
            soci::use(now, "now");
    }
    const auto made = draft_campaign({{"name", "Bulk ten"}, {"type", "amount_off_basket"}, {"amount", 10'000}});
    ASSERT_TRUE(made.has_value()) << made.error().message;

    stage_issuance_fault(2, "45000", 1644);
    const auto failed =
        coupons.issue_to_segment(marketer, made->id, core::decode_segment_issuance({{"segment", "bulk"}}).value());
    ASSERT_FALSE(failed.has_value());
    EXPECT_NE(failed.error().message.find("had issued 500 codes and found 0 members held out"), std::string::npos)
        << failed.error().message;
    EXPECT_EQ(holders(made->id).size(), 500U) << "the first chunk's codes stay";

    sql << "DROP TRIGGER staged_issuance_fault";
    const auto rest = issue(made->id, {{"segment", "bulk"}});
    EXPECT_EQ(rest.issued, 1) << "sending it again carries on";
    EXPECT_FALSE(rest.more);
}

TEST_F(SegmentsTest, AStoredDefinitionThatNoLongerReadsCountsAsTheLastRefreshDid) {
    ASSERT_TRUE(world.services.segments
                    .create(marketer, document({{"code", "spenders"},
                                                {"name", "Spenders"},
                                                {"conditions", {{"spend", {{"days", 30}, {"min", 1}}}}}}))
                    .has_value());
    const auto live = world.services.segments.count_of(analyst, "spenders");
    ASSERT_TRUE(live.has_value()) << live.error().message;
    EXPECT_EQ(live->basis, service::CountBasis::kEveryMember);
    EXPECT_EQ(live->members, 1);
    EXPECT_EQ(live->active_members, 3);
    ASSERT_TRUE(world.services.insight.refresh(world.program_id, 365).has_value());
    // As if it had been saved under rules that were looser than today's.
    world.db.raw() << "UPDATE segments SET conditions = '{\"spend\": {\"min\": 1}}' WHERE code = 'spenders'";
    const auto stored = world.services.segments.count_of(analyst, "spenders");
    ASSERT_TRUE(stored.has_value()) << stored.error().message;
    EXPECT_EQ(stored->basis, service::CountBasis::kLastRefresh);
    EXPECT_EQ(stored->members, 1);
    EXPECT_EQ(stored->computed_at, today_);
    ASSERT_TRUE(stored->definition_problem.has_value());
    EXPECT_EQ(stored->definition_problem->field, "conditions.spend.days");
    EXPECT_EQ(world.services.segments.count_of(analyst, "none").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(world.services.segments.count_of(support, "spenders").error().code, ErrorCode::kForbidden);
}

TEST_F(SegmentsTest, ACountBeyondItsBoundJudgesEvenlySpreadSamplesAndScales) {
    service::SegmentService bounded(world.db.database(), world.keys, world.clock, 2);
    const auto everyone = bounded.count(analyst, core::SegmentConditions{});
    ASSERT_TRUE(everyone.has_value()) << everyone.error().message;
    EXPECT_EQ(everyone->basis, service::CountBasis::kSample);
    EXPECT_EQ(everyone->active_members, 3);
    EXPECT_EQ(everyone->scanned, 2) << "one member from each half of the ids";
    EXPECT_EQ(everyone->members, 3) << "every judged member holds: all of them";
    const auto within = world.services.segments.count(analyst, core::SegmentConditions{});
    ASSERT_TRUE(within.has_value());
    EXPECT_EQ(within->basis, service::CountBasis::kEveryMember);
    EXPECT_EQ(within->scanned, 3);
}

}  // namespace
}  // namespace patron
