// The spellings of staff roles, card states, member statuses, effect kinds, event types and audit
// actions: the API's JSON and the database's columns use exactly these, so each reads back to its
// value and nothing else reads.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/audit_action.h"
#include "loyalty/core/card_state.h"
#include "loyalty/core/effect.h"
#include "loyalty/core/events.h"
#include "loyalty/core/member_status.h"
#include "loyalty/core/staff_role.h"
#include "tests/support/build_paths.h"

namespace patron::core {
namespace {

// Every value spelled as `spellings` says, in order, and read back from its spelling; one value a
// spelling at most, and the enum's last value is the list's last (none left out).
template <typename Enum, std::size_t N, typename Parse>
void expect_spellings(const std::array<Enum, N>& values, Parse parse, const std::vector<std::string_view>& spellings,
                      Enum last) {
    ASSERT_EQ(values.size(), spellings.size());
    EXPECT_EQ(values.size(), static_cast<std::size_t>(last) + 1);
    std::set<std::string_view> distinct;
    for (std::size_t i = 0; i < values.size(); ++i) {
        SCOPED_TRACE(spellings[i]);
        EXPECT_EQ(static_cast<std::size_t>(values[i]), i) << "listed in declaration order";
        EXPECT_EQ(to_string(values[i]), spellings[i]);
        EXPECT_EQ(parse(spellings[i]), values[i]);
        distinct.insert(to_string(values[i]));
    }
    EXPECT_EQ(distinct.size(), values.size());
}

// Text close to a spelling is no spelling: case, spaces, a prefix, and the fallback's "unknown".
template <typename Parse>
void expect_refused(Parse parse, std::string_view spelling) {
    const std::string text(spelling);
    std::string upper = text;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const std::string& near : {std::string(), upper, " " + text, text + " ", text.substr(0, text.size() - 1),
                                    text + "s", text + std::string(1, '\0'), std::string("unknown")}) {
        SCOPED_TRACE(near);
        EXPECT_EQ(parse(near), std::nullopt);
    }
}

TEST(Spellings, StaffRolesAreSpelledAsTheApiAndTheDatabaseHaveThem) {
    expect_spellings(kStaffRoles, parse_staff_role, {"admin", "marketer", "support", "analyst"}, StaffRole::kAnalyst);
    for (const StaffRole role : kStaffRoles) expect_refused(parse_staff_role, to_string(role));
    EXPECT_EQ(parse_staff_role("owner"), std::nullopt);
}

TEST(Spellings, CardStatesAreSpelledAsTheApiAndTheDatabaseHaveThem) {
    expect_spellings(kCardStates, parse_card_state, {"active", "blocked", "lost", "replaced", "closed"},
                     CardState::kClosed);
    for (const CardState state : kCardStates) expect_refused(parse_card_state, to_string(state));
    EXPECT_EQ(parse_card_state("frozen"), std::nullopt);
}

TEST(Spellings, OnlyClosedAndReplacedCardsAreFinal) {
    for (const CardState state : kCardStates) {
        EXPECT_EQ(is_final(state), state == CardState::kClosed || state == CardState::kReplaced) << to_string(state);
    }
}

TEST(Spellings, MemberStatusesAreSpelledAsTheApiAndTheDatabaseHaveThem) {
    expect_spellings(kMemberStatuses, parse_member_status, {"active", "erased", "merged"}, MemberStatus::kMerged);
    for (const MemberStatus status : kMemberStatuses) expect_refused(parse_member_status, to_string(status));
    EXPECT_EQ(parse_member_status("deleted"), std::nullopt);
}

TEST(Spellings, EffectKindsAreSpelledAsTillsReadThem) {
    expect_spellings(kEffectKinds, parse_effect_kind,
                     {"earn_points", "redeem_points", "reverse_points", "refund_points", "tier_change",
                      "coupon_discount", "coupon_given_back", "earn_cashback", "spend_cashback", "reverse_cashback",
                      "refund_cashback", "stamps", "stamps_expired", "stamp_reward", "stamps_removed",
                      "stamp_reward_revoked", "draw_entries", "draw_entries_removed"},
                     EffectKind::kDrawEntriesRemoved);
    for (const EffectKind kind : kEffectKinds) expect_refused(parse_effect_kind, to_string(kind));
}

TEST(Spellings, EventTypesAreSpelledAsTheOutboxAndReceiversHaveThem) {
    expect_spellings(kEventTypes, parse_event_type,
                     {"member_enrolled", "member_updated", "member_erased", "member_merged", "purchase_committed",
                      "purchase_returned", "purchase_voided", "points_adjusted", "points_expiring", "points_expired",
                      "tier_changed", "reward_issued", "coupon_issued", "coupon_redeemed", "stamp_card_completed",
                      "cashback_credited", "purchase_claimed", "fraud_signal_raised", "draw_won"},
                     EventType::kDrawWon);
    for (const EventType type : kEventTypes) expect_refused(parse_event_type, to_string(type));
}

// docs/events.md gives every type's data under a heading that names it.
TEST(Spellings, EveryEventTypeIsDocumentedForReceivers) {
    std::ifstream file(patron::testing::source_dir() + "/docs/events.md", std::ios::binary);
    std::vector<std::string> headings;
    for (std::string line; std::getline(file, line);) {
        if (line.starts_with("### ")) headings.push_back(line);
    }
    ASSERT_FALSE(headings.empty()) << "docs/events.md lost its types";
    for (const EventType type : kEventTypes) {
        const std::string named = "`" + std::string(to_string(type)) + "`";
        EXPECT_TRUE(std::ranges::any_of(headings, [&](const std::string& line) { return line.contains(named); }))
            << named << " has no heading in docs/events.md";
    }
}

// api/openapi.yaml gives every type's body under webhooks, keyed by its name, and no type that is gone.
TEST(Spellings, EveryEventTypeHasItsBodyInTheOpenApiWebhooks) {
    std::ifstream file(patron::testing::source_dir() + "/api/openapi.yaml", std::ios::binary);
    std::vector<std::string> keys;
    bool in_webhooks = false;
    for (std::string line; std::getline(file, line);) {
        if (line == "webhooks:") {
            in_webhooks = true;
        } else if (in_webhooks && !line.empty() && line.front() != ' ' && line.front() != '#') {
            break;  // The next top-level key.
        } else if (in_webhooks && line.starts_with("  ") && line.size() > 2 && line[2] != ' ' && line[2] != '#') {
            keys.push_back(line.substr(2, line.find(':') - 2));
        }
    }
    ASSERT_FALSE(keys.empty()) << "api/openapi.yaml lost its webhooks";
    for (const EventType type : kEventTypes) {
        const std::string named(to_string(type));
        EXPECT_TRUE(std::ranges::find(keys, named) != keys.end()) << named << " has no webhook in api/openapi.yaml";
    }
    EXPECT_EQ(keys.size(), kEventTypes.size()) << "api/openapi.yaml has a webhook for a type that is gone";
}

TEST(Spellings, AuditActionsAreSpelledAsTheLogHasThem) {
    expect_spellings(kAuditActions, parse_audit_action,
                     {"member.enrol",
                      "member.update",
                      "member.export",
                      "member.erase",
                      "member.password",
                      "member.merge_in",
                      "member.merged",
                      "points.adjust",
                      "purchase.claim",
                      "card.issue",
                      "card.primary",
                      "card.active",
                      "card.blocked",
                      "card.lost",
                      "card.closed",
                      "card.replace",
                      "card_range.register",
                      "program.settings",
                      "rules.draft",
                      "rules.discard_draft",
                      "rules.publish",
                      "rules.rollback",
                      "tiers.set",
                      "tiers.remove",
                      "coupon_campaign.create",
                      "coupon_campaign.replace",
                      "coupon_campaign.publish",
                      "coupon_campaign.end",
                      "coupon_campaign.codes",
                      "coupon_campaign.issue",
                      "coupon_code.assign",
                      "segment.create",
                      "segment.change",
                      "segment.delete",
                      "store.register",
                      "terminal.register",
                      "terminal.rotate_key",
                      "terminal.revoke_key",
                      "staff.create",
                      "staff.update",
                      "webhook.create",
                      "webhook.change",
                      "webhook.replay",
                      "webhook.delete",
                      "trigger.create",
                      "trigger.change",
                      "fraud_policy.change",
                      "fraud_signal.review",
                      "referral_terms.change",
                      "draw.create",
                      "draw.change",
                      "draw.publish",
                      "draw.cancel",
                      "draw.codes",
                      "draw.codes_export",
                      "draw.run",
                      "draw.prize_hand_over"},
                     AuditAction::kDrawPrizeHandOver);
    for (const AuditAction action : kAuditActions) expect_refused(parse_audit_action, to_string(action));
}

TEST(Spellings, ACardStateSetIsAuditedAsCardAndTheState) {
    for (const CardState state : {CardState::kActive, CardState::kBlocked, CardState::kLost, CardState::kClosed}) {
        EXPECT_EQ(to_string(card_state_action(state)), "card." + std::string(to_string(state)));
    }
    EXPECT_EQ(card_state_action(CardState::kReplaced), AuditAction::kCardReplace) << "as a replacement is audited";
}

TEST(StaffRoles, ASetHoldsTheRolesItWasGivenAndNoOther) {
    constexpr StaffRoles none;
    constexpr StaffRoles care{StaffRole::kAdmin, StaffRole::kSupport};
    EXPECT_TRUE(none.empty());
    EXPECT_FALSE(care.empty());
    for (const StaffRole role : kStaffRoles) {
        EXPECT_FALSE(none.contains(role)) << to_string(role);
        EXPECT_EQ(care.contains(role), role == StaffRole::kAdmin || role == StaffRole::kSupport) << to_string(role);
    }
    const StaffRoles everyone = care | StaffRoles{StaffRole::kMarketer} | StaffRoles{StaffRole::kAnalyst};
    for (const StaffRole role : kStaffRoles) EXPECT_TRUE(everyone.contains(role)) << to_string(role);
    EXPECT_EQ(care | none, care);
    EXPECT_EQ((StaffRoles{StaffRole::kSupport, StaffRole::kAdmin}), care) << "order does not matter";
    EXPECT_NE(everyone, care);
}

}  // namespace
}  // namespace patron::core
