// What returns and voids read and write about the purchase they refer to: the original found by
// its receipt key and locked, its lines with the quantities returned so far, how each line's
// points went into lots, and those lots' state. Callers hold the member's account lock first.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/purchase.h"
#include "loyalty/core/returns.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct OriginalPurchase {
    long long id = 0;
    long long store_id = 0;
    std::string kind;
    std::optional<long long> member_id;
    std::string currency;
    long long total = 0;
    long long points_redeemed = 0;
    long long redeemed_value = 0;
    int rule_set_version = 0;
    core::PosTime pos_time{};
    core::Timestamp received_at;
    std::chrono::year_month_day business_day;
    bool voided = false;
};

// A purchase of the program by its receipt key (the store given by its code).
std::optional<OriginalPurchase> find_purchase_by_receipt(soci::session& sql, long long program_id,
                                                         const core::ReceiptKey& key);
// Locks (and writes, for Galera's certification) the purchase's row: returns, voids and claims of
// one purchase run one after another. The member it is credited to as locked (a claim may have
// given it one since it was last read).
std::optional<long long> lock_purchase(soci::session& sql, long long purchase_id);

std::vector<core::OriginalLine> original_lines(soci::session& sql, long long purchase_id);
// The points each line of a purchase earned, by lot (line_points_rows_sql), in the lots' order, each
// lot's lines in theirs.
std::vector<core::LotShare> line_points(soci::session& sql, long long purchase_id);

struct PurchaseLot {
    long long id = 0;
    std::string rule_id;
    int rule_version = 0;
    long long earned = 0;
    long long remaining = 0;
    bool pending = false;
    long long reversed = 0;  // Taken back out of the lot by returns.
    long long charged = 0;   // Spent points that returns charged (or recorded as shortfall).
    long long expired = 0;   // Points that left the lot unspent: by expiry, or forfeited after a fraud review.
};
// The lots the purchase's earnings went into, locked.
std::vector<PurchaseLot> purchase_lots_for_update(soci::session& sql, long long purchase_id);
// A member's lots of one rule id (a referral's reward, "referral:12"), locked.
std::vector<PurchaseLot> member_lots_of_rule_for_update(soci::session& sql, long long member_id,
                                                        const std::string& rule_id);
// Records what a return took back from a lot and charged beyond it.
void record_lot_reversal(soci::session& sql, long long lot_id, long long reversed, long long charged);

void add_returned_quantities(soci::session& sql, long long purchase_id, const std::vector<core::ReturnedLine>& lines);
void insert_return_lines(soci::session& sql, long long return_id, const std::vector<core::ReturnedLine>& lines,
                         const std::vector<std::int64_t>& amounts);
// A purchase's lines as committed.
std::vector<core::PurchaseLine> purchase_lines(soci::session& sql, long long purchase_id);
// Whether any return or void refers to the purchase.
bool has_returns(soci::session& sql, long long purchase_id);
// Credits an anonymous purchase to a member (late identification), with what it earned.
void assign_purchase(soci::session& sql, long long purchase_id, long long member_id, int rule_set_version,
                     long long points_earned);

// The points a return or void took back, on its row (negative).
void set_points_earned(soci::session& sql, long long purchase_id, long long points);
void mark_voided(soci::session& sql, long long purchase_id, core::Timestamp at);
void add_points_shortfall(soci::session& sql, long long member_id, long long points);

}  // namespace patron::store
