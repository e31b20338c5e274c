// Idempotency-Key on staff and member writes (issue 20): the write runs once, its first
// successful answer kept with what it wrote (service::WriteOnceService) and given again byte for
// byte, with Idempotent-Replayed: true, to the same key from the same caller with the same
// request; the key with another request is refused, 409 IDEMPOTENCY_CONFLICT.
#pragma once

#include <string>

#include "api/http_types.h"
#include "api/router.h"
#include "loyalty/service/access/write_once_service.h"

namespace patron::api {

// Staff and member writes keep their answers; not sign-outs (the token ends), the password
// change (its answer is a new token), a member's own erasure (nothing of hers is kept), nor the
// previews (they write nothing) and backtests (jobs on threads of their own).
bool keeps_answers(const Route& route);

// The route's answer to the request, once for its key.
HttpResponse answer_once(service::WriteOnceService& writes, const Route& route, const HttpRequest& request,
                         const CallContext& context, const std::string& key);

}  // namespace patron::api
