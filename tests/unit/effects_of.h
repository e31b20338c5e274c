// The effects of one kind in an outcome, in order: what the unit tests of stamp cards and
// collections look at.
#pragma once

#include <vector>

#include "loyalty/core/engine.h"

namespace patron::core {

inline std::vector<Effect> of_kind(const Outcome& outcome, EffectKind kind) {
    std::vector<Effect> found;
    for (const Effect& effect : outcome.effects) {
        if (effect.kind == kind) found.push_back(effect);
    }
    return found;
}

}  // namespace patron::core
