// Admits a signed POS request: header form, time window, the terminal's key, the signature
// (constant-time) and finally the nonce, recorded only once the signature is good so that
// forged requests cannot burn a terminal's nonces. Recording the nonce also checks that the key
// may still sign (revoked or past its grace period: refused), in the database.
#pragma once

#include <optional>
#include <string>

#include "loyalty/core/error.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"

namespace patron::api {

struct SignedRequest {
    std::string method;
    std::string path_with_query;
    std::string body;
    std::optional<std::string> key_id;
    std::optional<std::string> timestamp;
    std::optional<std::string> nonce;
    std::optional<std::string> signature;
};

// A terminal admitted, and its nonce when the operation is to record it in its own transaction.
struct Admitted {
    service::TerminalIdentity identity;
    std::optional<service::TerminalNonce> nonce;
};

class TerminalGate {
  public:
    TerminalGate(service::AccessService& access, const service::Clock& clock);
    // With `defer_nonce`, the nonce is not recorded here but handed back: the operation records it
    // in its transaction, or, when it ends without doing so, record_nonce does.
    core::Result<Admitted> admit(const SignedRequest& request, bool defer_nonce = false);
    core::Result<void> record_nonce(const service::TerminalNonce& nonce);

  private:
    service::AccessService& access_;
    const service::Clock& clock_;
};

}  // namespace patron::api
