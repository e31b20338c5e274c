// A programme ready to trade, for tests below HTTP: a fresh database, a key ring, a clock the
// test sets, and the demo-like set-up (program, store, terminal, 1 point per 10,000 IRR).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "crypto/key_ring.h"
#include "crypto/secure_random.h"
#include "loyalty/core/purchase.h"
#include "loyalty/service/services.h"
#include "tests/support/seeded_random.h"
#include "tests/support/test_database.h"

namespace patron::testing {

class ManualClock final : public service::Clock {
  public:
    explicit ManualClock(core::Timestamp now) : now_(now) {}
    core::Timestamp now() const override { return now_; }
    void set(core::Timestamp now) { now_ = now; }

  private:
    core::Timestamp now_;
};

crypto::KeyRing generated_key_ring();

// An instant written as a UTC date ("2026-11-30") and time.
inline core::Timestamp utc(const char* date, int hour, int minute = 0) {
    return std::chrono::sys_days{*core::parse_date(date)} + std::chrono::hours(hour) + std::chrono::minutes(minute);
}

// The messages a real notifier would deliver, kept for the test to read the codes and the words;
// while `failing`, member messages are refused as a gateway that is down refuses them.
class RecordingNotifier final : public service::Notifier {
  public:
    core::Result<void> send(const service::OneTimeCodeMessage& message) override {
        sent.push_back(message);
        return {};
    }
    core::Result<void> send(const service::MemberMessage& message) override {
        if (on_send) on_send();  // While the message is in the gateway's hands.
        if (failing) return core::fail(core::ErrorCode::kUnavailable, "the gateway is down");
        messages.push_back(message);
        return {};
    }
    std::vector<service::OneTimeCodeMessage> sent;
    std::vector<service::MemberMessage> messages;
    bool failing = false;
    std::function<void()> on_send;
};

struct TestWorld {
    TestWorld();

    // A purchase at the world's store and terminal, for `card`, of `amount` IRR on one line.
    core::Purchase purchase(const std::string& receipt, std::int64_t amount,
                            std::optional<std::string> card = std::nullopt) const;
    // 1 point pays 1,000 IRR, from 10 points, no hold, 12 months to expiry.
    static core::PointsPolicy policy();
    // A return of `lines` of the world's purchase `original` (business day 2026-11-22), the next day.
    core::ReturnRequest return_request(const std::string& receipt, const std::string& original,
                                       std::vector<core::ReturnedLine> lines) const;
    service::EnrolledMember enrol(const std::string& name, const std::string& phone, const std::string& email);
    // Members `first` to `last` - 1 ("Bench Member 7", 09120000007, bench7@example.ir for "Bench").
    std::vector<service::EnrolledMember> enrol_numbered(const std::string& who, int first, int last);

    TestDatabase db;
    crypto::KeyRing keys;
    ManualClock clock;
    SeededRandom random;  // Printed; PATRON_TEST_SEED replays a run.
    RecordingNotifier notifier;
    service::Services services;  // Wired as patrond wires them.
    service::ProgramService& admin = services.programs;
    service::MemberService& members = services.members;
    service::PurchaseService& purchases = services.purchases;
    service::ReturnService& returns = services.returns;
    service::TierService& tiers = services.tiers;
    service::AccessService& access = services.access;
    service::PointsMaintenanceService& maintenance = services.maintenance;
    service::PointsAdjustmentService& adjustments = services.adjustments;
    long long program_id = 0;
    long long store_id = 0;
    service::TerminalKey terminal_key;
    service::TerminalIdentity terminal;
};

}  // namespace patron::testing
