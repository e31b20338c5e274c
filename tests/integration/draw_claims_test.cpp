// Prize draws' claims and unclaimed prizes against a real MariaDB, with a clock the test moves:
// staff record a prize handed over before its claim_by, and not after; once a claim_by passes,
// patrond's housekeeping forfeits the place and passes its prize to the first reserve waiting, who
// is told (a draw_won event and a message) and has claim_days of her own; with no reserve left the
// prize stays with the programme; `verify` finds the places consistent throughout.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <map>
#include <nlohmann/json.hpp>

#include "loyalty/core/draws.h"
#include "tests/support/verified_world.h"

namespace patron {
namespace {

using nlohmann::json;

// An instant as the draw terms take it: RFC 3339 to the second.
std::string whole_seconds(core::Timestamp at) {
    return core::format_utc(at, core::TimeFormat::kRfc3339).substr(0, 19) + "Z";
}

class DrawClaims : public testing::VerifiedWorldTest {
  protected:
    void SetUp() override {
        const core::Timestamp now = world.clock.now();
        const auto terms =
            core::decode_draw_terms({{"name", "Autumn draw"},
                                     {"prizes", {{{"name", "Bicycle"}, {"count", 1}}, {{"name", "Mug"}, {"count", 1}}}},
                                     {"opens_at", whole_seconds(now - std::chrono::hours(1))},
                                     {"closes_at", whole_seconds(now + std::chrono::hours(1))},
                                     {"entries", {{"per_purchase", 1}}},
                                     {"caps", {{"per_member", 5}}},
                                     {"reserves", 1},
                                     {"claim_days", 7},
                                     {"public_value", "The first drand round after the close"}});
        ASSERT_TRUE(terms.has_value()) << terms.error().message;
        const auto made = world.services.draws.create(marketer, *terms);
        ASSERT_TRUE(made.has_value()) << made.error().message;
        id = made->draw.id;
        ASSERT_TRUE(world.services.draws.publish(marketer, id).has_value());
        // Four entrants for two prizes and a reserve: one purchase each.
        for (int i = 0; i < 4; ++i) {
            const std::string phone = "0912000010" + std::to_string(i);
            // Messages go by the channel her consents allow: SMS here.
            core::MemberApplication application{"Entrant " + std::to_string(i), phone,
                                                "entrant" + std::to_string(i) + "@example.ir", "1990-04-12", "en"};
            application.consents.marketing_sms = true;
            const auto enrolled = world.members.enrol_unattended(world.program_id, application);
            ASSERT_TRUE(enrolled.has_value()) << enrolled.error().message;
            const service::EnrolledMember member = *enrolled;
            phones[member.id] = "+98" + phone.substr(1);
            ASSERT_FALSE(committed(world.purchase("a" + std::to_string(i), 100000, member.card_number)).is_null());
        }
        world.clock.set(now + std::chrono::hours(2));
        const auto run = world.services.draws.run(marketer, id, "drand round 1: 00ff");
        ASSERT_TRUE(run.has_value()) << run.error().message;
        drawn_at = world.clock.now();
        ASSERT_EQ(run->places.size(), 3U);
    }

