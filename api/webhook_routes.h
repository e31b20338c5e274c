// Staff routes of webhooks (docs/events.md): admins subscribe a URL to event types (the signing
// secret is in the answer to the POST, once), pause, resume or change it, and send dead deliveries
// again; admin and support staff read the subscriptions, their deliveries and each attempt.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/events/webhook_service.h"

namespace patron::api {

std::vector<Route> webhook_routes(service::WebhookService& webhooks);

}  // namespace patron::api
