// The Members report's aggregates (issue 17) against the purchases themselves: a member's account
// keeps the first and last purchase not voided through purchases, voids, returns and claims of
// older anonymous purchases, and the report read through them says what a full recount from the
// purchases says, for every way of cutting the range, per store, and with a range that ended
// before some members bought again or enrolled.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <optional>

#include "crypto/digest.h"
#include "loyalty/core/members_report_document.h"
#include "loyalty/service/runtime/time_zones.h"
#include "pos-adapter/purchase_answer.h"
#include "tests/support/members_recount.h"
#include "tests/support/test_world.h"

namespace patron::testing {
namespace {

using std::chrono::days;
using std::chrono::hours;

struct PurchaseSpan {
    std::optional<std::string> first;
    std::optional<std::string> last;
    bool operator==(const PurchaseSpan&) const = default;
};

std::ostream& operator<<(std::ostream& out, const PurchaseSpan& span) {
    return out << span.first.value_or("null") << " .. " << span.last.value_or("null");
}

class MembersReportCounts : public ::testing::Test {
  protected:
    void buy(const std::string& receipt, long long amount, const std::optional<std::string>& card) {
        const auto outcome =
            world.purchases.commit(world.terminal, world.purchase(receipt, amount, card),
                                   crypto::sha256(crypto::as_bytes(receipt)), pos::encode_purchase_answer);
        ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
    }
    void take_back(const std::string& receipt, const std::string& original, bool is_void) {
        core::ReturnRequest request = world.return_request(
            receipt, original,
            is_void ? std::vector<core::ReturnedLine>{} : std::vector<core::ReturnedLine>{{1, 1000}});
        request.is_void = is_void;
        if (is_void) request.key.business_day = *core::parse_date("2026-11-22");
        const auto done = world.returns.commit(world.terminal, request, crypto::sha256(crypto::as_bytes(receipt)),
                                               pos::encode_purchase_answer);
        ASSERT_TRUE(done.has_value()) << done.error().message;
    }
    void at_day(int day, int hour = 10) { world.clock.set(start + days{day} + hours{hour}); }
    std::string instant() const { return core::format_utc(world.clock.now(), core::TimeFormat::kSql); }

    // What the account keeps, and what the member's purchases say, as DATETIME(6) text.
    PurchaseSpan kept(long long member_id) {
        return span_of(
            "SELECT DATE_FORMAT(first_purchase_at, '%Y-%m-%d %H:%i:%s.%f'),"
            " DATE_FORMAT(last_purchase_at, '%Y-%m-%d %H:%i:%s.%f') FROM member_accounts"
            " WHERE member_id = :member",
            member_id);
    }
    PurchaseSpan recounted(long long member_id) {
        return span_of(
            "SELECT DATE_FORMAT(MIN(received_at), '%Y-%m-%d %H:%i:%s.%f'),"
            " DATE_FORMAT(MAX(received_at), '%Y-%m-%d %H:%i:%s.%f') FROM purchases"
            " WHERE member_id = :member AND kind = 'purchase' AND voided_at IS NULL",
            member_id);
    }
    PurchaseSpan span_of(const std::string& query, long long member_id) {
        std::string first, last;
        soci::indicator first_null = soci::i_ok, last_null = soci::i_ok;
        world.db.raw() << query, soci::into(first, first_null), soci::into(last, last_null), soci::use(member_id);
        return {first_null == soci::i_ok ? std::optional(first) : std::nullopt,
                last_null == soci::i_ok ? std::optional(last) : std::nullopt};
    }
    void expect_kept_as_recounted() {
        for (const auto& enrolled : {sara, reza, mina}) {
            EXPECT_EQ(kept(enrolled.id), recounted(enrolled.id)) << "member " << enrolled.id;
        }
    }

