// Staff routes of cards: issue a member another card, list a member's cards, choose the primary
// one, change a card's state, replace it; and the program's pre-printed card ranges.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/members/card_service.h"

namespace patron::api {

std::vector<Route> card_routes(service::CardService& cards);

}  // namespace patron::api
