// The outbox (table outbox_events, issue 21): events written with store::write(), so that a unit of
// work that defers its writes sends them with its COMMIT (no round trip of their own) and one that
// is rolled back leaves none; and read back by id.
//
// Ids are given when a row is inserted, not when its transaction commits: for one member they rise
// in the order of her changes (every writer of an event about her holds her account's lock), but
// across members a smaller id may commit after a larger one is already there. A reader that pages
// by id must look again behind its cursor for the ones still to commit.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/events.h"

namespace soci {
class session;
}

namespace patron::store {

// Adds the event in the session's unit of work (at its COMMIT when the unit deferred its writes),
// with the message it makes for its member, if any (member_message_store.h).
void add_event(soci::session& sql, const core::Event& event);
// The events in one statement, in their order (ids rise with it); nothing for none.
void add_events(soci::session& sql, const std::vector<core::Event>& events);

struct OutboxEvent {
    long long id = 0;  // The event's stable id.
    std::string type;  // As written (a newer version may know more types).
    int version = 0;
    long long program_id = 0;
    std::optional<long long> member_id;
    core::Timestamp occurred_at{};
    std::string data;  // JSON.
};

// The programme's events committed with an id above `after_id`, by id, at most `limit`.
std::vector<OutboxEvent> events_after(soci::session& sql, long long program_id, long long after_id, int limit);

}  // namespace patron::store
