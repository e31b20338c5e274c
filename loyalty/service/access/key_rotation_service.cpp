#include "loyalty/service/access/key_rotation_service.h"

#include "crypto/aead.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/access/write_once_service.h"
#include "loyalty/service/events/webhook_service.h"
#include "loyalty/service/insight/feedback_vault.h"
#include "loyalty/service/posting/member_vault.h"
#include "loyalty/service/program/draw_service.h"
#include "loyalty/store/access/key_wrap_store.h"

namespace patron::service {
namespace {

constexpr int kPageRows = 200;

struct Page {
    std::string last_key;  // Empty when nothing was left.
    long long moved = 0;
    long long changed_meanwhile = 0;
    long long unreadable = 0;
};

std::string binding_of(store::WrappedKind kind, const std::string& row_key) {
    switch (kind) {
        case store::WrappedKind::kMemberDataKey:
            return data_key_binding(std::stoll(row_key));
        case store::WrappedKind::kTerminalSecret:
            return terminal_secret_binding(row_key);
        case store::WrappedKind::kFeedbackDataKey:
            return feedback_data_key_binding(std::stoll(row_key));
        case store::WrappedKind::kWriteAnswerKey:
            return write_answer_key_binding(std::stoll(row_key));
        case store::WrappedKind::kWebhookSecret:
            return webhook_secret_binding(std::stoll(row_key));
        case store::WrappedKind::kDrawSeed:
            return draw_seed_binding(std::stoll(row_key));
    }
    return row_key;
}

// The row's wrapped content under the active master key, or nullopt when it does not open.
std::optional<crypto::Bytes> rewrapped(const crypto::KeyRing& keys, const crypto::MasterKeys& target,
                                       const store::WrappedRow& row, const std::string& binding,
                                       crypto::RandomSource& random) {
    const auto holding = keys.masters_holding(row.master_key_id);
    if (holding == nullptr) return std::nullopt;
    const auto inner = crypto::open(*holding->find(row.master_key_id), row.sealed, binding);
    if (!inner) return std::nullopt;
    return crypto::seal(target.active(), inner->view(), binding, random);
}

}  // namespace

KeyRotationService::KeyRotationService(store::Database& database, const crypto::KeyRing& keys,
                                       crypto::RandomSource& random)
    : database_(database), keys_(keys), random_(random) {}

core::Result<RewrapReport> KeyRotationService::rewrap_all(WorkProgress* progress) {
    const auto target = keys_.masters();
    if (progress != nullptr) {
        const auto guarded = usage();
        if (!guarded) return std::unexpected(guarded.error());
        for (const auto& [id, count] : *guarded) add_total(progress, id == target->active_id ? 0 : count);
    }
    RewrapReport report;
    for (const auto kind :
         {store::WrappedKind::kMemberDataKey, store::WrappedKind::kTerminalSecret, store::WrappedKind::kFeedbackDataKey,
          store::WrappedKind::kWriteAnswerKey, store::WrappedKind::kWebhookSecret, store::WrappedKind::kDrawSeed}) {
        long long& moved = kind == store::WrappedKind::kMemberDataKey     ? report.member_keys
                           : kind == store::WrappedKind::kTerminalSecret  ? report.terminal_secrets
                           : kind == store::WrappedKind::kFeedbackDataKey ? report.feedback_keys
                           : kind == store::WrappedKind::kWebhookSecret   ? report.webhook_secrets
                           : kind == store::WrappedKind::kDrawSeed        ? report.draw_seeds
                                                                          : report.answer_keys;
        std::string after;
        for (;;) {
            // Counted per page and added once it commits: a retried page counts once.
            auto page = database_.transact_for<Page>([&](soci::session& sql) -> core::Result<Page> {
                Page done;
                const auto rows = store::rows_not_wrapped_by(sql, kind, target->active_id, after, kPageRows);
                for (const store::WrappedRow& row : rows) {
                    const auto sealed = rewrapped(keys_, *target, row, binding_of(kind, row.row_key), random_);
                    if (!sealed) {
                        ++done.unreadable;
                    } else if (store::replace_wrapping(sql, kind, row, target->active_id, *sealed)) {
                        ++done.moved;
                    } else {
                        ++done.changed_meanwhile;
                    }
                }
                if (!rows.empty()) done.last_key = rows.back().row_key;
                return done;
            });
            if (!page) return std::unexpected(page.error());
            moved += page->moved;
            add_done(progress, page->moved + page->changed_meanwhile + page->unreadable);
            report.changed_meanwhile += page->changed_meanwhile;
            report.unreadable += page->unreadable;
            if (page->last_key.empty()) break;
            after = page->last_key;
        }
    }
    return report;
}

core::Result<std::map<std::string, long long>> KeyRotationService::usage() {
    return database_.run_for<std::map<std::string, long long>>(
        [](soci::session& sql) -> core::Result<std::map<std::string, long long>> {
            return store::wrapped_count_by_master(sql);
        });
}

}  // namespace patron::service
