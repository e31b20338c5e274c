#include "loyalty/service/insight/feedback_vault.h"

#include "crypto/aead.h"

namespace patron::service {
namespace {

std::string comment_binding(long long purchase_id) {
    return "purchase_feedback.comment:" + std::to_string(purchase_id);
}

}  // namespace

std::string feedback_data_key_binding(long long purchase_id) {
    return "purchase_feedback.data_key:" + std::to_string(purchase_id);
}

SealedFeedbackComment seal_feedback_comment(const crypto::KeyRing& keys, long long purchase_id,
                                            const std::string& comment, crypto::RandomSource& random) {
    const crypto::SecretBytes data_key = crypto::new_data_key(random);
    return SealedFeedbackComment{
        crypto::seal(data_key, crypto::as_bytes(comment), comment_binding(purchase_id), random),
        crypto::wrap_data_key(keys, data_key, feedback_data_key_binding(purchase_id), random)};
}

std::optional<std::string> open_feedback_comment(const crypto::KeyRing& keys, long long purchase_id,
                                                 const crypto::Bytes& sealed, const crypto::WrappedKey& data_key) {
    if (sealed.empty() || data_key.sealed.empty()) return std::nullopt;
    const auto key = crypto::unwrap_data_key(keys, data_key, feedback_data_key_binding(purchase_id));
    if (!key) return std::nullopt;
    const auto plain = crypto::open(*key, sealed, comment_binding(purchase_id));
    if (!plain) return std::nullopt;
    return crypto::as_string(plain->view());
}

std::optional<std::string> open_feedback_comment(const crypto::KeyRing& keys, const store::SealedComment& answer) {
    return open_feedback_comment(keys, answer.entry.purchase_id, answer.comment_sealed,
                                 crypto::WrappedKey{answer.master_key_id, answer.data_key_sealed});
}

}  // namespace patron::service
