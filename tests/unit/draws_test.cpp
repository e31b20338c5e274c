// The pure side of prize draws: the terms document (every problem by its path), the entries a
// basket earns within the caps, what a return leaves, packaging codes as typed, and the draw's
// places, checked against a plain walk of the pool for many pools and keyed hashes.
#include "loyalty/core/draws.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "loyalty/core/member_history.h"

namespace patron::core {
namespace {

using nlohmann::json;

json terms_document() {
    return {{"name", "Summer draw"},
            {"prizes", {{{"name", "Bicycle"}, {"count", 1}}, {{"name", "Gift card"}, {"count", 2}}}},
            {"opens_at", "2026-12-01T00:00:00Z"},
            {"closes_at", "2026-12-31T00:00:00Z"},
            {"entries",
             {{"per_purchase", 1},
              {"per_amount", {{"amount", 100000}, {"entries", 1}}},
              {"skus", {{"TEA-1", 2}}},
              {"min_spend", 50000},
              {"per_code", 3}}},
            {"caps", {{"per_member", 10}, {"per_purchase", 5}}},
            {"reserves", 2},
            {"public_value", "drand"}};
}

std::set<std::string> problem_fields(const Result<DrawTerms>& decoded) {
    std::set<std::string> fields;
    if (decoded) return fields;
    for (const auto& problem : decoded.error().problems) fields.insert(problem.field);
    return fields;
}

TEST(DrawTerms, ReadAndWrittenBackAlike) {
    const auto terms = decode_draw_terms(terms_document());
    ASSERT_TRUE(terms) << terms.error().message;
    EXPECT_EQ(terms->prize_places(), 3);
    EXPECT_EQ(terms->places(), 5);
    EXPECT_EQ(terms->claim_days, 30);
    const auto again = decode_draw_terms(encode_draw_terms(*terms));
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *terms);
}

TEST(DrawTerms, EveryProblemIsNamedByItsPath) {
    json bad = terms_document();
    bad["name"] = std::string(81, 'x');
    bad["prizes"][1]["count"] = 0;
    bad["closes_at"] = "2026-11-30T00:00:00Z";
    bad["entries"]["skus"]["TEA-1"] = 0;
    bad["entries"]["per_code"] = 101;
    bad["caps"] = {{"per_purchase", 2}};
    bad["reserves"] = -1;
    bad["public_value"] = "";
    bad["extra"] = true;
    EXPECT_EQ(problem_fields(decode_draw_terms(bad)),
              (std::set<std::string>{"name", "prizes[1].count", "closes_at", "entries.skus.TEA-1", "entries.per_code",
                                     "caps.per_member", "reserves", "public_value", "extra"}));
    json nothing = terms_document();
    nothing["entries"] = json::object();
    EXPECT_EQ(problem_fields(decode_draw_terms(nothing)), (std::set<std::string>{"entries"}));
    json long_window = terms_document();
    long_window["closes_at"] = "2028-01-01T00:00:00Z";
    EXPECT_EQ(problem_fields(decode_draw_terms(long_window)), (std::set<std::string>{"closes_at"}));
}

TEST(DrawEntries, ABasketEarnsByPurchaseAmountAndSkuWithinTheCaps) {
    const DrawTerms terms = *decode_draw_terms(terms_document());
    EXPECT_EQ(basket_entries(terms.entries, DrawBasket{49999, {}}), 0) << "under the least spend";
    EXPECT_EQ(basket_entries(terms.entries, DrawBasket{250000, {}}), 3);
    // 2.5 units of tea are 2 whole units: 4 entries more.
    EXPECT_EQ(basket_entries(terms.entries, DrawBasket{250000, {{"TEA-1", 2500}, {"COF-1", 1000}}}), 7);
    EXPECT_EQ(entries_within_caps(terms, 7, 0, true), 5) << "per purchase";
    EXPECT_EQ(entries_within_caps(terms, 7, 0, false), 7) << "a code is not a purchase";
    EXPECT_EQ(entries_within_caps(terms, 3, 9, false), 1) << "per member";
    EXPECT_EQ(entries_within_caps(terms, 3, 10, true), 0);
}

TEST(DrawEntries, AHugeBasketSaturatesAtTheCapRatherThanOverflow) {
    json document = terms_document();
    document["entries"]["per_amount"] = {{"amount", 1}, {"entries", 100}};
    const DrawTerms terms = *decode_draw_terms(document);
    EXPECT_EQ(
        basket_entries(terms.entries, DrawBasket{1'000'000'000'000'000'000, {{"TEA-1", 9'000'000'000'000'000'000}}}),
        kDrawCapMax);
}

TEST(DrawEntries, AReturnLeavesWhatItsRemainingLinesEarn) {
    const std::vector<OriginalLine> lines = {{1, 3000, 300000, 1000, "TEA-1"}, {2, 1000, 100000, 0, "COF-1"}};
    // Returned before: one tea; now: another tea and the coffee.
    const DrawBasket left = remaining_basket(lines, {{1, 1000}, {2, 1000}}, 100000);
    EXPECT_EQ(left.total, 100000);
    EXPECT_EQ(left.sku_milli.at("TEA-1"), 1000);
    EXPECT_EQ(left.sku_milli.at("COF-1"), 0);
    const DrawTerms terms = *decode_draw_terms(terms_document());
    EXPECT_EQ(basket_entries(terms.entries, left), 1 + 1 + 2);
}

TEST(DrawRun, APublicValueHasOneWayToBeWrittenAndReferencesComeFromTheHash) {
    EXPECT_TRUE(decode_draw_run_request({{"public_value", "lottery 1404-09-15: 31 07 22"}}));
    EXPECT_FALSE(decode_draw_run_request({{"public_value", " 42"}}));
    EXPECT_FALSE(decode_draw_run_request({{"public_value", "42\n"}}));
    EXPECT_FALSE(decode_draw_run_request({{"public_value", ""}}));
    std::array<std::uint8_t, 32> hash{};
    for (std::size_t i = 0; i < hash.size(); ++i) hash[i] = static_cast<std::uint8_t>(i);
    EXPECT_EQ(draw_reference(hash), "23456789ABCD");
    EXPECT_EQ(draw_reference_message(7, 0), "patron-draw-reference-v1\n7\n0");
}

TEST(DrawCodes, AreReadAsPeopleTypeThem) {
    EXPECT_EQ(read_draw_code("abcd-efgh-jkmn"), "ABCDEFGHJKMN");
    EXPECT_EQ(read_draw_code(" ABCD EFGH JKMN "), "ABCDEFGHJKMN");
    EXPECT_EQ(read_draw_code("ABCD-EFGH-JKM"), std::nullopt) << "too short";
    EXPECT_EQ(read_draw_code("ABCD-EFGH-JKM0"), std::nullopt) << "0 is not in the alphabet";
    EXPECT_EQ(shown_draw_code("ABCDEFGHJKMN"), "ABCD-EFGH-JKMN");
    EXPECT_EQ(draw_rule_id(42), "draw:42");
}

// A keyed hash from a seeded generator: what the draw does with the bytes is under test here.
KeyedHash fake_hash(std::uint64_t seed) {
    return [seed](std::string_view message) {
        std::seed_seq sequence{seed, std::hash<std::string_view>{}(message)};
        std::mt19937_64 generator(sequence);
        std::array<std::uint8_t, 32> bytes{};
        for (std::uint8_t& byte : bytes) byte = static_cast<std::uint8_t>(generator());
        return bytes;
    };
}

// The same draw by walking a plain list.
std::vector<DrawnPlace> walked(std::vector<DrawEntrant> entrants, std::int64_t places, const KeyedHash& hash) {
    std::vector<std::size_t> index(entrants.size());
    for (std::size_t i = 0; i < index.size(); ++i) index[i] = i;
    std::vector<DrawnPlace> drawn;
    for (std::int64_t place = 0; place < places && !index.empty(); ++place) {
        std::uint64_t tickets = 0;
        for (std::size_t i : index) tickets += static_cast<std::uint64_t>(entrants[i].tickets);
        for (std::int64_t attempt = 0;; ++attempt) {
            const auto bytes = hash(draw_message("digest", "value", place, attempt));
            std::uint64_t x = 0;
            for (int i = 0; i < 8; ++i) x = (x << 8) | bytes[i];
            const unsigned __int128 whole = static_cast<unsigned __int128>(1) << 64;
            if (x >= whole - whole % tickets) continue;
            auto ticket = static_cast<std::int64_t>(x % tickets);
            const std::int64_t chosen = ticket;
            std::size_t at = 0;
            while (ticket >= entrants[index[at]].tickets) ticket -= entrants[index[at++]].tickets;
            drawn.push_back(DrawnPlace{place, index[at], chosen, attempt});
            index.erase(index.begin() + static_cast<std::ptrdiff_t>(at));
            break;
        }
    }
    return drawn;
}

TEST(DrawPlaces, AreThoseAPlainWalkOfThePoolGives) {
    std::mt19937 random(7);
    for (int round = 0; round < 200; ++round) {
        std::vector<DrawEntrant> entrants(1 + random() % 40);
        for (std::size_t i = 0; i < entrants.size(); ++i) {
            entrants[i] = DrawEntrant{std::to_string(1000 + i), 1 + static_cast<std::int64_t>(random() % 30)};
        }
        const std::int64_t places = 1 + static_cast<std::int64_t>(random() % 50);
        const KeyedHash hash = fake_hash(static_cast<std::uint64_t>(round));
        const auto drawn = draw_places(entrants, places, "digest", "value", hash);
        const auto expected = walked(entrants, places, hash);
        ASSERT_EQ(drawn.size(), expected.size());
        EXPECT_EQ(drawn.size(), std::min<std::size_t>(entrants.size(), static_cast<std::size_t>(places)));
        std::set<std::size_t> distinct;
        for (std::size_t i = 0; i < drawn.size(); ++i) {
            EXPECT_EQ(drawn[i].entrant, expected[i].entrant) << "round " << round << " place " << i;
            EXPECT_EQ(drawn[i].ticket, expected[i].ticket);
            EXPECT_EQ(drawn[i].attempt, expected[i].attempt);
            distinct.insert(drawn[i].entrant);
        }
        EXPECT_EQ(distinct.size(), drawn.size()) << "one place per entrant";
    }
}

TEST(DrawPlaces, FavourEntrantsInProportionToTheirTickets) {
    // One entrant with 3 tickets against one with 1: the first place goes 3:1.
    const std::vector<DrawEntrant> entrants = {{"A", 3}, {"B", 1}};
    int first = 0;
    constexpr int kRuns = 4000;
    for (int run = 0; run < kRuns; ++run) {
        if (draw_places(entrants, 1, "d", "v", fake_hash(static_cast<std::uint64_t>(run)))[0].entrant == 0) ++first;
    }
    EXPECT_NEAR(static_cast<double>(first) / kRuns, 0.75, 0.03);
}

TEST(DrawRun, EntrantsTakeTheirReferencesFromTheHashInOrderAndDistinct) {
    // A hash that gives members 1 and 2 the same bytes in round 0: the second takes round 1's.
    const KeyedHash hash = [](std::string_view message) {
        std::array<std::uint8_t, 32> bytes{};
        const bool first_round = message.ends_with("\n0");
        const bool third = message.find("\n3\n") != std::string_view::npos;
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            bytes[i] = static_cast<std::uint8_t>(third ? 0 : first_round ? 31 : 1);
        }
        return bytes;
    };
    const auto entrants = draw_entrants({{1, 5}, {2, 1}, {3, 2}}, hash);
    ASSERT_EQ(entrants.size(), 3U);
    EXPECT_EQ(entrants[0].reference, "222222222222");  // Member 3, round 0.
    EXPECT_EQ(entrants[0].member_id, 3);
    EXPECT_EQ(entrants[1].reference, "333333333333");  // Member 2, round 1: round 0 was taken.
    EXPECT_EQ(entrants[1].member_id, 2);
    EXPECT_EQ(entrants[2].reference, "ZZZZZZZZZZZZ");  // Member 1, round 0.
    EXPECT_EQ(entrants[2].tickets, 5);
}

