// Stamps-for-reward cards, as arithmetic: the cards of a rule set (its "stamp_cards" list), the
// stamps a basket gives on each, filling and rolling over, and what a return that takes stamps
// back does to rewards already issued.
//
// Card document: id, name, goal (stamps that fill it, 1..1000), basis ("units": stamps_per_unit
// for every whole unit of a matching line | "visit": one stamp when the matching lines reach
// min_basket | "collection": one stamp per item of its "items" [{id, name, skus, categories}, 2
// to 50 of them] that a line brings and the card lacks, full with them all), conditions {categories, skus, min_basket},
// scope {stores, tiers, segments}, valid_from / valid_until, card_days (a card not filled that many days after its
// first stamp starts over), reward {"points": N} or {"coupon_campaign": ID} with an optional "label" ("free coffee"),
// deficit ("carry": a return that un-fills a card whose reward was used leaves the next card
// short | "forgive").
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/effect.h"
#include "loyalty/core/error.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/rule_set.h"

namespace patron::core {

// A stamp card after the purchase (or return): its stamps out of its goal, and how many rewards
// this purchase filled (a return: stamps and rewards negative).
struct StampCardSummary {
    std::string card_id;
    std::string name;
    std::int64_t stamps = 0;  // Given (or taken back) by this purchase.
    std::int64_t count = 0;
    std::int64_t goal = 0;
    std::int64_t rewards_earned = 0;
};

// A coupon code the purchase won (a filled stamp card's reward), assigned to the member.
struct CouponIssued {
    std::string code;
    std::int64_t campaign_id = 0;
    std::string card_id;
};

// The cards the effects of a quote or purchase touched, as the answer shows them.
std::vector<StampCardSummary> stamp_summaries(const std::vector<Effect>& effects, const RuleSet& rules);

std::vector<StampCard> read_stamp_cards(const nlohmann::json& list, std::vector<Error>& problems);

// The card whose reward the effect is (a "stamps:ID" earning or a kStampReward), if it is one.
std::optional<std::string> rewarded_card(const Effect& effect);

// The stamps one line gives on a units card (whole units x stamps per unit).
std::int64_t stamps_for_line(const StampCard& card, const PurchaseLine& line);

// What a member's identified purchase does on each card that applies: per card a kStamps effect
// (amount: stamps given, count_after, goal), before it a kStampsExpired effect when the card
// ran out of time, and after it one reward per fill: a kEarnPoints "stamps:ID" effect or a
// kStampReward effect naming the coupon campaign. Surplus stamps roll over onto the next card.
// A card in `held_out` (cards with a hold-out that keeps this member out) gives nothing.
std::vector<Effect> stamp_effects(const Purchase& purchase, const std::map<std::string, StampProgress>& progress,
                                  const std::string& tier, const std::vector<std::string>& segments,
                                  const RuleSet& rules, const std::vector<std::string>& held_out);

// The items of a collection the purchase brings, each by the first line that is it (a line brings
// one item: the first of the set it matches that the card lacks and no earlier line brought).
std::vector<CollectedItem> items_brought(const StampCard& card, const Purchase& purchase,
                                         const std::map<std::string, std::int64_t>& held);

// The items a collection's card holds (owed items are not held).
std::int64_t held_items(const StampProgress& progress);

// Whether the card is in force for this purchase and member: its window, stores, tiers and
// segments. What makes a member eligible for its hold-out.
bool stamp_card_in_force(const StampCard& card, const Purchase& purchase, const std::string& tier,
                         const std::vector<std::string>& segments);

// The card's progress after the effects of one purchase: stamps and when the current card began.
StampProgress progress_after(const StampProgress& before, const std::vector<Effect>& effects,
                             const std::string& card_id, Timestamp at);

// A reward of the card, as a return that takes stamps back sees it (newest first).
struct IssuedReward {
    std::int64_t id = 0;
    std::int64_t goal = 0;  // The stamps it consumed.
    bool used = false;      // Its coupon was redeemed (points rewards are never "used": they are reversed).
};

struct StampRemoval {
    std::int64_t stamps_after = 0;
    std::vector<std::int64_t> revoked;  // Reward ids to revoke (their stamps come back onto the card).
    std::int64_t forgiven = 0;          // Deficit the program let go (policy forgive).
};

// Takes `removed` stamps off a card holding `stamps`: while that leaves it below zero, the newest
// unused reward is revoked (giving its stamps back); a used one leaves a deficit, or under the
// forgive policy the card stops at zero.
StampRemoval plan_stamp_removal(std::int64_t stamps, std::int64_t removed, const std::vector<IssuedReward>& rewards,
                                StampDeficitPolicy policy);

// What a return does to a collection, item by item (`removed`, each taken off once): an item the
// card holds comes off; otherwise the newest unused reward is revoked and the card it completed
// comes back, all its items but this one (an item the card held already is dropped: a card holds
// each once); when the newest reward was used, the item is owed (carry) or let go (forgive).
struct CollectionRemoval {
    std::map<std::string, std::int64_t> items;  // The card's items after.
    std::vector<std::int64_t> revoked;
    std::int64_t forgiven = 0;
    std::int64_t dropped = 0;  // Items a revoked card brought back that the card held already.
};
CollectionRemoval plan_collection_removal(std::map<std::string, std::int64_t> items,
                                          const std::vector<std::string>& set, const std::vector<std::string>& removed,
                                          const std::vector<IssuedReward>& rewards, StampDeficitPolicy policy);

// Adds one member's collection card onto another's (a merge): an item both hold is held once,
// owed items are set against held ones. Answers how many held items were dropped.
std::int64_t merge_collection(std::map<std::string, std::int64_t>& into,
                              const std::map<std::string, std::int64_t>& from);

}  // namespace patron::core
