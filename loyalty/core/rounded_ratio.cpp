#include "loyalty/core/rounded_ratio.h"

namespace patron::core {

std::int64_t rounded_ratio(std::int64_t numerator, std::int64_t scale, std::int64_t denominator) {
    if (denominator == 0) return 0;
    __int128 scaled = static_cast<__int128>(numerator) * scale;
    __int128 divisor = denominator;
    if (divisor < 0) {
        scaled = -scaled;
        divisor = -divisor;
    }
    const __int128 magnitude = ((scaled < 0 ? -scaled : scaled) * 2 + divisor) / (2 * divisor);
    return static_cast<std::int64_t>(scaled < 0 ? -magnitude : magnitude);
}

}  // namespace patron::core
