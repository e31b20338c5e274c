#include "crypto/password.h"

#include <stdexcept>
#include <vector>

#include "crypto/digest.h"
#include "crypto/kdf.h"

namespace patron::crypto {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
constexpr unsigned kIterationsMax = 10'000'000;  // A stored text asking for more is not ours.

Bytes pbkdf2(std::string_view password, const Bytes& salt, unsigned iterations) {
    std::string digest = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest.data(), 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<char*>(password.data()), password.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<std::uint8_t*>(salt.data()), salt.size()),
        OSSL_PARAM_construct_uint(OSSL_KDF_PARAM_ITER, &iterations),
        OSSL_PARAM_construct_end(),
    };
    const SecretBytes out = derive_key("PBKDF2", params, kHashBytes);
    return Bytes(out.view().begin(), out.view().end());
}

}  // namespace

// 600,000 unless the build says otherwise, which only the sanitized test build may (see
// crypto/CMakeLists.txt): a stored hash names its own iterations, so either verifies anywhere.
#ifndef PATRON_PASSWORD_ITERATIONS
#define PATRON_PASSWORD_ITERATIONS 600000
#endif
constexpr unsigned kPasswordIterations = PATRON_PASSWORD_ITERATIONS;
static_assert(kPasswordIterations >= 10'000, "PBKDF2 needs at least 10,000 iterations even in tests");

unsigned password_iterations() { return kPasswordIterations; }

std::string hash_password(std::string_view password, RandomSource& random) {
    const Bytes salt = random.bytes(kSaltBytes);
    return "pbkdf2-sha256$" + std::to_string(kPasswordIterations) + "$" + to_hex(salt) + "$" +
           to_hex(pbkdf2(password, salt, kPasswordIterations));
}

bool verify_password(std::string_view password, const std::string& stored) {
    const std::string prefix = "pbkdf2-sha256$";
    if (!stored.starts_with(prefix)) return false;
    const std::size_t iterations_end = stored.find('$', prefix.size());
    const std::size_t salt_end =
        iterations_end == std::string::npos ? iterations_end : stored.find('$', iterations_end + 1);
    if (salt_end == std::string::npos) return false;
    unsigned long iterations = 0;
    try {
        iterations = std::stoul(stored.substr(prefix.size(), iterations_end - prefix.size()));
    } catch (const std::exception&) {
        return false;
    }
    const auto salt = from_hex(stored.substr(iterations_end + 1, salt_end - iterations_end - 1));
    const auto expected = from_hex(stored.substr(salt_end + 1));
    if (iterations == 0 || iterations > kIterationsMax || !salt || !expected || expected->size() != kHashBytes) {
        return false;
    }
    return constant_time_equal(pbkdf2(password, *salt, static_cast<unsigned>(iterations)), *expected);
}

const std::string& decoy_password_hash() {
    static const std::string hash = [] {
        SystemRandom random;
        return hash_password(random.token_hex(16), random);
    }();
    return hash;
}

}  // namespace patron::crypto
