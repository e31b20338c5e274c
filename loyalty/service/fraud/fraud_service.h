// Fraud (issue 21): the programme's fraud policy (core/fraud.h), which admins set and support and
// analysts read; and the review queue of the signals it raised, which admin and support staff work
// through: each open signal released (the held points go to the member, the cards it blocked are
// unblocked), confirmed (the held points are forfeited, the cards stay blocked) or dismissed (a
// false alarm: as released), every decision audited with its note. And the scan for the one pattern
// no single operation shows: tills giving far more in an hour than their usual hour.
#pragma once

#include <optional>
#include <vector>

#include "crypto/key_ring.h"
#include "loyalty/core/error.h"
#include "loyalty/core/fraud.h"
#include "loyalty/service/access/access_service.h"
#include "loyalty/service/runtime/clock.h"
#include "loyalty/store/db/database.h"
#include "loyalty/store/fraud/fraud_store.h"

namespace patron::service {

inline constexpr int kFraudSignalsPageMax = 200;
inline constexpr int kTillsScannedMax = 1000;  // Per programme and scan, those giving the most first.

struct TillScan {
    int programs = 0;  // Watching terminal_outlier.
    int tills = 0;     // Whose hour reached a minimum, their history read.
    int raised = 0;
};

struct FraudSignalPage {
    std::vector<store::SignalRecord> signals;  // Newest first.
    std::optional<long long> next_before;      // Where the next page starts (before_id), if there may be one.
};

class FraudService {
  public:
    FraudService(store::Database& database, const crypto::KeyRing& keys, const Clock& clock);

    core::Result<core::FraudPolicy> policy(const StaffIdentity& staff);
    // Admins only; the new version is in force for the next operation a till sends.
    core::Result<core::FraudPolicy> set_policy(const StaffIdentity& staff, const core::FraudPolicy& policy);

    // Admin, support and analyst staff.
    core::Result<FraudSignalPage> signals(const StaffIdentity& staff, store::SignalQuery query);
    core::Result<store::SignalRecord> signal(const StaffIdentity& staff, long long id);
    // Admin and support staff; NOT_AVAILABLE unless the signal is open.
    core::Result<store::SignalRecord> review(const StaffIdentity& staff, long long id, const core::FraudReview& review);

    // terminal_outlier: in each programme whose policy watches it, the tills whose last hour (up
    // to now) reached a minimum, and were not signalled within it, are measured against their
    // history, and a signal raised for each outlier (once per till and UTC hour at the most, so
    // several instances may scan alike), each in a transaction of its own. A programme that fails
    // holds up no other; the last failure is answered once all were scanned.
    core::Result<TillScan> scan_tills();

  private:
    store::Database& database_;
    const crypto::KeyRing& keys_;
    const Clock& clock_;
};

}  // namespace patron::service
