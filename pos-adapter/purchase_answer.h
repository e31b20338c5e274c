// The answer to the POS for a committed purchase (../shared/API.md, "The answer").
#pragma once

#include <string>

#include "loyalty/core/purchase_result.h"

namespace patron::pos {

std::string encode_purchase_answer(const core::PurchaseResult& result);

}  // namespace patron::pos