    TestWorld world;
    const core::Timestamp start = world.clock.now();
    service::EnrolledMember sara = world.enrol("Sara Karimi", "09123456789", "sara@example.ir");
    service::EnrolledMember reza = world.enrol("Reza Ahmadi", "09121112233", "reza@example.ir");
    service::EnrolledMember mina = world.enrol("Mina Rahimi", "09124445566", "mina@example.ir");
};

TEST_F(MembersReportCounts, TheAccountKeepsTheFirstAndLastPurchaseAsThePurchasesSayThroughVoidsReturnsAndClaims) {
    EXPECT_EQ(kept(sara.id), PurchaseSpan{}) << "no purchase yet";
    at_day(0);
    buy("0", 400000, std::nullopt);  // Anonymous: nobody's.
    const std::string anonymous_at = instant();
    at_day(1);
    buy("1", 900000, sara.card_number);
    const std::string sara_first = instant();
    EXPECT_EQ(kept(sara.id), (PurchaseSpan{sara_first, sara_first}));
    at_day(3);
    buy("2", 500000, sara.card_number);
    const std::string sara_second = instant();
    at_day(3, 11);
    buy("3", 700000, sara.card_number);
    EXPECT_EQ(kept(sara.id), (PurchaseSpan{sara_first, instant()}));
    take_back("V3", "3", true);
    EXPECT_EQ(kept(sara.id), (PurchaseSpan{sara_first, sara_second})) << "the void gives the last back";
    take_back("V1", "1", true);
    EXPECT_EQ(kept(sara.id), (PurchaseSpan{sara_second, sara_second})) << "and the first";
    at_day(4);
    buy("4", 300000, reza.card_number);
    const std::string reza_first = instant();
    at_day(4, 11);
    buy("4b", 350000, reza.card_number);
    take_back("R4", "4", false);
    EXPECT_EQ(kept(reza.id), (PurchaseSpan{reza_first, instant()})) << "a return is no void";
    take_back("V4", "4b", true);
    EXPECT_EQ(kept(reza.id), (PurchaseSpan{reza_first, reza_first})) << "the void counts them again";
    at_day(5);
    buy("5", 200000, mina.card_number);
    const std::string mina_own = instant();
    const auto claimed = world.purchases.claim(
        service::StaffIdentity{world.program_id, "Ali (support)", core::StaffRole::kSupport}, mina.id,
        {"S042", "T07", *core::parse_date("2026-11-22"), "0"}, std::nullopt, pos::encode_purchase_answer);
    ASSERT_TRUE(claimed.has_value()) << claimed.error().message;
    EXPECT_EQ(kept(mina.id), (PurchaseSpan{anonymous_at, mina_own})) << "the claimed purchase is older";
    expect_kept_as_recounted();
}

TEST_F(MembersReportCounts, TheReportSaysWhatAFullRecountFromThePurchasesSays) {
    // Purchases around Tehran's midnight (20:30 UTC), voids, a return, a claim, and purchases
    // after the end of the shorter ranges, so that their snapshot looks past the accounts.
    at_day(0, 20);
    buy("0", 400000, std::nullopt);
    for (int day = 0; day < 50; day += 3) {
        at_day(day, 20 + day % 2);
        const std::string n = std::to_string(day);
        buy("s" + n, 100000 + day * 1000, sara.card_number);
        if (day % 2 == 0) buy("r" + n, 300000, reza.card_number);
        if (day == 9) take_back("Vs" + n, "s" + n, true);
        if (day == 12) take_back("Rr" + n, "r" + n, false);
        if (day >= 30 && day % 9 == 3) buy("m" + n, 50000, mina.card_number);
    }
    // A member enrolled after the shorter ranges end, who buys: their snapshots leave him out.
    at_day(31);
    const service::EnrolledMember omid = world.enrol("Omid Nouri", "09127778899", "omid@example.ir");
    buy("o31", 600000, omid.card_number);
    at_day(2);
    ASSERT_TRUE(world.purchases
                    .claim(service::StaffIdentity{world.program_id, "Ali", core::StaffRole::kSupport}, mina.id,
                           {"S042", "T07", *core::parse_date("2026-11-22"), "0"}, std::nullopt,
                           pos::encode_purchase_answer)
                    .has_value());
    at_day(55);
    expect_kept_as_recounted();

    const core::LocalDate first_day = core::local_date(*service::locate_time_zone("Asia/Tehran"), start);
    const auto date_after = [&](int days_later) {
        return core::LocalDate{std::chrono::sys_days{first_day} + days{days_later}};
    };
    struct Asked {
        int from, to;
        core::PeriodSize by;
        bool by_store;
        std::optional<std::string> store;
    };
    const Asked asked[] = {
        {0, 55, core::PeriodSize::kDay, false, std::nullopt},    {0, 55, core::PeriodSize::kWeek, true, std::nullopt},
        {0, 55, core::PeriodSize::kMonth, false, "S042"},        {5, 20, core::PeriodSize::kDay, true, std::nullopt},
        {10, 40, core::PeriodSize::kTotal, false, std::nullopt}, {0, 30, core::PeriodSize::kJalaliMonth, true, "S042"},
    };
    for (const Asked& ask : asked) {
        core::ReportRequest request;
        request.from = date_after(ask.from);
        request.to = date_after(ask.to);
        request.by = ask.by;
        request.by_store = ask.by_store;
        request.store = ask.store;
        const auto report = world.services.members_report.report_of_program(world.program_id, request);
        ASSERT_TRUE(report.has_value()) << report.error().message;
        const core::MembersReport recount =
            recount_members_report(world.db.raw(), world.program_id, request, world.clock.now());
        EXPECT_EQ(core::members_report_json(*report), core::members_report_json(recount))
            << "days " << ask.from << " to " << ask.to << " by " << core::to_string(ask.by);
        EXPECT_GT(report->total.buyers.counts.buyers, 0);
    }
}

}  // namespace
}  // namespace patron::testing
