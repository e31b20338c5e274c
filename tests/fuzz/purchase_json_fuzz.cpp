// Any bytes as the body of POST /v1/pos/purchases, /returns, /voids and /batches: the decoders
// must answer with a value or an error, never crash, hang or read out of bounds.
#include <nlohmann/json.hpp>

#include "pos-adapter/batch_operation.h"
#include "pos-adapter/purchase_document.h"
#include "pos-adapter/return_document.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto document = nlohmann::json::parse(data, data + size, nullptr, false);
    if (document.is_discarded()) return 0;
    (void)patron::pos::decode_purchase(document);
    (void)patron::pos::decode_return(document);
    (void)patron::pos::decode_void(document);
    if (auto batch = patron::pos::decode_json_batch(document)) {
        for (const auto& operation : *batch) (void)patron::pos::decode_purchase(operation.document);
    }
    return 0;
}
