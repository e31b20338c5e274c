#include "loyalty/service/posting/coupon_codes.h"

#include <unordered_set>

namespace patron::service {

std::vector<std::string> generate_coupon_codes(crypto::RandomSource& random, std::size_t count, int length,
                                               const std::string& prefix) {
    std::vector<std::string> codes;
    codes.reserve(count);
    std::unordered_set<std::string> seen;
    seen.reserve(count * 2);
    while (codes.size() < count) {
        const std::size_t wanted = count - codes.size();
        const crypto::Bytes bytes = random.bytes(wanted * static_cast<std::size_t>(length));
        for (std::size_t i = 0; i < wanted; ++i) {
            std::string code = prefix;
            for (int j = 0; j < length; ++j) {
                code += kCouponAlphabet[bytes[i * static_cast<std::size_t>(length) + static_cast<std::size_t>(j)] & 31];
            }
            if (seen.insert(code).second) codes.push_back(std::move(code));
        }
    }
    return codes;
}

}  // namespace patron::service
