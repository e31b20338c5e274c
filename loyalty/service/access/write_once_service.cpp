#include "loyalty/service/access/write_once_service.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "crypto/aead.h"
#include "crypto/digest.h"
#include "crypto/envelope.h"
#include "loyalty/service/runtime/forget_in_batches.h"
#include "loyalty/store/access/write_answer_store.h"

namespace patron::service {
namespace {

using core::ErrorCode;
using nlohmann::json;

constexpr int kForgetPage = 1000;

// The answer's seal names its row and whose answer to which request it is: a row repointed at
// another caller, key or request does not open.
std::string answer_binding(long long id, const std::string& caller, const std::string& key,
                           const crypto::Bytes& digest) {
    return "write_answers.answer:" + std::to_string(id) + ":" + caller + ":" + key + ":" + crypto::to_hex(digest);
}

// The status, type and headers as a line of JSON, then the body's bytes as they were.
std::string encode(const KeptAnswer& answer) {
    json headers = json::array();
    for (const auto& [name, value] : answer.headers) headers.push_back({name, value});
    return json{{"status", answer.status}, {"content_type", answer.content_type}, {"headers", headers}}.dump() + "\n" +
           answer.body;
}

std::optional<KeptAnswer> decode(const std::string& text) {
    const std::size_t newline = text.find('\n');
    if (newline == std::string::npos) return std::nullopt;
    const json document = json::parse(text.substr(0, newline), nullptr, false);
    if (!document.is_object()) return std::nullopt;
    try {
        KeptAnswer answer{document.at("status").get<int>(),
                          document.at("content_type").get<std::string>(),
                          {},
                          text.substr(newline + 1),
                          std::nullopt};
        for (const json& header : document.at("headers")) {
            answer.headers.emplace_back(header.at(0).get<std::string>(), header.at(1).get<std::string>());
        }
        return answer;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

}  // namespace

std::string write_answer_key_binding(long long id) { return "write_answers.data_key:" + std::to_string(id); }

WriteOnceService::WriteOnceService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock,
                                   crypto::RandomSource& random)
    : database_(database), keys_(keys), clock_(clock), random_(random) {}

core::Result<WriteOutcome> WriteOnceService::once(const std::string& caller, const std::string& key,
                                                  const std::string& request,
                                                  const std::function<KeptAnswer()>& write) {
    // Keyed: a digest of a body holding a password must not be a fast way to guess it.
    const crypto::Bytes digest_key =
        crypto::hmac_sha256(keys_.index_key().view(), crypto::as_bytes("write_answers.request_digest"));
    const crypto::Bytes request_digest = crypto::hmac_sha256(digest_key, crypto::as_bytes(request));
    WriteOutcome outcome;
    auto done = database_.enclose([&](soci::session& sql) -> core::Result<void> {
        outcome = WriteOutcome{};
        const store::EnteredKey entered = store::enter_write_key(sql, caller, key, request_digest, clock_.now());
        if (entered.busy) {
            return core::fail(ErrorCode::kUnavailable,
                              "the first request with this Idempotency-Key is still being answered; retry shortly",
                              "Idempotency-Key");
        }
        const std::optional<long long>& id = entered.id;
        if (!id) {
            const auto kept = store::find_write_answer(sql, caller, key);
            if (!kept) return core::fail(ErrorCode::kUnavailable, "the key's first request is being answered; retry");
            if (kept->request_digest != request_digest) {
                return core::fail(ErrorCode::kIdempotencyConflict,
                                  "this Idempotency-Key was sent before with another request", "Idempotency-Key");
            }
            const auto data_key =
                crypto::unwrap_data_key(keys_, crypto::WrappedKey{kept->master_key_id, kept->data_key_sealed},
                                        write_answer_key_binding(kept->id));
            const auto plain =
                data_key ? crypto::open(*data_key, kept->answer_sealed, answer_binding(kept->id, caller, key, request_digest))
                         : std::nullopt;
            const auto answer = plain ? decode(crypto::as_string(plain->view())) : std::nullopt;
            if (!answer) return core::fail(ErrorCode::kInternal, "a kept answer does not open");
            outcome.answer = *answer;
            outcome.replayed = true;
            return {};
        }
        outcome.answer = write();
        if (outcome.answer.status < 200 || outcome.answer.status >= 300) {
            // Refused: nothing kept, so the same request runs again. The refused write's units
            // rolled back to their savepoints already; what it keeps even when refused (an
            // attempt counted, a failed claim, a hold-out recorded) commits as it did before.
            store::forget_write_key(sql, *id);
            return {};
        }
        const crypto::SecretBytes data_key = crypto::new_data_key(random_);
        const crypto::WrappedKey wrapped =
            crypto::wrap_data_key(keys_, data_key, write_answer_key_binding(*id), random_);
        const crypto::Bytes sealed =
            crypto::seal(data_key, crypto::as_bytes(encode(outcome.answer)),
                         answer_binding(*id, caller, key, request_digest), random_);
        store::complete_write_answer(sql, *id, outcome.answer.status, outcome.answer.member_id, wrapped.master_key_id,
                                     wrapped.sealed, sealed);
        return {};
    });
    if (!done) return std::unexpected(done.error());
    return outcome;
}

core::Result<long long> WriteOnceService::forget_old() {
    const core::Timestamp before = clock_.now() - std::chrono::days(kWriteAnswerDays);
    return forget_in_batches(database_, kForgetPage, [&](soci::session& sql, int limit) {
        return store::forget_write_answers(sql, before, limit);
    });
}

}  // namespace patron::service
