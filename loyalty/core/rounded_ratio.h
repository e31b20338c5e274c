// The integer ratios reports show (shares per mille, means x 100, spend per buyer): one rounding
// for every report, half away from zero, so that -12.5 and 12.5 round alike in size.
#pragma once

#include <cstdint>

namespace patron::core {

// numerator * scale / denominator rounded half away from zero, computed without overflow; 0 when
// denominator is 0.
std::int64_t rounded_ratio(std::int64_t numerator, std::int64_t scale, std::int64_t denominator);

}  // namespace patron::core
