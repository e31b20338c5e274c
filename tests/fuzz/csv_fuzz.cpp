// Any bytes as an end-of-day CSV body of POST /v1/pos/batches, and every operation it maps to through
// the native decoders, as patrond would run them.
#include "loyalty/core/money.h"
#include "pos-adapter/csv_document.h"
#include "tests/fuzz/decode_operations.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto currency = patron::core::find_currency("IRR");
    auto operations = patron::pos::decode_csv(std::string_view(reinterpret_cast<const char*>(data), size), *currency);
    if (operations) patron::fuzz::decode_operations(*operations);
    return 0;
}
