// Prize draws through a real patrond: a marketer makes a draw (a bad document refused with every
// problem by its JSON path), changes it while a draft and not once published; purchases earn
// entries by the amount and per purchase, within the per-purchase and per-member caps, shown on
// the receipt; packaging codes are made, exported as CSV and entered once, in the portal and at
// the till (a code used twice, unknown or malformed refused by its field); a return before the
// draw takes back what its lines earned. The draw is refused before its close, run once with the
// public value, refused a second time, untouched by a return after it, and recomputed here from
// its published proof alone (OpenSSL, not Patron's code) to the same places.
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "tests/e2e/e2e_fixture.h"

namespace patron::testing {
namespace {

using nlohmann::json;

// "2026-12-04T21:45:37Z": whole seconds, as draws' terms are written.
std::string at_text(std::chrono::system_clock::time_point at) {
    return core::format_utc(std::chrono::floor<std::chrono::seconds>(at), core::TimeFormat::kRfc3339).substr(0, 19) +
           "Z";
}

std::string hex(const unsigned char* bytes, std::size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string text;
    for (std::size_t i = 0; i < size; ++i) {
        text.push_back(kDigits[bytes[i] >> 4]);
        text.push_back(kDigits[bytes[i] & 15]);
    }
    return text;
}

std::string sha256_hex(const std::string& data) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
    return hex(digest, sizeof digest);
}

std::vector<unsigned char> unhex(const std::string& text) {
    std::vector<unsigned char> bytes;
    for (std::size_t i = 0; i + 1 < text.size(); i += 2) {
        bytes.push_back(static_cast<unsigned char>(std::stoi(text.substr(i, 2), nullptr, 16)));
    }
    return bytes;
}

// The draw as docs/draws.md describes it, written again from the description: the pool in a
// plain list, each place's ticket found by walking it.
json recompute_places(const json& proof) {
    const std::vector<unsigned char> seed = unhex(proof["seed"].get<std::string>());
    std::vector<std::pair<std::string, long long>> pool;
    for (const json& entrant : proof["entrants"]) {
        pool.emplace_back(entrant["reference"].get<std::string>(), entrant["tickets"].get<long long>());
    }
    json places = json::array();
    for (long long place = 0; place < proof["places_drawn"].get<long long>() && !pool.empty(); ++place) {
        unsigned long long tickets = 0;
        for (const auto& [reference, held] : pool) tickets += static_cast<unsigned long long>(held);
        for (long long attempt = 0;; ++attempt) {
            const std::string message = "patron-draw-v1\n" + proof["entries_digest"].get<std::string>() + "\n" +
                                        proof["public_value"].get<std::string>() + "\n" + std::to_string(place) + "\n" +
                                        std::to_string(attempt);
            unsigned char mac[EVP_MAX_MD_SIZE];
            unsigned int length = 0;
            HMAC(EVP_sha256(), seed.data(), static_cast<int>(seed.size()),
                 reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
            unsigned long long x = 0;
            for (int i = 0; i < 8; ++i) x = (x << 8) | mac[i];
            // 2^64 mod N, computed the long way round in 128 bits.
            const unsigned __int128 whole = static_cast<unsigned __int128>(1) << 64;
            const auto excess = static_cast<unsigned long long>(whole % tickets);
            if (static_cast<unsigned __int128>(x) >= whole - excess) continue;
            long long ticket = static_cast<long long>(x % tickets);
            const long long drawn = ticket;
            std::size_t holder = 0;
            while (ticket >= pool[holder].second) ticket -= pool[holder++].second;
            places.push_back(
                json{{"place", place + 1}, {"reference", pool[holder].first}, {"ticket", drawn}, {"attempt", attempt}});
            pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(holder));
            break;
        }
    }
    return places;
}

class Draws : public PatrondTest {
  protected:
    // A draw whose window runs from `opens` to `closes` from now.
    static json draw(const std::string& name, std::chrono::seconds opens, std::chrono::seconds closes) {
        const auto now = std::chrono::system_clock::now();
        return {{"name", name},
                {"description", "A bicycle and two gift cards"},
                {"prizes", {{{"name", "Bicycle"}, {"count", 1}}, {{"name", "Gift card"}, {"count", 2}}}},
                {"opens_at", at_text(now + opens)},
                {"closes_at", at_text(now + closes)},
                {"entries",
                 {{"per_purchase", 1},
                  {"per_amount", {{"amount", 100000}, {"entries", 1}}},
                  {"min_spend", 50000},
                  {"per_code", 3}}},
                {"caps", {{"per_member", 10}, {"per_purchase", 5}}},
                {"reserves", 1},
                {"claim_days", 14},
                {"public_value", "The first drand mainnet round published after the close"}};
    }
    json made(const json& document) {
        const auto reply = staff("POST", "/v1/draws", document.dump());
        EXPECT_EQ(reply.status, 201) << reply.body;
        return json::parse(reply.body);
    }
    json published(long long id) {
        const auto reply = staff("POST", "/v1/draws/" + std::to_string(id) + "/publish");
        EXPECT_EQ(reply.status, 200) << reply.body;
        return json::parse(reply.body);
    }
    // The draw-entries effect of an answer under `draw`, or null.
    static json entries_effect(const json& answer, long long draw, const std::string& kind = "draw_entries") {
        for (const json& effect : answer["effects"]) {
            if (effect["kind"] == kind && effect["rule_id"] == "draw:" + std::to_string(draw)) return effect;
        }
        return nullptr;
    }
    HttpReply as_member(const std::string& method, const std::string& path, const std::string& token,
                        const json& body = nullptr) {
        if (body.is_null()) return http({method, server.url(path), "", {"Authorization: Bearer " + token}});
        return http({method,
                     server.url(path),
                     body.dump(),
                     {"Authorization: Bearer " + token, "Content-Type: application/json"}});
    }
    // A purchase at the demo till at `at` (UTC).
    static json purchase_at(const std::string& receipt, const std::string& card, long long amount,
                            std::chrono::system_clock::time_point at) {
        json document = purchase(receipt, card, amount);
        const std::string when = at_text(at);
        document["pos_time"] = when;
        document["business_day"] = when.substr(0, 10);
        return document;
    }
    // A whole return, now, of a purchase made today.
    static json return_now(const std::string& receipt, const std::string& original) {
        json back = return_of(receipt, original, {{{"line", 1}, {"quantity", 1}}});
        const json now = purchase_now("x", "", 0);
        back["pos_time"] = now["pos_time"];
        back["business_day"] = now["business_day"];
        back["original"]["business_day"] = now["business_day"];
        return back;
    }
};

TEST_F(Draws, PurchasesAndCodesEarnEntriesWithinTheCapsAndAReturnBeforeTheDrawTakesThemBack) {
    json bad = draw("", std::chrono::hours(1), std::chrono::seconds(0));
    bad["prizes"] = json::array();
    bad["entries"]["per_amount"] = {{"amount", 0}, {"entries", 1}};
    bad["caps"] = {{"per_member", 0}};
    bad["colour"] = "red";
    const auto rejected = staff("POST", "/v1/draws", bad.dump());
    ASSERT_EQ(rejected.status, 422) << rejected.body;
    std::set<std::string> fields;
    const json refusal = json::parse(rejected.body);
    for (const auto& problem : refusal["error"]["problems"]) fields.insert(problem["field"].get<std::string>());
    EXPECT_EQ(fields, (std::set<std::string>{"colour", "name", "prizes", "closes_at", "entries.per_amount.amount",
                                             "caps.per_member"}));
    EXPECT_EQ(json::parse(staff("GET", "/v1/draws").body)["draws"].size(), 0U) << "nothing was made";

    const json draft = made(draw("Summer draw", -std::chrono::hours(1), std::chrono::hours(1)));
    const long long id = draft["id"].get<long long>();
    const std::string path = "/v1/draws/" + std::to_string(id);
    EXPECT_EQ(draft["state"], "draft");
    EXPECT_TRUE(draft["commitment"].is_null());
    json changed = draw("Summer draw", -std::chrono::hours(1), std::chrono::hours(1));
    changed["caps"]["per_member"] = 10;
    ASSERT_EQ(staff("PUT", path, changed.dump()).status, 200);
    // Members do not see drafts.
    const std::string token = activate_sara();
    ASSERT_FALSE(token.empty());
    EXPECT_EQ(json::parse(as_member("GET", "/v1/me/draws", token).body)["draws"].size(), 0U);

    const json open = published(id);
    EXPECT_EQ(open["state"], "open");
    ASSERT_TRUE(open["commitment"].is_string());
    EXPECT_EQ(open["commitment"].get<std::string>().size(), 64U);
    const auto fixed = staff("PUT", path, changed.dump());
    EXPECT_EQ(fixed.status, 409);
    EXPECT_EQ(code_of(fixed), "DRAW_PUBLISHED");
    const auto early = staff("POST", path + "/run", json{{"public_value", "42"}}.dump());
    EXPECT_EQ(early.status, 409);
    EXPECT_EQ(code_of(early), "DRAW_NOT_CLOSED");

    // 250,000 IRR: 1 for the purchase and 2 for the amount; its receipt says so.
    const auto first = pos("POST", "/v1/pos/purchases", purchase_now("d1", card(0), 250000).dump());
    ASSERT_EQ(first.status, 201) << first.body;
    const json answer = json::parse(first.body);
    const json given = entries_effect(answer, id);
    ASSERT_FALSE(given.is_null()) << answer;
    EXPECT_EQ(given["amount"], 3);
    EXPECT_EQ(given["count"], 3);
    bool printed = false;
    for (const auto& line : answer["receipt_lines"]) {
        printed |= line.get<std::string>().find("Summer draw (شانس)") != std::string::npos;
    }
    EXPECT_TRUE(printed) << answer["receipt_lines"];
    // Under the least spend: nothing.
    const auto small = pos("POST", "/v1/pos/purchases", purchase_now("d2", card(0), 30000).dump());
    ASSERT_EQ(small.status, 201);
    EXPECT_TRUE(entries_effect(json::parse(small.body), id).is_null());
    // 900,000 IRR would give 10: the per-purchase cap gives 5.
    const auto big = pos("POST", "/v1/pos/purchases", purchase_now("d3", card(1), 900000).dump());
    ASSERT_EQ(big.status, 201);
    EXPECT_EQ(entries_effect(json::parse(big.body), id)["amount"], 5);

    // Packaging codes: made, exported for the printer.
    const auto codes = staff("POST", path + "/codes", json{{"count", 3}}.dump());
    ASSERT_EQ(codes.status, 201) << codes.body;
    const json batch = json::parse(codes.body);
    EXPECT_EQ(batch["made"], 3);
    const auto csv = staff("GET", batch["export"].get<std::string>());
    ASSERT_EQ(csv.status, 200) << csv.body;
    std::vector<std::string> printed_codes;
    std::istringstream rows(csv.body);
    std::string row;
    const auto next_row = [&] {
        const bool read = static_cast<bool>(std::getline(rows, row));
        if (read && row.ends_with('\r')) row.pop_back();  // RFC 4180 ends rows with CRLF.
        return read;
    };
    next_row();
    EXPECT_EQ(row, "code,printed,draw_id,batch,used");
    while (next_row()) {
        ASSERT_GE(row.size(), 30U) << row;
        EXPECT_EQ(row[17], '-') << row;  // "XXXX-XXXX-XXXX" beside the bare code.
        printed_codes.push_back(row.substr(13, 14));
    }
    ASSERT_EQ(printed_codes.size(), 3U) << csv.body;

    // In the portal, typed in lower case: 3 entries, 6 held.
    std::string typed = printed_codes[0];
    std::transform(typed.begin(), typed.end(), typed.begin(), [](unsigned char c) { return std::tolower(c); });
    const auto entered = as_member("POST", "/v1/me/draw-codes", token, json{{"code", typed}});
    ASSERT_EQ(entered.status, 201) << entered.body;
    EXPECT_EQ(json::parse(entered.body)["entries"], 3);
    EXPECT_EQ(json::parse(entered.body)["held"], 6);
    const auto again = as_member("POST", "/v1/me/draw-codes", token, json{{"code", printed_codes[0]}});
    EXPECT_TRUE(refused(again, 409, "code"));
    EXPECT_EQ(code_of(again), "DRAW_CODE_USED");
    const auto unknown = as_member("POST", "/v1/me/draw-codes", token, json{{"code", "2222-2222-2222"}});
    EXPECT_TRUE(refused(unknown, 422, "code"));
    EXPECT_EQ(code_of(unknown), "DRAW_CODE_UNKNOWN");
    EXPECT_TRUE(refused(as_member("POST", "/v1/me/draw-codes", token, json{{"code", "0000"}}), 422, "code"));

    // At the till for her card: 3 more (9), then the member cap leaves 1 of the next code's 3.
    const auto at_till = pos("POST", "/v1/pos/draw-codes", json{{"card", card(0)}, {"code", printed_codes[1]}}.dump());
    ASSERT_EQ(at_till.status, 201) << at_till.body;
    EXPECT_EQ(json::parse(at_till.body)["held"], 9);
    EXPECT_EQ(json::parse(at_till.body)["receipt_lines"].size(), 1U);
    const auto capped = pos("POST", "/v1/pos/draw-codes", json{{"card", card(0)}, {"code", printed_codes[2]}}.dump());
    ASSERT_EQ(capped.status, 201) << capped.body;
    EXPECT_EQ(json::parse(capped.body)["entries"], 1);
    EXPECT_EQ(json::parse(capped.body)["held"], 10);
    // The till retrying the last entry (its answer lost) is answered as before; nothing is added.
    const auto retried = pos("POST", "/v1/pos/draw-codes", json{{"card", card(0)}, {"code", printed_codes[2]}}.dump());
    ASSERT_EQ(retried.status, 201) << retried.body;
    EXPECT_EQ(json::parse(retried.body)["entries"], 1);
    EXPECT_EQ(json::parse(retried.body)["held"], 10);
    // Another member's code is hers no more.
    const auto taken = pos("POST", "/v1/pos/draw-codes", json{{"card", card(1)}, {"code", printed_codes[2]}}.dump());
    EXPECT_TRUE(refused(taken, 409, "code"));
    EXPECT_EQ(code_of(taken), "DRAW_CODE_USED");
    // At the cap a purchase gives nothing more.
    const auto more = pos("POST", "/v1/pos/purchases", purchase_now("d4", card(0), 300000).dump());
    ASSERT_EQ(more.status, 201);
    EXPECT_TRUE(entries_effect(json::parse(more.body), id).is_null());

    // The first purchase comes back whole before the draw: its 3 entries go.
    const auto returned = pos("POST", "/v1/pos/returns", return_now("d1r", "d1").dump());
    ASSERT_EQ(returned.status, 201) << returned.body;
    const json removed = entries_effect(json::parse(returned.body), id, "draw_entries_removed");
    ASSERT_FALSE(removed.is_null()) << returned.body;
    EXPECT_EQ(removed["amount"], -3);
    EXPECT_EQ(removed["count"], 7);

    const json mine = json::parse(as_member("GET", "/v1/me/draws", token).body);
    ASSERT_EQ(mine["draws"].size(), 1U) << mine;
    EXPECT_EQ(mine["draws"][0]["entries"], 7);
    EXPECT_EQ(mine["draws"][0]["state"], "open");
    EXPECT_EQ(mine["draws"][0]["commitment"], open["commitment"]);
    const json shown = json::parse(staff("GET", path).body);
    EXPECT_EQ(shown["entries"], 12);  // Sara's 7 and Reza's 5.
    EXPECT_EQ(shown["entrants"], 2);
    EXPECT_EQ(shown["codes"], (json{{"made", 3}, {"used", 3}}));

    // Her history says where each entry came from, newest first, and what the return took back.
    const auto listed = as_member("GET", "/v1/me/history?kind=draws&limit=2", token);
    ASSERT_EQ(listed.status, 200) << listed.body;
    const json history = json::parse(listed.body);
    ASSERT_EQ(history["entries"].size(), 2U) << history;
    EXPECT_EQ(history["entries"][0]["source"], "code");
    EXPECT_EQ(history["entries"][0]["code"], printed_codes[2]);
    EXPECT_EQ(history["entries"][0]["entries"], 1);
    // In her language (Sara reads Persian).
    EXPECT_EQ(history["entries"][0]["description"],
              "+۱ شانس در قرعه‌کشی Summer draw با کد " + printed_codes[2]);
    ASSERT_TRUE(history["next_before"].is_number()) << history;
    const json older = json::parse(
        as_member("GET", "/v1/me/history?kind=draws&limit=5&before=" + history["next_before"].dump(), token).body);
    ASSERT_EQ(older["entries"].size(), 2U) << older;
    const json& bought = older["entries"][1];
    EXPECT_EQ(bought["source"], "purchase");
    EXPECT_EQ(bought["earned"], 3);
    EXPECT_EQ(bought["entries"], 0);
    EXPECT_EQ(bought["store"], "S001");
    EXPECT_EQ(bought["description"],
              "+۳ شانس در قرعه‌کشی Summer draw با رسید d1 در شعبه مرکزی تهران؛ ۳ شانس بابت "
              "مرجوعی "
              "کسر "
              "شد");
    EXPECT_TRUE(older["next_before"].is_null());
    // The first page of the whole history holds them too.
    const json whole = json::parse(as_member("GET", "/v1/me/history", token).body);
    EXPECT_EQ(whole["draws"].size(), 4U) << whole;
}

TEST_F(Draws, ADrawRecomputedFromItsPublishedProofGivesTheSamePlacesAndIsNeverRunTwice) {
    // Enough entrants for every place and a reserve: the three demo members and three more.
    std::vector<std::string> cards = {card(0), card(1), card(2)};
    for (int i = 0; i < 3; ++i) {
        const auto enrolled = staff(
            "POST", "/v1/members",
            json{{"full_name", "Entrant " + std::to_string(i)}, {"phone", "0912000000" + std::to_string(i)}}.dump());
        ASSERT_EQ(enrolled.status, 201) << enrolled.body;
        cards.push_back(json::parse(enrolled.body)["cards"][0]["number"].get<std::string>());
    }
    const auto closes_in = std::chrono::seconds(6);
    const auto made_at = std::chrono::system_clock::now();
    const long long id = made(draw("Winter draw", -std::chrono::hours(1), closes_in))["id"].get<long long>();
    const std::string path = "/v1/draws/" + std::to_string(id);
    const std::string commitment = published(id)["commitment"].get<std::string>();

    // Purchases rung up inside the window (an offline till's may arrive after the close).
    const auto rung = made_at - std::chrono::minutes(5);
    long long expected = 0;
    for (std::size_t i = 0; i < cards.size(); ++i) {
        const long long amount = 100000 * static_cast<long long>(i + 1);
        const auto bought =
            pos("POST", "/v1/pos/purchases", purchase_at("w" + std::to_string(i), cards[i], amount, rung).dump());
        ASSERT_EQ(bought.status, 201) << bought.body;
        ASSERT_FALSE(entries_effect(json::parse(bought.body), id).is_null()) << bought.body;
        expected += std::min<long long>(1 + amount / 100000, 5);
    }
    std::this_thread::sleep_until(made_at + closes_in + std::chrono::seconds(1));
    // After the close and before the run: a sale rung up in the window (an offline till's, arriving
    // late) still enters; one rung up after the close enters nothing.
    const auto offline = pos("POST", "/v1/pos/purchases", purchase_at("wlate", cards[0], 100000, rung).dump());
    ASSERT_EQ(offline.status, 201) << offline.body;
    EXPECT_EQ(entries_effect(json::parse(offline.body), id)["amount"], 2) << offline.body;
    expected += 2;
    const auto after = pos("POST", "/v1/pos/purchases",
                           purchase_at("wafter", cards[1], 100000, std::chrono::system_clock::now()).dump());
    ASSERT_EQ(after.status, 201) << after.body;
    EXPECT_TRUE(entries_effect(json::parse(after.body), id).is_null()) << after.body;
    const json closed = json::parse(staff("GET", path).body);
    EXPECT_EQ(closed["state"], "closed");
    EXPECT_EQ(closed["entries"], expected);

    const auto spaced = staff("POST", path + "/run", json{{"public_value", " 42\n"}}.dump());
    EXPECT_TRUE(refused(spaced, 422, "public_value")) << "one way to write a value";
    const std::string public_value = "drand round 4721337: 9f2c…e1";
    const auto run = staff("POST", path + "/run", json{{"public_value", public_value}}.dump());
    ASSERT_EQ(run.status, 200) << run.body;
    const json result = json::parse(run.body);
    EXPECT_EQ(result["state"], "drawn");
    ASSERT_EQ(result["places"].size(), 4U) << result;  // 1 + 2 prizes and a reserve.
    std::set<long long> placed;
    for (const json& place : result["places"]) placed.insert(place["member_id"].get<long long>());
    EXPECT_EQ(placed.size(), 4U) << "one place per entrant";
    EXPECT_EQ(result["places"][0]["prize"], "Bicycle");
    EXPECT_EQ(result["places"][0]["state"], "won");
    EXPECT_TRUE(result["places"][3]["prize"].is_null());
    EXPECT_EQ(result["places"][3]["state"], "reserve");

    // Never run twice, whatever value is offered.
    const auto second = staff("POST", path + "/run", json{{"public_value", "another value"}}.dump());
    EXPECT_EQ(second.status, 409);
    EXPECT_EQ(code_of(second), "DRAW_ALREADY_RUN");

    // A return after the draw changes nothing in it.
    const json back = return_now("w0r", "w0");
    json late = back;
    late["original"]["business_day"] = purchase_at("x", "", 0, rung)["business_day"];
    const auto returned = pos("POST", "/v1/pos/returns", late.dump());
    ASSERT_EQ(returned.status, 201) << returned.body;
    EXPECT_TRUE(entries_effect(json::parse(returned.body), id, "draw_entries_removed").is_null());

    // The proof, as a member reads it, recomputed here.
    const std::string token = activate_sara();
    const auto read = as_member("GET", "/v1/me/draws/" + std::to_string(id) + "/proof", token);
    ASSERT_EQ(read.status, 200) << read.body;
    const json proof = json::parse(read.body);
    EXPECT_EQ(proof["commitment"], commitment);
    const std::vector<unsigned char> seed = unhex(proof["seed"].get<std::string>());
    EXPECT_EQ(sha256_hex(std::string(seed.begin(), seed.end())), commitment) << "the seed is the one committed to";
    EXPECT_EQ(proof["public_value"], public_value);
    std::string lines;
    long long tickets = 0;
    std::string previous;
    for (const json& entrant : proof["entrants"]) {
        EXPECT_LT(previous, entrant["reference"].get<std::string>()) << "in ascending order of reference";
        previous = entrant["reference"].get<std::string>();
        lines += previous + "," + std::to_string(entrant["tickets"].get<long long>()) + "\n";
        tickets += entrant["tickets"].get<long long>();
    }
    EXPECT_EQ(proof["entrants"].size(), cards.size());
    EXPECT_EQ(tickets, expected);
    EXPECT_EQ(sha256_hex(lines), proof["entries_digest"]);
    json drawn = proof["places"];
    for (json& place : drawn) place.erase("prize");
    EXPECT_EQ(recompute_places(proof), drawn);
    // Her own reference is on her page, to find herself in the proof.
    const json mine = json::parse(as_member("GET", "/v1/me/draws", token).body);
    ASSERT_EQ(mine["draws"].size(), 1U);
    EXPECT_EQ(mine["draws"][0]["state"], "drawn");
    EXPECT_EQ(mine["draws"][0]["reference"].get<std::string>().size(), 12U);

    // Support records the first prize handed over, once; a reserve's place holds none, and there is
    // no fifth place. The rest wait for their claims (docs/draws.md: unclaimed prizes pass on).
    const auto claimed = staff("POST", path + "/places/1/claim");
    ASSERT_EQ(claimed.status, 200) << claimed.body;
    const json handed = json::parse(claimed.body);
    EXPECT_EQ(handed["places"][0]["state"], "claimed");
    EXPECT_TRUE(handed["places"][0]["claimed_at"].is_string());
    EXPECT_EQ(handed["places"][1]["state"], "won");
    const auto twice = staff("POST", path + "/places/1/claim");
    EXPECT_TRUE(refused(twice, 409, "place")) << twice.body;
    EXPECT_EQ(code_of(twice), "DRAW_PRIZE_NOT_CLAIMABLE");
    EXPECT_EQ(code_of(staff("POST", path + "/places/4/claim")), "DRAW_PRIZE_NOT_CLAIMABLE");
    EXPECT_TRUE(refused(staff("POST", path + "/places/5/claim"), 404, "place"));
    EXPECT_TRUE(refused(staff("POST", path + "/places/x/claim"), 404, "place"));

    // Audited, and the books still balance.
    const json audit = json::parse(staff("GET", "/v1/audit-log?action=draw.run").body);
    EXPECT_EQ(audit["entries"].size(), 1U) << audit;
    const json hand_over = json::parse(staff("GET", "/v1/audit-log?action=draw.prize_hand_over").body);
    EXPECT_EQ(hand_over["entries"].size(), 1U) << hand_over;
    const auto verified = run_command({patronctl_path(), "verify"}, setup.environment());
    EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

}  // namespace
}  // namespace patron::testing
