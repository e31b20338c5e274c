// Decodes the POS return and void documents (docs/integration.md, "Returns and voids"): the
// return's own receipt header, the original receipt's key, and (for a return) the original
// line numbers with the quantities returned. Every problem names its JSON path.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "loyalty/core/error.h"
#include "loyalty/core/returns.h"

namespace patron::pos {

core::Result<core::ReturnRequest> decode_return(const nlohmann::json& document);
core::Result<core::ReturnRequest> decode_void(const nlohmann::json& document);

}  // namespace patron::pos
