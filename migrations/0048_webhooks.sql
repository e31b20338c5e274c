-- Webhooks (issue 21): the outbox's events sent to the URLs admins subscribe, signed, retried and,
-- when a receiver stays away past the retry window, kept in a dead-letter list for replay.
--
-- Delivered deliveries and their attempts are kept 30 days; dead ones until they are replayed; an
-- event 30 days, and longer while a delivery of it is kept.
--
-- An event is handed out once: the dispatcher reads events not yet handed out in id order, writes a
-- delivery for every subscription that wants it and marks the event, in one transaction. An event
-- whose transaction has not committed is not seen yet and is handed out when it is.
ALTER TABLE outbox_events
    ADD COLUMN handed_out TINYINT UNSIGNED NOT NULL DEFAULT 0,  -- 1 once its deliveries are written.
    ADD KEY ix_outbox_events_handed_out (handed_out, id);

CREATE TABLE IF NOT EXISTS webhook_subscriptions (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    url VARCHAR(2000) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    description VARCHAR(200) NOT NULL DEFAULT '',
    event_types VARCHAR(1000) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- Comma-separated, or * for all.
    state ENUM('active', 'paused') NOT NULL DEFAULT 'active',
    secret_sealed VARBINARY(256) NOT NULL,  -- The signing secret, sealed under a master key: shown once.
    master_key_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    -- The outbox's last event id when the subscription was made: it is sent the events after it.
    after_event_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    KEY ix_webhook_subscriptions_program (program_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One event for one subscription. For one subscription and member, only the pending delivery with
-- the smallest event id is sent (the member's events arrive in order); one without a member is sent
-- when due. next_attempt_at is also the claim of a delivery being sent: set ahead by the time-out
-- when the send starts, so that a dispatcher that dies mid-send leaves it to be sent again; an
-- attempt is written only while the claim is still the one it was sent under. A member's later
-- deliveries are due no sooner than her first (so that a wait for a retry is not scanned again and
-- again by every round).
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    subscription_id BIGINT UNSIGNED NOT NULL,
    event_id BIGINT UNSIGNED NOT NULL,
    member_id BIGINT UNSIGNED NULL,
    state ENUM('pending', 'delivered', 'dead') NOT NULL DEFAULT 'pending',
    attempts INT UNSIGNED NOT NULL DEFAULT 0,
    window_attempts INT UNSIGNED NOT NULL DEFAULT 0,  -- Since first_attempt_at: the backoff's count (a replay resets it).
    created_at DATETIME(6) NOT NULL,
    next_attempt_at DATETIME(6) NOT NULL,
    first_attempt_at DATETIME(6) NULL,  -- The retry window runs from here (a replay starts it again).
    last_attempt_at DATETIME(6) NULL,
    last_status SMALLINT UNSIGNED NULL,  -- The receiver's HTTP status; NULL when it gave none.
    last_error VARCHAR(200) NULL,
    delivered_at DATETIME(6) NULL,
    UNIQUE KEY ux_webhook_deliveries_event (subscription_id, event_id),
    KEY ix_webhook_deliveries_due (subscription_id, state, next_attempt_at),
    KEY ix_webhook_deliveries_member (subscription_id, member_id, state, event_id),
    KEY ix_webhook_deliveries_list (subscription_id, state, id),
    KEY ix_webhook_deliveries_event (event_id),               -- An event is forgotten once none refers to it.
    KEY ix_webhook_deliveries_done (state, delivered_at)      -- Delivered ones are forgotten after 30 days.
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS webhook_attempts (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    delivery_id BIGINT UNSIGNED NOT NULL,
    attempted_at DATETIME(6) NOT NULL,
    status SMALLINT UNSIGNED NULL,  -- The receiver's HTTP status; NULL when it gave none.
    error VARCHAR(200) NULL,        -- Why it failed, in Patron's words (never the receiver's body).
    duration_ms INT UNSIGNED NOT NULL,
    KEY ix_webhook_attempts_delivery (delivery_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Work that one patrond among several does at a time (the webhook dispatcher): the holder renews
-- its lease before it ends; once it has ended another instance takes it. Times are the database's.
CREATE TABLE IF NOT EXISTS job_leases (
    name VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    holder VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    expires_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
