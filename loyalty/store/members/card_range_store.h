// Pre-printed card ranges the programs registered (numbers support staff may hand over at the
// desk), and how many numbers of each are issued. Checking a range is the core's
// (core/card_range.h); keeping ranges apart across programs is the card service's.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "loyalty/core/card_range.h"
#include "loyalty/core/time.h"

namespace soci {
class session;
}

namespace patron::store {

struct CardRangeRecord {
    long long id = 0;
    long long program_id = 0;
    std::string name;
    core::CardRange range;
    core::Timestamp created_at = {};
    long long issued = 0;  // Cards with a number in the range, in any state (card_ranges_of_program only).
};

// Locks the row every registration takes first, until the transaction ends: two overlapping
// ranges registered at once cannot both pass the overlap check.
void lock_card_ranges(soci::session& sql);
long long insert_card_range(soci::session& sql, const CardRangeRecord& range, core::Timestamp now);
// The program's ranges in the order they were registered, each with how many of its numbers are issued.
std::vector<CardRangeRecord> card_ranges_of_program(soci::session& sql, long long program_id);
// Every program's ranges of card numbers with this many digits, in the order they were registered.
std::vector<CardRangeRecord> card_ranges_of_length(soci::session& sql, std::size_t digits);
long long count_card_ranges(soci::session& sql, long long program_id);
// How many cards, in any state, have a number in the range.
long long count_cards_in_range(soci::session& sql, const core::CardRange& range);
// Whether a range of any program holds this card number.
bool card_range_holds(soci::session& sql, const std::string& number);

}  // namespace patron::store
