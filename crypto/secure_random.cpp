#include "crypto/secure_random.h"

#include <openssl/rand.h>

namespace patron::crypto {

Bytes RandomSource::bytes(std::size_t count) {
    Bytes out(count);
    fill(out);
    return out;
}

std::string RandomSource::digits(std::size_t count) {
    std::string text;
    while (text.size() < count) {
        std::uint8_t byte = 0;
        fill({&byte, 1});
        // 250 is the largest multiple of 10 below 256: bytes above it would favour small digits.
        if (byte < 250) text += static_cast<char>('0' + byte % 10);
    }
    return text;
}

std::string RandomSource::token_hex(std::size_t count) { return to_hex(bytes(count)); }

void SystemRandom::fill(std::span<std::uint8_t> out) {
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) throw CryptoFailure("RAND_bytes failed");
}

}  // namespace patron::crypto
