#include "loyalty/service/posting/holdout_assignment.h"

#include "crypto/digest.h"

namespace patron::service {
namespace {

constexpr std::string_view kLabel = "patron holdout v1";

template <typename T>
void add_if_held_out(const T& rule, long long member_id, std::vector<std::string>& ids) {
    if (rule.holdout && is_held_out(*rule.holdout, core::CampaignKind::kRule, rule.id, member_id)) {
        ids.push_back(rule.id);
    }
}

}  // namespace

int holdout_bucket(core::CampaignKind kind, std::string_view campaign_key, long long member_id) {
    std::string input(kLabel);
    input.append("\n").append(core::to_string(kind)).append("\n").append(campaign_key);
    input.append("\n").append(std::to_string(member_id));
    const crypto::Bytes digest = crypto::sha256({reinterpret_cast<const std::uint8_t*>(input.data()), input.size()});
    std::uint64_t head = 0;
    for (std::size_t i = 0; i < 8; ++i) head = head << 8 | digest[i];
    return static_cast<int>(head % kHoldoutBuckets);
}

bool is_held_out(const core::Holdout& holdout, core::CampaignKind kind, std::string_view campaign_key,
                 long long member_id) {
    return holdout_bucket(kind, campaign_key, member_id) < holdout.percent * (kHoldoutBuckets / 100);
}

std::vector<std::string> held_out_rules(const core::RuleSet& rules, long long member_id) {
    std::vector<std::string> ids;
    for (const core::Rule& rule : rules.rules) add_if_held_out(rule, member_id, ids);
    for (const core::CashbackRule& rule : rules.cashback) add_if_held_out(rule, member_id, ids);
    for (const core::StampCard& card : rules.stamp_cards) add_if_held_out(card, member_id, ids);
    return ids;
}

}  // namespace patron::service
