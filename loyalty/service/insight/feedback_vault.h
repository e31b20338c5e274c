// Seals and opens feedback comments. A comment is personal data (a customer may write their name
// or number) and may come from a purchase with no member, so each comment gets a random data key
// of its own, stored only wrapped by the active master key (as a member's is, and re-wrapped by
// master key rotation): erasing it, or the member's comments, shreds exactly those comments, and a
// comment stays readable when its purchase is claimed by or merged into another member. The
// associated data binds the ciphertext and its key to the purchase's row.
#pragma once

#include <optional>
#include <string>

#include "crypto/envelope.h"
#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/store/insight/feedback_store.h"

namespace patron::service {

struct SealedFeedbackComment {
    crypto::Bytes comment;
    crypto::WrappedKey data_key;
};

SealedFeedbackComment seal_feedback_comment(const crypto::KeyRing& keys, long long purchase_id,
                                            const std::string& comment, crypto::RandomSource& random);

// The comment, or nullopt when its data key is gone or anything fails to open.
std::optional<std::string> open_feedback_comment(const crypto::KeyRing& keys, long long purchase_id,
                                                 const crypto::Bytes& sealed, const crypto::WrappedKey& data_key);

// The same for an answer as the store reads it.
std::optional<std::string> open_feedback_comment(const crypto::KeyRing& keys, const store::SealedComment& answer);

std::string feedback_data_key_binding(long long purchase_id);

}  // namespace patron::service
