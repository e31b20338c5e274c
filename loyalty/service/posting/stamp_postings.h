// Writes what purchases and returns do to a member's stamp cards, inside their transaction and
// under the member's account lock: the stamps each line (or visit) gave as events, the card's
// progress, each filled card's reward (its points lot, or a single-use coupon code assigned to
// the member, drawn from the cryptographic random source); and on a return the stamps its lines
// gave taken back, un-filled cards' unused rewards revoked, or the card's deficit policy applied.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "crypto/secure_random.h"
#include "loyalty/core/engine.h"
#include "loyalty/core/points.h"
#include "loyalty/core/purchase_result.h"
#include "loyalty/core/returns.h"

namespace soci {
class session;
}

namespace patron::service {

struct StampsPosted {
    std::vector<core::StampCardSummary> cards;
    std::vector<core::CouponIssued> issued;
};

// `effects` are the outcome's (a coupon reward's receipt line gets its code); `lots` maps the
// index of each points earning to the lot it went into.
StampsPosted post_stamps(soci::session& sql, long long program_id, long long member_id, long long purchase_id,
                         const core::Purchase& purchase, std::vector<core::Effect>& effects,
                         const std::map<std::size_t, long long>& lots, const core::RuleSet& rules,
                         const std::map<std::string, core::StampProgress>& before, crypto::RandomSource& random,
                         core::Timestamp now);

struct StampsTakenBack {
    std::vector<core::Effect> effects;
    std::vector<core::StampCardSummary> cards;
    long long points_available_delta = 0;  // Revoked points rewards.
    long long points_pending_delta = 0;
    long long cashback_delta = 0;  // Revoked cashback rewards, taken from the wallet.
};

struct StampReturn {
    long long program_id = 0;
    long long member_id = 0;
    long long original_id = 0;
    long long return_id = 0;
    long long points_available = 0;  // The member's available points before the revocations.
    long long wallet = 0;            // Her cashback wallet before them.
    core::PointsPolicy points;
    const core::RuleSet* rules = nullptr;  // In force now: the cards' names and deficit policies.
};
StampsTakenBack take_back_stamps(soci::session& sql, const StampReturn& context,
                                 const std::vector<core::OriginalLine>& lines, const core::ReturnPlan& plan,
                                 core::Timestamp now);

}  // namespace patron::service