    std::vector<store::DrawPlaceRecord> places() {
        const auto view = world.services.draws.get(support, id);
        EXPECT_TRUE(view.has_value());
        return view ? view->places : std::vector<store::DrawPlaceRecord>{};
    }
    long long pass_on() {
        const auto forfeited = world.services.draws.pass_unclaimed_prizes();
        EXPECT_TRUE(forfeited.has_value()) << forfeited.error().message;
        return forfeited.value_or(-1);
    }
    // The draw_won events about the member, oldest first.
    std::vector<json> told(long long member_id) {
        std::vector<json> found;
        soci::rowset<soci::row> rows =
            (world.db.raw().prepare << "SELECT data FROM outbox_events WHERE event_type = 'draw_won' AND member_id = "
                                    << member_id << " ORDER BY id");
        for (const soci::row& row : rows) found.push_back(json::parse(row.get<std::string>(0)));
        return found;
    }
    const service::StaffIdentity support{world.program_id, "support", core::StaffRole::kSupport};
    const service::StaffIdentity analyst{world.program_id, "analyst", core::StaffRole::kAnalyst};
    long long id = 0;
    core::Timestamp drawn_at{};
    std::map<long long, std::string> phones;  // Each entrant's, as messages are sent to it.
};

TEST_F(DrawClaims, AnUnclaimedPrizePassesToTheFirstReserveWhoIsToldAndThenStaysWithTheProgramme) {
    using core::DrawPlaceState;
    const auto claim_by = drawn_at + std::chrono::days(7);
    ASSERT_EQ(places()[0].claim_by, claim_by);
    const long long bicycle_winner = places()[0].member_id;
    const long long reserve = places()[2].member_id;

    // The mug is handed over within its days; an analyst may not record it.
    world.clock.set(drawn_at + std::chrono::days(1));
    const auto refused = world.services.draws.claim(analyst, id, 2);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kForbidden);
    const auto handed = world.services.draws.claim(support, id, 2);
    ASSERT_TRUE(handed.has_value()) << handed.error().message;
    EXPECT_EQ(handed->places[1].state, DrawPlaceState::kClaimed);
    EXPECT_EQ(handed->places[1].claimed_at, world.clock.now());
    EXPECT_EQ(pass_on(), 0) << "nothing has lapsed yet";

    // The bicycle's claim_by passes: a late claim is refused even before the housekeeping runs.
    world.clock.set(claim_by);
    const auto late = world.services.draws.claim(support, id, 1);
    ASSERT_FALSE(late.has_value());
    EXPECT_EQ(late.error().code, core::ErrorCode::kDrawPrizeNotClaimable);
    EXPECT_EQ(late.error().field, "place");
    EXPECT_EQ(places()[0].state, DrawPlaceState::kWon) << "the refused claim wrote nothing";

    ASSERT_EQ(told(reserve).size(), 1U);
    EXPECT_EQ(told(reserve)[0]["state"], "reserve");
    EXPECT_EQ(pass_on(), 1);
    auto now = places();
    EXPECT_EQ(now[0].state, DrawPlaceState::kForfeited);
    EXPECT_EQ(now[0].member_id, bicycle_winner);
    EXPECT_EQ(now[1].state, DrawPlaceState::kClaimed) << "a claimed prize stays claimed";
    EXPECT_EQ(now[2].state, DrawPlaceState::kWon);
    EXPECT_EQ(now[2].prize, 0) << "the bicycle";
    EXPECT_EQ(now[2].claim_by, claim_by + std::chrono::days(7)) << "her own claim_days from now";
    // She is told, as a winner is: an event for webhooks and a message.
    ASSERT_EQ(told(reserve).size(), 2U);
    EXPECT_EQ(told(reserve)[1]["state"], "won");
    EXPECT_EQ(told(reserve)[1]["prize"], "Bicycle");
    EXPECT_EQ(told(reserve)[1]["place"], 3);
    const auto round = world.services.messages.send_due(50);
    ASSERT_TRUE(round.has_value());
    bool messaged = false;
    for (const service::MemberMessage& message : world.notifier.messages) {
        messaged |= message.kind == "draw_won" && message.text.find("Bicycle") != std::string::npos &&
                    message.to == phones[reserve];
    }
    EXPECT_TRUE(messaged) << "the reserve hears she won the bicycle";
    EXPECT_EQ(pass_on(), 0) << "passed on once";
    const auto gone = world.services.draws.claim(support, id, 1);
    ASSERT_FALSE(gone.has_value());
    EXPECT_EQ(gone.error().code, core::ErrorCode::kDrawPrizeNotClaimable);
    expect_verified();

    // She does not claim it either: no reserve is left, so the bicycle stays with the programme.
    world.clock.set(claim_by + std::chrono::days(7) + std::chrono::minutes(1));
    EXPECT_EQ(pass_on(), 1);
    now = places();
    EXPECT_EQ(now[2].state, DrawPlaceState::kForfeited);
    EXPECT_EQ(now[2].prize, 0);
    EXPECT_EQ(told(reserve).size(), 2U);
    EXPECT_EQ(pass_on(), 0);
    expect_verified();
}

}  // namespace
}  // namespace patron
