// What a POS operation came to, in words rather than HTTP statuses: services say what happened,
// the api says it to the client with a status, and the store keeps it with the answer so that a
// replay says the same again.
#pragma once

#include <nlohmann/json_fwd.hpp>

namespace patron::core {

enum class AnswerKind {
    kCreated,   // The request recorded something new: a purchase, return, void or claim.
    kAnswered,  // The request was answered without a record of its own: a batch, or an item its format skips.
};

// Never as a JSON number (nlohmann would write the enum's integer): api::http_status says it.
void to_json(nlohmann::json&, AnswerKind) = delete;

}  // namespace patron::core
