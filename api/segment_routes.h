// Staff routes of rule-based segments (core/segments.h): defined by admins and marketers, read
// and counted by analysts too. A segment's membership is what the last insight refresh
// materialised; each answer says when that was and whether the definition changed since.
#pragma once

#include <vector>

#include "api/router.h"
#include "loyalty/service/insight/segment_service.h"

namespace patron::api {

std::vector<Route> segment_routes(service::SegmentService& segments);

}  // namespace patron::api
