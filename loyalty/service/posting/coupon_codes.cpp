#include "loyalty/service/posting/coupon_codes.h"

#include <soci/soci.h>

#include <stdexcept>
#include <unordered_set>

#include "loyalty/store/program/coupon_store.h"

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

std::pair<std::string, long long> issue_member_code(soci::session& sql, long long program_id, long long member_id,
                                                    long long campaign_id, crypto::RandomSource& random,
                                                    core::Timestamp now) {
    constexpr int kLength = 12;
    for (int draw = 0; draw < 8; ++draw) {
        const std::string code = generate_coupon_codes(random, 1, kLength, "").front();
        if (store::insert_coupon_codes(sql, program_id, campaign_id, {code}, true, now) == 0) continue;
        const auto record = store::find_coupon_code(sql, program_id, code);
        store::assign_coupon_code(sql, record->id, member_id);
        return {code, record->id};
    }
    // Eight clashes in a row among 2^60 codes means the random source is broken: fail loudly.
    throw std::logic_error("could not draw a free coupon code");
}

}  // namespace patron::service