TEST(DrawRun, PrizePlacesHaveTheirPrizeAndClaimByAndReservesNeither) {
    const DrawTerms terms = *decode_draw_terms(terms_document());  // 1 + 2 prizes, 2 reserves, 30 days.
    std::vector<DrawEntrant> entrants;
    for (int i = 0; i < 7; ++i) entrants.push_back(DrawEntrant{"R" + std::to_string(i), 1, i});
    const Timestamp drawn_at = terms.closes_at + std::chrono::hours(1);
    const auto places = run_draw(terms, entrants, "digest", "value", fake_hash(3), drawn_at);
    ASSERT_EQ(places.size(), 5U);
    EXPECT_EQ(places[0].prize, 0U);
    EXPECT_EQ(places[2].prize, 1U);
    EXPECT_EQ(places[2].claim_by, drawn_at + std::chrono::days(30));
    EXPECT_EQ(places[3].prize, std::nullopt);
    EXPECT_EQ(places[4].claim_by, std::nullopt);
    EXPECT_EQ(terms.prize_name(1), "Gift card");
    EXPECT_EQ(terms.prize_name(std::nullopt), std::nullopt);
    EXPECT_EQ(terms.prize_name(7), std::nullopt);
}

TEST(DrawPlaces, PrizesComeInTheListsOrderThenTheReserves) {
    const DrawTerms terms = *decode_draw_terms(terms_document());
    EXPECT_EQ(prize_of_place(terms, 0), 0U);
    EXPECT_EQ(prize_of_place(terms, 1), 1U);
    EXPECT_EQ(prize_of_place(terms, 2), 1U);
    EXPECT_EQ(prize_of_place(terms, 3), std::nullopt);
    EXPECT_EQ(entrants_text({{"A", 3}, {"B", 1}}), "A,3\nB,1\n");
}

