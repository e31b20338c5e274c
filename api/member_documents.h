// The member as staff and the member's own portal see it: profile, cards with their scan
// payloads, balances and history. One encoding for both, so the portal shows what support sees.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "loyalty/core/card_state.h"
#include "loyalty/service/members/member_service.h"

namespace patron::api {

// A card with what to print or show for scanning: the number as Code 128 text and a QR payload.
nlohmann::json card_document(const std::string& number, const std::string& kind, core::CardState state);
nlohmann::json encode_member(const service::MemberView& member);
nlohmann::json encode_balance(const service::Balance& balance);
nlohmann::json encode_history(const service::HistoryPage& page);

}  // namespace patron::api
