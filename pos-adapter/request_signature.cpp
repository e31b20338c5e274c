#include "pos-adapter/request_signature.h"

#include <algorithm>
#include <charconv>

#include "crypto/bytes.h"
#include "crypto/digest.h"

namespace patron::pos {
namespace {

using core::ErrorCode;
using core::fail;

bool is_nonce_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool is_visible_ascii(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

}  // namespace

core::Result<SignatureHeaders> read_signature_headers(const std::optional<std::string>& key_id,
                                                      const std::optional<std::string>& timestamp,
                                                      const std::optional<std::string>& nonce,
                                                      const std::optional<std::string>& signature) {
    SignatureHeaders headers;
    if (!key_id || key_id->empty() || key_id->size() > 64 || !is_visible_ascii(*key_id)) {
        return fail(ErrorCode::kSignatureInvalid, "X-Patron-Key is missing or malformed", "X-Patron-Key");
    }
    headers.key_id = *key_id;
    if (!timestamp || timestamp->empty() || timestamp->size() > 12) {
        return fail(ErrorCode::kSignatureInvalid, "X-Patron-Timestamp must be Unix time in seconds",
                    "X-Patron-Timestamp");
    }
    const auto [end, error] =
        std::from_chars(timestamp->data(), timestamp->data() + timestamp->size(), headers.timestamp_s);
    if (error != std::errc() || end != timestamp->data() + timestamp->size()) {
        return fail(ErrorCode::kSignatureInvalid, "X-Patron-Timestamp must be Unix time in seconds",
                    "X-Patron-Timestamp");
    }
    headers.timestamp = *timestamp;
    if (!nonce || nonce->size() < 16 || nonce->size() > 64 ||
        !std::all_of(nonce->begin(), nonce->end(), is_nonce_char)) {
        return fail(ErrorCode::kSignatureInvalid, "X-Patron-Nonce must be 16-64 characters [A-Za-z0-9_-]",
                    "X-Patron-Nonce");
    }
    headers.nonce = *nonce;
    if (!signature || signature->size() != 64) {
        return fail(ErrorCode::kSignatureInvalid, "X-Patron-Signature must be 64 lowercase hex digits",
                    "X-Patron-Signature");
    }
    headers.signature = *signature;
    return headers;
}

std::string canonical_request(std::string_view method, std::string_view path_with_query, std::string_view timestamp,
                              std::string_view nonce, std::string_view body) {
    std::string canonical;
    canonical.reserve(method.size() + path_with_query.size() + timestamp.size() + nonce.size() + 68);
    canonical.append(method).append("\n");
    canonical.append(path_with_query).append("\n");
    canonical.append(timestamp).append("\n");
    canonical.append(nonce).append("\n");
    canonical.append(crypto::to_hex(crypto::sha256(crypto::as_bytes(body))));
    return canonical;
}

std::string sign_request(std::span<const std::uint8_t> secret, std::string_view canonical) {
    return crypto::to_hex(crypto::hmac_sha256(secret, crypto::as_bytes(canonical)));
}

core::Result<void> check_timestamp(std::int64_t timestamp_s, core::Timestamp now) {
    const std::int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    const std::int64_t skew = timestamp_s > now_s ? timestamp_s - now_s : now_s - timestamp_s;
    if (skew > kTimestampSkewMax_s) {
        return fail(ErrorCode::kTimestampSkew, "X-Patron-Timestamp is more than 300 s from the server's clock",
                    "X-Patron-Timestamp");
    }
    return {};
}

bool signature_matches(std::span<const std::uint8_t> secret, std::string_view canonical, std::string_view sent_hex) {
    const std::string expected = sign_request(secret, canonical);
    return crypto::constant_time_equal(crypto::as_bytes(expected), crypto::as_bytes(sent_hex));
}

}  // namespace patron::pos