TEST(DrawEntries, ATillAheadOfPatronsClockEntersAtPatronsTime) {
    const Timestamp received = Timestamp{std::chrono::seconds(1'800'000'000)};
    EXPECT_EQ(entry_moment(received - std::chrono::hours(3), received), received - std::chrono::hours(3))
        << "an offline till's purchase keeps its time";
    EXPECT_EQ(entry_moment(received + std::chrono::days(300), received), received);
}

TEST(DrawState, IsShownByTheWindow) {
    const DrawTerms terms = *decode_draw_terms(terms_document());
    EXPECT_EQ(shown_draw_state(DrawState::kPublished, terms, terms.opens_at - std::chrono::seconds(1)), "scheduled");
    EXPECT_EQ(shown_draw_state(DrawState::kPublished, terms, terms.opens_at), "open");
    EXPECT_EQ(shown_draw_state(DrawState::kPublished, terms, terms.closes_at), "closed");
    EXPECT_EQ(shown_draw_state(DrawState::kDraft, terms, terms.opens_at), "draft");
    EXPECT_TRUE(takes_entries(DrawState::kPublished, terms, terms.opens_at));
    EXPECT_FALSE(takes_entries(DrawState::kPublished, terms, terms.closes_at));
    EXPECT_FALSE(takes_entries(DrawState::kDrawn, terms, terms.opens_at));
    EXPECT_TRUE(admits(terms, std::nullopt, "gold", {}));
}

// Two prizes and two reserves: the second prize is claimed in time, the first lapses and passes
// to the first reserve; when hers lapses too it passes to the second, and after that nobody.
TEST(DrawClaims, AnUnclaimedPrizePassesToTheReservesInTheirOrderAndThenStays) {
    DrawTerms terms = *decode_draw_terms(terms_document());
    terms.claim_days = 7;
    const Timestamp drawn = terms.closes_at;
    const Timestamp due = drawn + std::chrono::days(7);
    const std::vector<DrawStanding> places = {
        {0, 0, DrawPlaceState::kWon, due},
        {1, 1, DrawPlaceState::kClaimed, due},
        {2, std::nullopt, DrawPlaceState::kReserve, std::nullopt},
        {3, std::nullopt, DrawPlaceState::kReserve, std::nullopt},
    };
    EXPECT_TRUE(pass_unclaimed_prizes(terms, places, due - std::chrono::seconds(1)).empty());
    const auto first = pass_unclaimed_prizes(terms, places, due);
    const std::vector<DrawStanding> expected = {
        {0, 0, DrawPlaceState::kForfeited, due},
        {2, 0, DrawPlaceState::kWon, due + std::chrono::days(7)},
    };
    EXPECT_EQ(first, expected);

    std::vector<DrawStanding> after = places;
    after[0] = first[0];
    after[2] = first[1];
    const auto second = pass_unclaimed_prizes(terms, after, due + std::chrono::days(8));
    const std::vector<DrawStanding> then = {
        {2, 0, DrawPlaceState::kForfeited, due + std::chrono::days(7)},
        {3, 0, DrawPlaceState::kWon, due + std::chrono::days(15)},
    };
    EXPECT_EQ(second, then);
    after[2] = second[0];
    after[3] = second[1];
    EXPECT_EQ(pass_unclaimed_prizes(terms, after, due + std::chrono::days(30)),
              (std::vector<DrawStanding>{{3, 0, DrawPlaceState::kForfeited, due + std::chrono::days(15)}}))
        << "no reserve left: the prize stays with the programme";
}

TEST(DrawClaims, TheEarliestLapsedPrizeTakesTheFirstReserve) {
    DrawTerms terms = *decode_draw_terms(terms_document());
    const Timestamp at = terms.closes_at;
    const std::vector<DrawStanding> places = {
        {0, 0, DrawPlaceState::kWon, at + std::chrono::days(2)},
        {1, 1, DrawPlaceState::kWon, at + std::chrono::days(1)},
        {2, std::nullopt, DrawPlaceState::kReserve, std::nullopt},
    };
    const auto changes = pass_unclaimed_prizes(terms, places, at + std::chrono::days(3));
    ASSERT_EQ(changes.size(), 3U);
    EXPECT_EQ(changes[0].state, DrawPlaceState::kForfeited);
    EXPECT_EQ(changes[1].state, DrawPlaceState::kForfeited);
    EXPECT_EQ(changes[2].prize, 1) << "place 2 lapsed first: its prize goes to the reserve";
}

TEST(DrawClaims, OnlyAWonPlaceBeforeItsClaimByIsClaimable) {
    const Timestamp due = Timestamp{std::chrono::seconds(1'800'000'000)};
    EXPECT_TRUE(claimable({0, 0, DrawPlaceState::kWon, due}, due - std::chrono::seconds(1)).has_value());
    for (const DrawStanding& standing :
         {DrawStanding{0, 0, DrawPlaceState::kWon, due}, DrawStanding{0, 0, DrawPlaceState::kClaimed, due},
          DrawStanding{0, 0, DrawPlaceState::kForfeited, due},
          DrawStanding{2, std::nullopt, DrawPlaceState::kReserve, std::nullopt}}) {
        const auto refused = claimable(standing, due);
        ASSERT_FALSE(refused.has_value()) << to_string(standing.state);
        EXPECT_EQ(refused.error().code, ErrorCode::kDrawPrizeNotClaimable);
        EXPECT_EQ(refused.error().field, "place");
    }
    for (const DrawPlaceState state :
         {DrawPlaceState::kWon, DrawPlaceState::kClaimed, DrawPlaceState::kForfeited, DrawPlaceState::kReserve}) {
        EXPECT_EQ(parse_draw_place_state(to_string(state)), state);
    }
    EXPECT_EQ(parse_draw_place_state("lost"), std::nullopt);
}

TEST(DrawHistory, SaysWhereEntriesCameFromAndWhatAReturnTookBack) {
    DrawHistoryItem bought{
        1, 4, "Summer draw", "",
        3, 1, Timestamp{},   HistoryPurchase{"purchase", "S001", "1532", "2026-12-01", 250000, "IRR"}};
    EXPECT_EQ(describe(bought, Language::kEnglish),
              "+3 entries in Summer draw on receipt 1532 at S001; 2 taken back by a return");
    EXPECT_EQ(describe(bought, Language::kPersian),
              "+۳ شانس در قرعه‌کشی Summer draw با رسید 1532 در فروشگاه S001؛ ۲ شانس بابت مرجوعی "
              "کسر "
              "شد");
    const DrawHistoryItem coded{2, 4, "Summer draw", "ABCD-EFGH-JKLM", 1, 1, Timestamp{}, std::nullopt};
    EXPECT_EQ(describe(coded, Language::kEnglish), "+1 entry in Summer draw for code ABCD-EFGH-JKLM");
    EXPECT_EQ(describe(coded, Language::kPersian),
              "+۱ شانس در قرعه‌کشی Summer draw با کد ABCD-EFGH-JKLM");
}

}  // namespace
}  // namespace patron::core
