// What patrond does with the operations a POSLog or CSV body maps to: each one through the
// native decoders, and any problem located in its source. Shared by the format fuzz targets.
#pragma once

#include <vector>

#include "pos-adapter/batch_operation.h"
#include "pos-adapter/purchase_document.h"
#include "pos-adapter/return_document.h"

namespace patron::fuzz {

inline void decode_operations(const std::vector<pos::BatchOperation>& operations) {
    for (const pos::BatchOperation& operation : operations) {
        if (operation.problem || operation.skipped) continue;
        if (operation.type == "purchase") {
            if (auto decoded = pos::decode_purchase(operation.document); !decoded) {
                (void)pos::locate(operation, decoded.error().field);
            }
        } else {
            auto decoded = operation.type == "return" ? pos::decode_return(operation.document)
                                                      : pos::decode_void(operation.document);
            if (!decoded) (void)pos::locate(operation, decoded.error().field);
        }
    }
}

}  // namespace patron::fuzz
