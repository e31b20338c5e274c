// Stores, terminals and terminal keys as the API shows them to an admin. A key's secret never
// appears here: it is shown once, in the answer that issues it.
#pragma once

#include <nlohmann/json.hpp>

#include "loyalty/core/time.h"
#include "loyalty/service/access/terminal_service.h"

namespace patron::api {

// id, created_at, expires_at, revoked_at and the key's state at `now` ("active", "expiring",
// "expired", "revoked").
nlohmann::json key_document(const store::TerminalKeyRecord& key, core::Timestamp now);
nlohmann::json terminal_document(const service::TerminalView& view, core::Timestamp now);
nlohmann::json store_document(const store::StoreRecord& store);

}  // namespace patron::api
