// A member's primary card: the one the portal prints first. Staff choose it; while the chosen card
// is not active (blocked, lost, closed, replaced) the member's oldest active card stands in, and a
// chosen card that is unblocked is primary again, so the portal always prints a card the till takes.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "loyalty/core/card_state.h"

namespace patron::core {

// The index of the primary card among `cards` (oldest first; each with `number` and `state`):
// `chosen` while it is active, else the oldest active card; nullopt when no card is active.
template <typename Card>
std::optional<std::size_t> primary_card_index(const std::vector<Card>& cards, std::string_view chosen) {
    std::optional<std::size_t> oldest_active;
    for (std::size_t i = 0; i < cards.size(); ++i) {
        if (cards[i].state != CardState::kActive) continue;
        if (cards[i].number == chosen) return i;
        if (!oldest_active) oldest_active = i;
    }
    return oldest_active;
}

}  // namespace patron::core
