#include "loyalty/store/events/outbox_store.h"

#include <soci/soci.h>

#include "loyalty/store/db/integer_column.h"
#include "loyalty/store/db/sql_text.h"
#include "loyalty/store/db/sql_time.h"
#include "loyalty/store/db/write_batch.h"
#include "loyalty/store/events/member_message_store.h"

namespace patron::store {

void add_event(soci::session& sql, const core::Event& event) { add_events(sql, {event}); }

void add_events(soci::session& sql, const std::vector<core::Event>& events) {
    if (events.empty()) return;
    std::string statement =
        "INSERT INTO outbox_events (program_id, event_type, version, member_id, occurred_at, data) VALUES ";
    for (const core::Event& event : events) {
        if (&event != &events.front()) statement += ", ";
        statement += "(" + std::to_string(event.program_id) + ", " + sql_text(sql, core::to_string(event.type)) + ", " +
                     std::to_string(event.version) + ", " + sql_number_or_null(event.member_id) + ", " +
                     sql_text(sql, to_sql_time(event.occurred_at)) + ", " + sql_text(sql, event.data.dump()) + ")";
    }
    write(sql, statement);
    queue_messages(sql, events);  // What the member is told of it, in the same unit of work.
}

std::vector<OutboxEvent> events_after(soci::session& sql, long long program_id, long long after_id, int limit) {
    std::vector<OutboxEvent> events;
    soci::rowset<soci::row> rows =
        (sql.prepare
             << "SELECT CAST(id AS SIGNED), event_type, version, CAST(member_id AS SIGNED), DATE_FORMAT(occurred_at, "
             << kSqlTimeFormat
             << "), data FROM outbox_events"
                " WHERE program_id = :program AND id > :after ORDER BY id LIMIT :limit",
         soci::use(program_id), soci::use(after_id), soci::use(limit));
    for (const soci::row& row : rows) {
        OutboxEvent event;
        event.id = integer_at(row, 0);
        event.type = row.get<std::string>(1);
        event.version = static_cast<int>(integer_at(row, 2));
        event.program_id = program_id;
        if (row.get_indicator(3) != soci::i_null) event.member_id = integer_at(row, 3);
        event.occurred_at = from_sql_time(row.get<std::string>(4)).value_or(core::Timestamp{});
        event.data = row.get<std::string>(5);
        events.push_back(std::move(event));
    }
    return events;
}

}  // namespace patron::store
