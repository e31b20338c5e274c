-- The outbox (issue 21): what other systems are told happened, written in the same transaction as
-- the change it describes, so that an event exists if and only if its change committed. Its id is
-- the event's stable id (receivers de-duplicate by it) and, for one member, the order the changes
-- were made in: every write that raises an event about a member holds her account's lock (across
-- members, ids are given at insert and may commit out of order). Members are named by id only; the
-- data is JSON of ids, amounts, currencies and store and terminal codes, never personal data.
CREATE TABLE IF NOT EXISTS outbox_events (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    event_type VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- purchase_committed, ...
    version SMALLINT UNSIGNED NOT NULL,   -- Of the event type's data: a change that breaks a reader is a new version.
    member_id BIGINT UNSIGNED NULL,       -- The member the event is about, when there is one.
    occurred_at DATETIME(6) NOT NULL,     -- When the change was made (its unit of work's clock).
    data MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    KEY ix_outbox_events_program (program_id, id),
    KEY ix_outbox_events_member (member_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
