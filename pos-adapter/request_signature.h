// The POS request signature of docs/integration.md: HMAC-SHA256 over
//   METHOD \n PATH_WITH_QUERY \n TIMESTAMP \n NONCE \n hex(SHA-256(body))
// with the terminal's secret, sent as lowercase hex. This file holds the recipe and the
// header syntax; TerminalGate adds the key look-up, the time window and the nonce store.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "loyalty/core/error.h"
#include "loyalty/core/time.h"

namespace patron::pos {

inline constexpr std::int64_t kTimestampSkewMax_s = 300;

struct SignatureHeaders {
    std::string key_id;
    std::string timestamp;  // As sent: it is signed as text.
    std::int64_t timestamp_s = 0;
    std::string nonce;
    std::string signature;
};

// The four X-Patron-* headers, checked for form; SIGNATURE_INVALID names the bad one.
core::Result<SignatureHeaders> read_signature_headers(const std::optional<std::string>& key_id,
                                                      const std::optional<std::string>& timestamp,
                                                      const std::optional<std::string>& nonce,
                                                      const std::optional<std::string>& signature);

std::string canonical_request(std::string_view method, std::string_view path_with_query, std::string_view timestamp,
                              std::string_view nonce, std::string_view body);

// Lowercase hex HMAC-SHA256 of the canonical request under the secret.
std::string sign_request(std::span<const std::uint8_t> secret, std::string_view canonical);

// TIMESTAMP_SKEW when the request's time is more than 300 s from now.
core::Result<void> check_timestamp(std::int64_t timestamp_s, core::Timestamp now);

// Constant-time comparison of the sent signature with the expected one.
bool signature_matches(std::span<const std::uint8_t> secret, std::string_view canonical, std::string_view sent_hex);

}  // namespace patron::pos
