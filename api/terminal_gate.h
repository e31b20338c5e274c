// Admits a signed POS request: header form, time window, the terminal's key, the signature
// (constant-time) and finally the nonce, recorded only once the signature is good so that
// forged requests cannot burn a terminal's nonces.
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

class TerminalGate {
  public:
    TerminalGate(service::AccessService& access, const service::Clock& clock);
    core::Result<service::TerminalIdentity> admit(const SignedRequest& request);

  private:
    service::AccessService& access_;
    const service::Clock& clock_;
};

}  // namespace patron::api
