-- Fraud signals (issue 21, OWASP API6: abuse of business flows). A programme's fraud policy (a
-- JSON document, versioned like the tier policy: a till's cached settings follow its version) says
-- which patterns to watch, at what thresholds, and what to do when one is seen: only flag it, hold
-- the member's points pending review, or hold them and block the card too.
--
-- A signal is written in the transaction of the operation that raised it (a purchase at the till),
-- once per subject and window (the unique key), with its evidence, and raises fraud_signal_raised.
-- A hold marks the member's account: every point she earns from then on goes into a pending lot
-- held by the signal (held_by), which the scheduled release passes over; staff release it (the lots
-- follow their own hold from then on), confirm it (the held points are forfeited) or dismiss it.
-- A block also blocks her active cards, each recorded so that a release or dismissal unblocks the
-- cards it blocked and no other.
ALTER TABLE programs
    ADD COLUMN fraud_policy LONGTEXT NULL,
    ADD COLUMN fraud_policy_version INT NOT NULL DEFAULT 0;

CREATE TABLE IF NOT EXISTS fraud_signals (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    kind VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    -- What the signal is about, and its window: raised once per key ("member:12:2026-12-03T14").
    subject_key VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    member_id BIGINT UNSIGNED NULL,
    purchase_id BIGINT UNSIGNED NULL,
    action ENUM('flag', 'hold', 'block') NOT NULL,  -- What the policy did when it was raised.
    state ENUM('open', 'released', 'confirmed', 'dismissed') NOT NULL DEFAULT 'open',
    evidence MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,  -- JSON, no personal data.
    raised_at DATETIME(6) NOT NULL,
    reviewed_at DATETIME(6) NULL,
    reviewed_by VARCHAR(200) NULL,
    review_note VARCHAR(500) CHARACTER SET utf8mb4 NULL,
    points_forfeited BIGINT NOT NULL DEFAULT 0,
    UNIQUE KEY uq_fraud_signals_subject (program_id, kind, subject_key),
    KEY ix_fraud_signals_queue (program_id, state, id),
    KEY ix_fraud_signals_member (member_id, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The cards a signal blocked.
CREATE TABLE IF NOT EXISTS fraud_signal_cards (
    signal_id BIGINT UNSIGNED NOT NULL,
    card_number VARCHAR(19) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    PRIMARY KEY (signal_id, card_number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The open signal that holds the member's new points (none: they follow the programme's hold).
ALTER TABLE member_accounts ADD COLUMN fraud_hold_id BIGINT UNSIGNED NULL;

-- The signal a pending lot is held by: the scheduled release passes it over until staff review it.
ALTER TABLE point_lots
    ADD COLUMN held_by BIGINT UNSIGNED NULL,
    ADD KEY ix_point_lots_held (held_by);
