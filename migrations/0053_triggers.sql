-- Triggers (issue 21): a marketer's condition over a member's recent activity ("3rd visit this
-- month", "spend over X in 30 days", "more than N returns in a month", "no purchase for 45 days")
-- and the action it takes by itself (a message in her language, a coupon from a campaign, bonus
-- points), at most once per member per window.
--
-- Counting conditions are decided after a purchase or return commits, from the outbox: one patrond
-- at a time (the job lease triggers) reads the events not yet seen by triggers, counts the member's
-- purchases in the window and fires, then marks the events seen. An event is not forgotten before
-- triggers have seen it. No-purchase conditions are decided by a scan of the purchases received
-- `days` ago (the index ix_purchases_program_received), whose members have bought nothing since;
-- each trigger keeps how far it has scanned, from when it was made or resumed: a member who had
-- lapsed before is not told.
--
-- A firing is written, under the member's account lock, in the same transaction as its action
-- (the bonus posted, the coupon given, the message queued): the unique key makes an action happen
-- once per trigger, member and window, however often or by whomever the condition is decided.
-- The events already there count as seen (a column added with its default is instant, not a
-- rewrite of the outbox); those written from now on are not.
ALTER TABLE outbox_events
    ADD COLUMN triggers_seen TINYINT UNSIGNED NOT NULL DEFAULT 1,  -- 0 until triggers have decided it; 2: failed.
    ADD KEY ix_outbox_events_triggers (triggers_seen, id);

ALTER TABLE outbox_events ALTER COLUMN triggers_seen SET DEFAULT 0;

CREATE TABLE IF NOT EXISTS triggers (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    name VARCHAR(100) CHARACTER SET utf8mb4 NOT NULL,
    state ENUM('active', 'paused', 'ended') NOT NULL DEFAULT 'active',
    condition_kind VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- no_purchase, visits, spend, returns
    rule MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,       -- {"condition", "action"} as written.
    version INT UNSIGNED NOT NULL DEFAULT 1,  -- Raised by every change of its name, rule or state.
    -- no_purchase: the last purchase scanned (received_at, id); members whose last purchase is after
    -- it have not lapsed yet.
    scanned_at DATETIME(6) NULL,
    scanned_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL,
    changed_at DATETIME(6) NOT NULL,
    changed_by VARCHAR(200) NOT NULL,
    KEY ix_triggers_program (program_id, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS trigger_firings (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    trigger_id BIGINT UNSIGNED NOT NULL,
    member_id BIGINT UNSIGNED NOT NULL,
    window_key VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- The period's first day, or the lapse.
    trigger_version INT UNSIGNED NOT NULL,
    -- What the action did: queued (a message), issued or held_out (a coupon), campaign_over (its
    -- campaign ended or is past its validity), awarded (points).
    outcome VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    fired_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_trigger_firings (trigger_id, member_id, window_key),
    KEY ix_trigger_firings_member (member_id, fired_at),
    KEY ix_trigger_firings_fired (trigger_id, fired_at),
    KEY ix_trigger_firings_age (fired_at)  -- Forgotten after 400 days.
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
