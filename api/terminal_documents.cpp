#include "api/terminal_documents.h"

#include "api/http_types.h"

namespace patron::api {
namespace {

using nlohmann::json;

const char* key_state_text(service::KeyState state) {
    switch (state) {
        case service::KeyState::kActive:
            return "active";
        case service::KeyState::kExpiring:
            return "expiring";
        case service::KeyState::kExpired:
            return "expired";
        case service::KeyState::kRevoked:
            return "revoked";
    }
    return "active";
}

}  // namespace

json key_document(const store::TerminalKeyRecord& key, core::Timestamp now) {
    return {{"key_id", key.key_id},
            {"state", key_state_text(service::key_state(key, now))},
            {"created_at", core::format_utc(key.created_at, core::TimeFormat::kRfc3339)},
            {"expires_at", time_or_null(key.expires_at)},
            {"revoked_at", time_or_null(key.revoked_at)}};
}

json terminal_document(const service::TerminalView& view, core::Timestamp now) {
    json keys = json::array();
    for (const store::TerminalKeyRecord& key : view.keys) keys.push_back(key_document(key, now));
    return {{"store", view.store_code}, {"code", view.terminal.code}, {"keys", keys}};
}

json store_document(const store::StoreRecord& store) {
    return {{"code", store.code}, {"name", store.name}, {"currency", store.currency}, {"time_zone", store.time_zone}};
}

}  // namespace patron::api
