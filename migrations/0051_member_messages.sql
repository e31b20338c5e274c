-- Messages to members (issue 21): the welcome, points about to expire, a tier reached, a stamp
-- card filled and a coupon given, told through the notifier (an SMS or email gateway) in the
-- member's language.
--
-- A message is queued in the same transaction as the event it tells of (the event's data copied:
-- ids and amounts, never personal data), so it exists if and only if its change committed. The
-- sender (one patrond at a time, under the job lease member_messages) decides when it is due:
-- sent by the channel her consents allow, or skipped with the reason (no consent, no way to reach
-- her, the programme's weekly cap, a member no longer active); in the programme's quiet hours it
-- waits for their end, and past the weekly cap for a free place (up to 14 days). A message about
-- her own account (priority 0) goes before one a marketer sent to a segment (1). A void or return
-- of the purchase it tells of (purchase_id) withdraws a message not yet sent. due_at is also the
-- claim of a message being sent. Rows are kept 90 days.
ALTER TABLE programs
    ADD COLUMN message_weekly_cap TINYINT UNSIGNED NOT NULL DEFAULT 3,  -- Messages to one member in any 7 days.
    ADD COLUMN message_quiet_from TINYINT UNSIGNED NOT NULL DEFAULT 21, -- Quiet hours, local: from this hour
    ADD COLUMN message_quiet_until TINYINT UNSIGNED NOT NULL DEFAULT 9; -- to this one (equal: none).

CREATE TABLE IF NOT EXISTS member_messages (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    member_id BIGINT UNSIGNED NOT NULL,
    kind VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- welcome, points_expiring, ...
    priority TINYINT UNSIGNED NOT NULL DEFAULT 0,  -- 0: about her account; 1: a segment's campaign.
    purchase_id BIGINT UNSIGNED NULL,  -- The purchase it tells of, if any.
    data MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,  -- The event's data (JSON).
    state ENUM('pending', 'sent', 'skipped', 'failed') NOT NULL DEFAULT 'pending',
    reason VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NULL,  -- Why skipped or failed.
    channel ENUM('sms', 'email') NULL,  -- Sent, or tried, by.
    attempts INT UNSIGNED NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL,
    due_at DATETIME(6) NOT NULL,
    sent_at DATETIME(6) NULL,
    KEY ix_member_messages_due (state, priority, due_at),
    KEY ix_member_messages_purchase (purchase_id),
    KEY ix_member_messages_member (member_id, sent_at),  -- The weekly cap, and her export.
    KEY ix_member_messages_created (created_at),          -- Forgotten after 90 days.
    KEY ix_member_messages_stale (state, created_at)      -- Pending ones given up after 15 days.
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
