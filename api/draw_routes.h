// Routes of prize draws (core/draws.h, service/program/draw_service.h): the campaigns (made,
// changed while drafts, published, cancelled and run by admins and marketers; read by support
// and analysts too), their packaging codes (made in batches, exported as CSV for the printer),
// each draw's proof (for staff, and for members once published), a member's draws and code entry
// in the portal, and a till's code entry for a card.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/program/draw_service.h"

namespace patron::api {

std::vector<Route> draw_routes(service::DrawService& draws);

}  // namespace patron::api
