#include "loyalty/core/stamps.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "loyalty/core/document_reader.h"
#include "loyalty/core/reward_rule_ids.h"
#include "loyalty/core/wording.h"

namespace patron::core {
namespace {

constexpr std::int64_t kGoalMax = 1'000;
constexpr std::int64_t kStampsPerUnitMax = 100;
constexpr std::int64_t kRewardPointsMax = 1'000'000;
constexpr std::int64_t kRewardCashbackMax = 1'000'000'000'000;
constexpr std::int64_t kCardDaysMax = 3'650;
constexpr std::size_t kItemsMin = 2;
constexpr std::size_t kItemsMax = 50;

void read_reward(Reader& card, StampCard& out) {
    auto reward = card.child("reward", {"points", "coupon_campaign", "cashback", "label"});
    if (!reward) {
        if (card.find("reward") == nullptr)
            card.problem(card.field("reward"), "is required", reason(ReasonKind::kRequired));
        return;
    }
    const auto points = reward->integer("points", 1);
    const auto campaign = reward->integer("coupon_campaign", 1);
    const auto cashback = reward->integer("cashback", 1);
    if (int{points.has_value()} + int{campaign.has_value()} + int{cashback.has_value()} != 1) {
        reward->problem(reward->path(), "must give one of points, a coupon_campaign or cashback");
    }
    if (points && *points > kRewardPointsMax)
        reward->problem(reward->field("points"), "must be at most 1000000", reason(ReasonKind::kRange, {}, 1000000));
    if (cashback && *cashback > kRewardCashbackMax) {
        reward->problem(reward->field("cashback"), "must be at most 1000000000000 (minor units)");
    }
    out.reward = campaign ? StampRewardKind::kCoupon : cashback ? StampRewardKind::kCashback : StampRewardKind::kPoints;
    out.reward_points = points.value_or(0);
    out.reward_campaign = campaign.value_or(0);
    out.reward_cashback = cashback.value_or(0);
    if (reward->find("label") != nullptr) out.reward_label = reward->text("label", false);
}

// A collection's set: 2 to 50 items, each with its own id and the SKUs or categories that are it.
void read_items(Reader& reader, StampCard& card) {
    const json* list = reader.find("items");
    if (card.basis != StampBasis::kCollection) {
        if (list != nullptr) reader.problem(reader.field("items"), "only a collection (basis collection) has items");
        return;
    }
    if (list == nullptr) {
        reader.problem(reader.field("items"), "is required", reason(ReasonKind::kRequired));
        return;
    }
    if (!list->is_array() || list->size() < kItemsMin || list->size() > kItemsMax) {
        reader.problem(reader.field("items"), "must be an array of 2 to 50 items", reason(ReasonKind::kCount, 2, 50));
        return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        Reader item((*list)[i], reader.field("items") + "[" + std::to_string(i) + "]", reader.problems());
        if (!item.is_object({"id", "name", "skus", "categories"})) continue;
        CollectionItem entry;
        entry.id = item.text("id", true);
        entry.name = item.text("name", false);
        if (entry.name.empty()) entry.name = entry.id;
        entry.skus = item.names("skus");
        entry.categories = item.names("categories");
        if (entry.skus.empty() && entry.categories.empty())
            item.problem(item.path(), "must name its skus or categories", reason(ReasonKind::kAtLeastOne));
        const bool taken = std::any_of(card.items.begin(), card.items.end(),
                                       [&](const CollectionItem& other) { return other.id == entry.id; });
        if (!entry.id.empty() && taken)
            item.problem(item.field("id"), "another item of the collection has this id",
                         reason(ReasonKind::kDuplicate));
        card.items.push_back(std::move(entry));
    }
    card.goal = static_cast<std::int64_t>(card.items.size());
}

StampCard read_stamp_card(const json& document, std::string path, std::vector<Error>& problems) {
    StampCard card;
    Reader reader(document, std::move(path), problems);
    if (!reader.is_object({"id", "name", "goal", "basis", "stamps_per_unit", "conditions", "scope", "valid_from",
                           "valid_until", "card_days", "reward", "deficit", "holdout", "items"})) {
        return card;
    }
    card.id = reader.text("id", true);
    card.name = reader.text("name", false);
    if (card.name.empty()) card.name = card.id;
    if (const json* basis = reader.find("basis")) {
        const auto parsed = named<StampBasis>(
            {{"units", StampBasis::kUnits}, {"visit", StampBasis::kVisit}, {"collection", StampBasis::kCollection}},
            *basis);
        if (!parsed)
            reader.problem(reader.field("basis"), "must be units, visit or collection", reason(ReasonKind::kOneOf));
        card.basis = parsed.value_or(StampBasis::kUnits);
    }
    const bool collection = card.basis == StampBasis::kCollection;
    const auto goal = reader.integer("goal", 1);
    if (collection && reader.find("goal") != nullptr) {
        reader.problem(reader.field("goal"), "a collection is complete with all its items (it has no goal)");
    } else if (!collection && reader.find("goal") == nullptr) {
        reader.problem(reader.field("goal"), "is required", reason(ReasonKind::kRequired));
    }
    if (goal && *goal > kGoalMax)
        reader.problem(reader.field("goal"), "must be at most 1000", reason(ReasonKind::kRange, {}, 1000));
    card.goal = std::clamp<std::int64_t>(goal.value_or(10), 1, kGoalMax);
    const auto per_unit = reader.integer("stamps_per_unit", 1);
    if (per_unit && *per_unit > kStampsPerUnitMax)
        reader.problem(reader.field("stamps_per_unit"), "must be at most 100", reason(ReasonKind::kRange, {}, 100));
    if (per_unit && card.basis == StampBasis::kVisit) {
        reader.problem(reader.field("stamps_per_unit"), "a visit card gives one stamp per visit");
    }
    if (per_unit && collection) {
        reader.problem(reader.field("stamps_per_unit"), "a collection gives one stamp per item it lacked");
    }
    card.stamps_per_unit = std::clamp<std::int64_t>(per_unit.value_or(1), 1, kStampsPerUnitMax);
    if (collection && reader.find("conditions") != nullptr) {
        reader.problem(reader.field("conditions"), "a collection's items say which lines count");
    } else if (auto conditions = reader.child("conditions", {"min_basket", "categories", "skus"})) {
        card.min_basket = conditions->integer("min_basket", 0).value_or(0);
        card.categories = conditions->names("categories");
        card.skus = conditions->names("skus");
    }
    read_items(reader, card);
    card.scope = read_scope(reader);
    if (card.scope.birthday_month || card.scope.first_purchase || card.scope.tenure) {
        reader.problem(reader.field("scope"), "stamp cards are scoped by stores, tiers and segments only");
    }
    reader.validity(card.valid_from, card.valid_until);
    if (const auto days = reader.integer("card_days", 1)) {
        if (*days > kCardDaysMax)
            reader.problem(reader.field("card_days"), "must be at most 3650", reason(ReasonKind::kRange, {}, 3650));
        card.card_lifetime = std::chrono::seconds(std::min(*days, kCardDaysMax) * 86'400);
    }
    read_reward(reader, card);
    if (const json* deficit = reader.find("deficit")) {
        const auto parsed = named<StampDeficitPolicy>(
            {{"carry", StampDeficitPolicy::kCarry}, {"forgive", StampDeficitPolicy::kForgive}}, *deficit);
        if (!parsed) reader.problem(reader.field("deficit"), "must be carry or forgive", reason(ReasonKind::kOneOf));
        card.deficit = parsed.value_or(StampDeficitPolicy::kCarry);
    }
    card.holdout = read_holdout(reader);
    return card;
}

bool matches(const StampCard& card, const PurchaseLine& line) {
    if (card.categories.empty() && card.skus.empty()) return true;
    return listed(card.categories, line.category) || listed(card.skus, line.sku);
}

// The stamps the basket gives on the card.
std::int64_t stamps_of(const StampCard& card, const Purchase& purchase) {
    std::int64_t matching_amount = 0, stamps = 0;
    for (const PurchaseLine& line : purchase.lines) {
        if (!matches(card, line)) continue;
        matching_amount += line.net_amount();
        stamps += stamps_for_line(card, line);
    }
    if (matching_amount < std::max<std::int64_t>(card.min_basket, 1)) return 0;
    return card.basis == StampBasis::kVisit ? 1 : stamps;
}

std::string count_text(std::int64_t count, std::int64_t goal, Language language) {
    return localized_digits(std::to_string(count) + "/" + std::to_string(goal), language);
}

bool expired(const StampCard& card, const StampProgress& progress, Timestamp at) {
    return card.card_lifetime && progress.stamps > 0 && progress.started_at &&
           at >= *progress.started_at + *card.card_lifetime;
}

std::int64_t total_of(const std::map<std::string, std::int64_t>& items) {
    std::int64_t total = 0;
    for (const auto& [item, count] : items) total += count;
    return total;
}

bool collection_expired(const StampCard& card, const StampProgress& progress, Timestamp at) {
    return card.card_lifetime && held_items(progress) > 0 && progress.started_at &&
           at >= *progress.started_at + *card.card_lifetime;
}

// A collection's card that ran out of time: the items it held are gone, what is owed stays owed.
StampProgress lapsed(StampProgress progress) {
    std::erase_if(progress.items, [](const auto& item) { return item.second > 0; });
    progress.stamps = total_of(progress.items);
    progress.started_at.reset();
    return progress;
}

// The card after the items a purchase brought (an owed item paid back first); `full` (the card
// then holds its whole set, as the caller judged by the set in force) empties it for the next card.
StampProgress collect(StampProgress progress, const std::vector<CollectedItem>& brought, bool full, Timestamp at) {
    const std::int64_t held_before = held_items(progress);
    for (const CollectedItem& item : brought) {
        if (++progress.items[item.item] == 0) progress.items.erase(item.item);
    }
    if (full) std::erase_if(progress.items, [](const auto& item) { return item.second > 0; });
    if (held_before == 0 || full) {
        progress.started_at = held_items(progress) > 0 ? std::optional(at) : std::nullopt;
    }
    progress.stamps = total_of(progress.items);
    return progress;
}

// Whether the card holds every item of the set in force (an item a later version dropped from the
// set does not count towards it).
bool holds_set(const StampCard& card, const std::map<std::string, std::int64_t>& items) {
    return std::all_of(card.items.begin(), card.items.end(), [&](const CollectionItem& item) {
        const auto found = items.find(item.id);
        return found != items.end() && found->second > 0;
    });
}

// "10/10, free coffee earned" (the card full) or "+1 (3/10)"; Persian "۱۰/۱۰، قهوه رایگان" (the
// label is the marketer's words).
ReceiptLine stamps_line(const StampCard& card, std::int64_t given, std::int64_t count_after, bool full,
                        Language language) {
    const bool persian = language == Language::kPersian;
    const std::string earned = card.reward_label.empty() ? std::string(phrase(Phrase::kStampCardFull, language))
                               : persian                 ? card.reward_label
                                                         : card.reward_label + " earned";
    return full ? receipt_line(card.name, count_text(card.goal, card.goal, language) + (persian ? "، " : ", ") + earned)
                : receipt_line(card.name, localized_digits(signed_number('+', given), language) + " (" +
                                              count_text(count_after, card.goal, language) + ")");
}

// A full card's rewards, one per fill: points or cashback (a "stamps:ID" earning), or a coupon code
// to issue.
void push_rewards(const StampCard& card, std::int64_t fills, const Currency& currency, const RuleSet& rules,
                  std::vector<Effect>& effects) {
    for (std::int64_t fill = 0; fill < fills; ++fill) {
        if (card.reward == StampRewardKind::kPoints) {
            effects.push_back(Effect{EffectKind::kEarnPoints, stamp_reward_rule_id(card.id), rules.version,
                                     card.reward_points,
                                     receipt_line(card.name, points_text(card.reward_points, rules.language))});
            continue;
        }
        if (card.reward == StampRewardKind::kCashback) {
            const std::int64_t amount = card.reward_cashback;
            effects.push_back(Effect{
                EffectKind::kEarnCashback, stamp_reward_rule_id(card.id), rules.version, amount,
                receipt_line(card.name, signed_money_text('+', {amount, currency}, rules.language)), 0, false, amount});
            continue;
        }
        Effect reward{EffectKind::kStampReward, card.id, rules.version, 0,
                      receipt_line(phrase(Phrase::kCouponWon, rules.language), card.reward_label)};
        reward.campaign_id = card.reward_campaign;
        reward.goal = card.goal;
        effects.push_back(std::move(reward));
    }
}

Effect lapse_effect(const StampCard& card, std::int64_t stamps, const RuleSet& rules) {
    Effect lapse{EffectKind::kStampsExpired, card.id, rules.version, stamps,
                 receipt_line(card.name, std::string(phrase(Phrase::kStampsExpired, rules.language)))};
    lapse.goal = card.goal;
    return lapse;
}

// What a purchase does on a collection: the items it brought, one stamp each, and the reward once
// the card holds them all (the same basket's further copies do not start the next card).
void collection_effects(const StampCard& card, const Purchase& purchase, StampProgress progress, const RuleSet& rules,
                        std::vector<Effect>& effects) {
    const Timestamp at = purchase.pos_time.utc;
    const std::int64_t held_before = held_items(progress);
    const bool lapse = collection_expired(card, progress, at);
    if (lapse) progress = lapsed(progress);
    std::vector<CollectedItem> brought = items_brought(card, purchase, progress.items);
    if (brought.empty()) return;
    if (lapse) effects.push_back(lapse_effect(card, held_before, rules));
    StampProgress collected = progress;
    for (const CollectedItem& item : brought) ++collected.items[item.item];
    const bool full = holds_set(card, collected.items);
    const StampProgress after = collect(progress, brought, full, at);
    const auto given = static_cast<std::int64_t>(brought.size());
    Effect stamps{EffectKind::kStamps, card.id, rules.version, given, ReceiptLine{}};
    stamps.count_after = held_items(after);
    stamps.goal = card.goal;
    stamps.receipt_line = stamps_line(card, given, stamps.count_after, full, rules.language);
    stamps.items = std::move(brought);
    effects.push_back(std::move(stamps));
    push_rewards(card, full ? 1 : 0, purchase.currency, rules, effects);
}

}  // namespace

std::int64_t held_items(const StampProgress& progress) {
    return std::count_if(progress.items.begin(), progress.items.end(),
                         [](const auto& item) { return item.second > 0; });
}

std::vector<CollectedItem> items_brought(const StampCard& card, const Purchase& purchase,
                                         const std::map<std::string, std::int64_t>& held) {
    std::vector<CollectedItem> brought;
    const auto has = [&](const std::string& id) {
        const auto found = held.find(id);
        return (found != held.end() && found->second > 0) ||
               std::any_of(brought.begin(), brought.end(), [&](const CollectedItem& b) { return b.item == id; });
    };
    for (const PurchaseLine& line : purchase.lines) {
        if (line.net_amount() <= 0) continue;
        for (const CollectionItem& item : card.items) {
            if (has(item.id) || !(listed(item.categories, line.category) || listed(item.skus, line.sku))) continue;
            brought.push_back(CollectedItem{item.id, line.line});
            break;
        }
    }
    return brought;
}

bool stamp_card_in_force(const StampCard& card, const Purchase& purchase, const std::string& tier,
                         const std::vector<std::string>& segments) {
    return within(card.valid_from, card.valid_until, purchase.pos_time.utc) &&
           card.scope.covers(purchase.key.store, tier) && card.scope.admits(segments);
}

std::vector<StampCard> read_stamp_cards(const json& list, std::vector<Error>& problems) {
    return read_list<StampCard>(list, "stamp_cards", problems, read_stamp_card);
}

std::optional<std::string> rewarded_card(const Effect& effect) {
    if (effect.kind == EffectKind::kStampReward) return effect.rule_id;
    if (effect.kind == EffectKind::kEarnPoints || effect.kind == EffectKind::kEarnCashback) {
        return stamp_card_of_rule_id(effect.rule_id);
    }
    return std::nullopt;
}

std::int64_t stamps_for_line(const StampCard& card, const PurchaseLine& line) {
    if (card.basis != StampBasis::kUnits || !matches(card, line) || line.net_amount() <= 0) return 0;
    return line.quantity_milli / 1000 * card.stamps_per_unit;
}

std::vector<Effect> stamp_effects(const Purchase& purchase, const std::map<std::string, StampProgress>& progress,
                                  const std::string& tier, const std::vector<std::string>& segments,
                                  const RuleSet& rules, const std::vector<std::string>& held_out) {
    std::vector<Effect> effects;
    for (const StampCard& card : rules.stamp_cards) {
        if (!stamp_card_in_force(card, purchase, tier, segments) || (card.holdout && listed(held_out, card.id))) {
            continue;
        }
        const auto found = progress.find(card.id);
        if (card.basis == StampBasis::kCollection) {
            collection_effects(card, purchase, found == progress.end() ? StampProgress{} : found->second, rules,
                               effects);
            continue;
        }
        const std::int64_t given = stamps_of(card, purchase);
        if (given <= 0) continue;
        std::int64_t before = found == progress.end() ? 0 : found->second.stamps;
        if (found != progress.end() && expired(card, found->second, purchase.pos_time.utc)) {
            effects.push_back(lapse_effect(card, before, rules));
            before = 0;
        }
        const std::int64_t total = before + given;
        const std::int64_t fills = total > 0 ? total / card.goal : 0;
        Effect stamps{EffectKind::kStamps, card.id, rules.version, given, ReceiptLine{}};
        stamps.count_after = total - fills * card.goal;
        stamps.goal = card.goal;
        stamps.receipt_line = stamps_line(card, given, stamps.count_after, fills > 0, rules.language);
        effects.push_back(std::move(stamps));
        push_rewards(card, fills, purchase.currency, rules, effects);
    }
    return effects;
}

std::vector<StampCardSummary> stamp_summaries(const std::vector<Effect>& effects, const RuleSet& rules) {
    std::vector<StampCardSummary> cards;
    for (const Effect& effect : effects) {
        if (effect.kind != EffectKind::kStamps) continue;
        const auto card = std::find_if(rules.stamp_cards.begin(), rules.stamp_cards.end(),
                                       [&](const StampCard& c) { return c.id == effect.rule_id; });
        cards.push_back(StampCardSummary{effect.rule_id, card == rules.stamp_cards.end() ? effect.rule_id : card->name,
                                         effect.amount, effect.count_after, effect.goal, 0});
    }
    for (const Effect& effect : effects) {
        const auto card_id = rewarded_card(effect);
        for (StampCardSummary& card : cards) {
            if (card_id && card.card_id == *card_id) ++card.rewards_earned;
        }
    }
    return cards;
}

StampProgress progress_after(const StampProgress& before, const std::vector<Effect>& effects,
                             const std::string& card_id, Timestamp at) {
    StampProgress after = before;
    for (const Effect& effect : effects) {
        if (effect.rule_id != card_id) continue;
        if (effect.kind == EffectKind::kStampsExpired) {
            after = lapsed(after);
        } else if (effect.kind == EffectKind::kStamps && !effect.items.empty()) {
            // Full when the purchase paid the card's reward (stamp_effects judged it by the set).
            const bool full = std::any_of(effects.begin(), effects.end(),
                                          [&](const Effect& reward) { return rewarded_card(reward) == card_id; });
            after = collect(after, effect.items, full, at);
        } else if (effect.kind == EffectKind::kStamps) {
            const bool filled = after.stamps + effect.amount >= effect.goal;
            if (after.stamps <= 0 || filled)
                after.started_at = effect.count_after > 0 ? std::optional(at) : std::nullopt;
            after.stamps = effect.count_after;
        }
    }
    return after;
}

StampRemoval plan_stamp_removal(std::int64_t stamps, std::int64_t removed, const std::vector<IssuedReward>& rewards,
                                StampDeficitPolicy policy) {
    StampRemoval removal;
    removal.stamps_after = stamps - removed;
    for (const IssuedReward& reward : rewards) {
        if (removal.stamps_after >= 0) break;
        if (reward.used) break;  // The newest reward was used: the older ones stay, whatever happens.
        removal.revoked.push_back(reward.id);
        removal.stamps_after += reward.goal;
    }
    if (removal.stamps_after < 0 && policy == StampDeficitPolicy::kForgive) {
        removal.forgiven = -removal.stamps_after;
        removal.stamps_after = 0;
    }
    return removal;
}

CollectionRemoval plan_collection_removal(std::map<std::string, std::int64_t> items,
                                          const std::vector<std::string>& set, const std::vector<std::string>& removed,
                                          const std::vector<IssuedReward>& rewards, StampDeficitPolicy policy) {
    CollectionRemoval removal;
    std::size_t next = 0;  // The newest reward not revoked yet.
    for (const std::string& item : removed) {
        if (items[item] > 0) {
            items[item] = 0;
            continue;
        }
        if (next < rewards.size() && !rewards[next].used) {
            // The card it completed comes back, all its items but this one.
            removal.revoked.push_back(rewards[next++].id);
            for (const std::string& each : set) {
                if (items[each] > 0) {
                    ++removal.dropped;
                } else {
                    ++items[each];
                }
            }
            --items[item];
            continue;
        }
        next = rewards.size();  // A used reward: the older ones stay, whatever happens.
        if (policy == StampDeficitPolicy::kForgive) {
            ++removal.forgiven;
        } else {
            --items[item];
        }
    }
    std::erase_if(items, [](const auto& entry) { return entry.second == 0; });
    removal.items = std::move(items);
    return removal;
}

std::int64_t merge_collection(std::map<std::string, std::int64_t>& into,
                              const std::map<std::string, std::int64_t>& from) {
    std::int64_t dropped = 0;
    for (const auto& [item, count] : from) {
        std::int64_t& merged = into[item];
        merged += count;
        if (merged > 1) {
            dropped += merged - 1;
            merged = 1;
        }
    }
    std::erase_if(into, [](const auto& entry) { return entry.second == 0; });
    return dropped;
}

}  // namespace patron::core
