// Byte strings for cryptography: SecretBytes wipes itself (OPENSSL_cleanse) when it dies, so
// keys and decrypted plaintext do not linger in freed memory; hex and base64 codecs for keys
// files, signatures and tokens.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace patron::crypto {

using Bytes = std::vector<std::uint8_t>;

class SecretBytes {
  public:
    SecretBytes() = default;
    explicit SecretBytes(std::size_t size) : bytes_(size) {}
    explicit SecretBytes(std::span<const std::uint8_t> bytes) : bytes_(bytes.begin(), bytes.end()) {}
    SecretBytes(const SecretBytes& other) = default;
    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(const SecretBytes& other);
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    ~SecretBytes();

    std::uint8_t* data() { return bytes_.data(); }
    const std::uint8_t* data() const { return bytes_.data(); }
    std::size_t size() const { return bytes_.size(); }
    std::span<const std::uint8_t> view() const { return bytes_; }

  private:
    void wipe();
    std::vector<std::uint8_t> bytes_;
};

std::span<const std::uint8_t> as_bytes(std::string_view text);
std::string as_string(std::span<const std::uint8_t> bytes);

std::string to_hex(std::span<const std::uint8_t> bytes);
std::optional<Bytes> from_hex(std::string_view hex);
std::string to_base64(std::span<const std::uint8_t> bytes);
std::optional<Bytes> from_base64(std::string_view text);

// Thrown when OpenSSL itself fails (out of memory, a broken provider): never a client's fault.
struct CryptoFailure : std::exception {
    explicit CryptoFailure(const char* what) : what_(what) {}
    const char* what() const noexcept override { return what_; }
    const char* what_;
};

}  // namespace patron::crypto
