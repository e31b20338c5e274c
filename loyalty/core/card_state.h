// The states of a member's card: only an active card earns and pays at the till; a blocked or
// lost one may be unblocked; a closed or replaced one stays so. The spellings ("active", ...) live
// only in to_string and parse_card_state; the API's JSON and the database's column both use them.
#pragma once

#include <array>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/core/error.h"

namespace patron::core {

enum class CardState {
    kActive,
    kBlocked,
    kLost,
    kReplaced,  // Set by a replacement only, never by a state change.
    kClosed,
};

inline constexpr std::array kCardStates{CardState::kActive, CardState::kBlocked, CardState::kLost, CardState::kReplaced,
                                        CardState::kClosed};

std::string_view to_string(CardState state);
// Never as a JSON number: nlohmann would write an enum as its integer, so an answer must spell it
// with to_string (writing one straight into JSON does not compile).
void to_json(nlohmann::json&, CardState) = delete;

// The state spelled so (exactly, case included); nullopt for any other text.
std::optional<CardState> parse_card_state(std::string_view spelling);

// A closed or replaced card: no state change nor replacement applies to it any more.
constexpr bool is_final(CardState state) { return state == CardState::kClosed || state == CardState::kReplaced; }

// Nothing for an active card; CARD_BLOCKED for a blocked or lost one and CARD_CLOSED for a closed or
// replaced one, naming `field`: what the till answers, and what staff hear choosing a primary card.
Result<void> check_card_active(CardState state, std::string field);

}  // namespace patron::core
