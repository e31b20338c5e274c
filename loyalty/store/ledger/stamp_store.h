// Stamp cards in the database: each member's progress per card (a cache of the events less the
// stamps rewards consumed), the events that move it, and the rewards filled cards paid.
// Callers hold the member's account lock, which orders every writer of one member's stamps.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/effect.h"
#include "loyalty/core/returns.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

std::map<std::string, core::StampProgress> stamp_progress(soci::session& sql, long long member_id);
// The same as one JSON column of another read (json_rows.h), and what it gave.
std::string stamp_progress_sql(long long member_id);
std::map<std::string, core::StampProgress> stamp_progress_of(const std::optional<std::string>& rows);
void save_stamp_progress(soci::session& sql, long long member_id, const std::string& card_id,
                         const core::StampProgress& progress, core::Timestamp now);

struct StampEvent {
    long long program_id = 0;
    long long member_id = 0;
    std::string card_id;
    std::string kind;  // "earn", "return", "expire", "forgive", "merge", "drop" (a collection's item held twice).
    std::optional<long long> purchase_id;
    std::optional<int> line;  // 0: a visit.
    long long stamps = 0;
    long long threshold = 0;
    int rule_version = 0;
    std::string item = {};  // A collection's item.
};
void insert_stamp_events(soci::session& sql, const std::vector<StampEvent>& events, core::Timestamp now);

// The stamps a purchase's lines (and visit) gave that no return has taken back yet, per card and line.
std::vector<core::StampsGiven> standing_stamps(soci::session& sql, long long purchase_id);

struct StampReward {
    long long id = 0;
    long long program_id = 0;
    long long member_id = 0;
    std::string card_id;
    long long purchase_id = 0;
    long long goal = 0;
    int rule_version = 0;
    long long points = 0;
    long long cashback = 0;  // Minor units credited to the wallet.
    std::optional<long long> lot_id;
    std::optional<long long> code_id;
    bool used = false;  // Its coupon code was redeemed (read only).
};
long long insert_stamp_reward(soci::session& sql, const StampReward& reward, core::Timestamp now);
// The member's issued rewards of the card, newest first, locked.
std::vector<StampReward> issued_stamp_rewards(soci::session& sql, long long member_id, const std::string& card_id);
// Marks the reward revoked, and its code (if any) no longer good.
void revoke_stamp_reward(soci::session& sql, const StampReward& reward, core::Timestamp now);

// Every member's stamps per card moved onto another member (a merge): events both ways, the
// progress added up, the rewards handed over.
void move_stamps(soci::session& sql, long long program_id, long long from, long long into, core::Timestamp now);

// Progress that disagrees with its events less its rewards' stamps, one line each.
std::vector<std::string> stamp_discrepancies(soci::session& sql);

}  // namespace patron::store
