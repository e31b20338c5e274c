#include "api/terminal_gate.h"

#include "pos-adapter/request_signature.h"

namespace patron::api {

TerminalGate::TerminalGate(service::AccessService& access, const service::Clock& clock)
    : access_(access), clock_(clock) {}

core::Result<Admitted> TerminalGate::admit(const SignedRequest& request, bool defer_nonce) {
    auto headers = pos::read_signature_headers(request.key_id, request.timestamp, request.nonce, request.signature);
    if (!headers) return std::unexpected(headers.error());
    if (auto fresh = pos::check_timestamp(headers->timestamp_s, clock_.now()); !fresh)
        return std::unexpected(fresh.error());
    auto terminal = access_.terminal_by_key(headers->key_id);
    if (!terminal) return std::unexpected(terminal.error());
    const std::string canonical = pos::canonical_request(request.method, request.path_with_query, headers->timestamp,
                                                         headers->nonce, request.body);
    if (!pos::signature_matches((*terminal)->secret.view(), canonical, headers->signature)) {
        return core::fail(core::ErrorCode::kSignatureInvalid, "the request signature does not match",
                          "X-Patron-Signature");
    }
    service::TerminalNonce nonce{headers->key_id, headers->nonce};
    if (defer_nonce) return Admitted{(*terminal)->identity, std::move(nonce)};
    if (auto used = record_nonce(nonce); !used) return std::unexpected(used.error());
    return Admitted{(*terminal)->identity, std::nullopt};
}

core::Result<void> TerminalGate::record_nonce(const service::TerminalNonce& nonce) {
    return access_.use_nonce(nonce.key_id, nonce.nonce);
}

}  // namespace patron::api
