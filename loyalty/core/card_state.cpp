#include "loyalty/core/card_state.h"

namespace patron::core {

std::string_view to_string(CardState state) {
    switch (state) {
        case CardState::kActive:
            return "active";
        case CardState::kBlocked:
            return "blocked";
        case CardState::kLost:
            return "lost";
        case CardState::kReplaced:
            return "replaced";
        case CardState::kClosed:
            return "closed";
    }
    return "unknown";
}

std::optional<CardState> parse_card_state(std::string_view spelling) {
    for (const CardState state : kCardStates) {
        if (to_string(state) == spelling) return state;
    }
    return std::nullopt;
}

Result<void> check_card_active(CardState state, std::string field) {
    switch (state) {
        case CardState::kActive:
            return {};
        case CardState::kBlocked:
        case CardState::kLost:
            return fail(ErrorCode::kCardBlocked, "this card is blocked", std::move(field));
        case CardState::kReplaced:
        case CardState::kClosed:
            break;
    }
    return fail(ErrorCode::kCardClosed, "this card is closed", std::move(field));
}

}  // namespace patron::core
