// The marketers' rule sets: one working draft per program (started from the latest published
// version), edited whole or rule by rule and validated at every save (every problem listed by
// JSON path); published as the next immutable version with an effective time; rolled back by
// publishing an earlier version's document again; listed; and previewed: a basket rated for a
// member against the draft, with nothing written. Writes are for admin and marketer staff and
// audited; reads for every staff role.
//
// Drafts and versions are core::RuleDocument, the marketer's document as written, not a decoded
// RuleSet: a draft is edited entry by entry inside the stored document and shown back as written
// (a RuleSet cannot give back the fields a marketer left out), so the api only wraps the body.
// The document is validated into a core::RuleSet here, once per save, publish or preview, because
// only the whole document (an entry merged into the draft) can be validated.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/key_ring.h"
#include "loyalty/core/audit_action.h"
#include "loyalty/core/engine.h"
#include "loyalty/core/error.h"
#include "loyalty/core/purchase.h"
#include "loyalty/core/rule_document.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/program/rule_draft_store.h"

namespace patron::service {

struct DraftView {
    core::RuleDocument document;
    std::optional<int> based_on_version;
    std::optional<std::string> updated_by;  // None: nobody has edited it yet (a copy of the latest version).
    std::optional<core::Timestamp> updated_at;
};

struct PublishRequest {
    std::optional<core::Timestamp> effective_from;  // Default: now. Never in the past.
    std::string note;
};

struct RuleSetVersion {
    store::RuleSetSummary summary;
    core::RuleDocument document;
};

struct PreviewResult {
    core::Outcome outcome;
    std::vector<core::CouponDiscount> coupons;  // The basket's coupons, priced (nothing redeemed).
    std::vector<core::StampCardSummary> stamps;
    std::optional<int> based_on_version;
    std::optional<long long> member_id;
    std::string tier;
    std::int64_t points_available = 0;  // Before the basket.
    std::vector<std::string> receipt_lines;
};

// The draft as the engine rates with it: validated, with the programme's points policy, receipt
// language and tiers. Shared by the preview and the backtest (loyalty/service/program/backtest_service.h).
struct DraftRules {
    DraftView draft;
    core::RuleSet rules;
};
core::Result<DraftRules> load_draft_rules(soci::session& sql, long long program_id);

class RuleService {
  public:
    RuleService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock);

    core::Result<DraftView> draft(long long program_id);
    // Replaces the whole draft. With `read` (the If-Match of the request: the draft's updated_at
    // as the API wrote it when the client read it, or "none" for a draft never saved), only the
    // draft the client read is replaced: if another change came between, DRAFT_CHANGED and
    // nothing is saved. Every change of the draft and every publication of it lock the programme's
    // row first, so they follow each other and none is lost.
    core::Result<DraftView> replace_draft(const StaffIdentity& staff, const core::RuleDocument& document,
                                          const std::optional<std::string>& read = std::nullopt);
    // Adds the entry to one of the draft's lists (earn rules, cashback rules, stamp cards), or
    // replaces the entry with its id.
    core::Result<DraftView> put_entry(const StaffIdentity& staff, core::RuleList list, const core::RuleEntry& entry);
    core::Result<DraftView> delete_entry(const StaffIdentity& staff, core::RuleList list, const std::string& id);
    core::Result<void> discard_draft(const StaffIdentity& staff);
    // Publishes the draft; with `read` (If-Match, as replace_draft), only the draft the client read.
    core::Result<RuleSetVersion> publish(const StaffIdentity& staff, const PublishRequest& request,
                                         const std::optional<std::string>& read = std::nullopt);
    core::Result<RuleSetVersion> rollback(const StaffIdentity& staff, int version, const PublishRequest& request);
    core::Result<std::vector<store::RuleSetSummary>> versions(long long program_id);
    core::Result<RuleSetVersion> version(long long program_id, int version);
    core::Result<PreviewResult> preview(long long program_id, const core::Purchase& basket,
                                        std::optional<long long> member_id);

  private:
    // Changes the draft in one transaction: the programme locked, the current draft read, checked
    // against `read`, edited and saved (checked whole, audited).
    core::Result<DraftView> edit_draft(
        const StaffIdentity& staff, const std::optional<std::string>& read,
        const std::function<core::Result<core::RuleDocument>(const core::RuleDocument&)>& edit);
    // Publishes the document `document_of` reads inside the transaction, the programme locked.
    core::Result<RuleSetVersion> publish_document(
        const StaffIdentity& staff, const PublishRequest& request, core::AuditAction action,
        const std::function<core::Result<core::RuleDocument>(soci::session&)>& document_of);

    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
};

}  // namespace patron::service
