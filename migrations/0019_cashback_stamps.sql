-- Instant cashback and stamp cards.
--
-- The cashback wallet keeps its own double-entry ledger next to the points ledger: money in the
-- program's currency, integer minor units. member_accounts.cashback_balance is its cache.
CREATE TABLE cashback_transfers (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    kind VARCHAR(32) NOT NULL,
    purchase_id BIGINT UNSIGNED NULL,
    rule_id VARCHAR(64) NULL,
    rule_version INT NULL,
    note VARCHAR(500) NULL,
    created_at DATETIME(6) NOT NULL,
    KEY ix_cashback_transfers_purchase (purchase_id),
    CONSTRAINT fk_cashback_transfers_purchase FOREIGN KEY (purchase_id) REFERENCES purchases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE cashback_entries (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    transfer_id BIGINT UNSIGNED NOT NULL,
    account VARCHAR(32) NOT NULL,
    member_id BIGINT UNSIGNED NULL,
    amount BIGINT NOT NULL,
    KEY ix_cashback_entries_member (member_id, account),
    CONSTRAINT fk_cashback_entries_transfer FOREIGN KEY (transfer_id) REFERENCES cashback_transfers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Which line of a purchase earned how much under which cashback earning: what a return of those
-- lines takes back (a share of it per returned quantity).
CREATE TABLE cashback_line_earnings (
    purchase_id BIGINT UNSIGNED NOT NULL,
    transfer_id BIGINT UNSIGNED NOT NULL,
    line INT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (purchase_id, transfer_id, line),
    CONSTRAINT fk_cashback_line_earnings_transfer FOREIGN KEY (transfer_id) REFERENCES cashback_transfers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Cashback a return could not take back (the clamp policy stops the wallet at zero).
ALTER TABLE member_accounts ADD COLUMN cashback_shortfall BIGINT NOT NULL DEFAULT 0;
ALTER TABLE purchases ADD COLUMN cashback_earned BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN cashback_spent BIGINT NOT NULL DEFAULT 0;

-- The stamp card each member is filling, per card of the program's rule set (stamps below zero:
-- a deficit a return left). A cache of stamp_events less the stamps that rewards consumed.
CREATE TABLE stamp_progress (
    member_id BIGINT UNSIGNED NOT NULL,
    card_id VARCHAR(64) NOT NULL,
    stamps BIGINT NOT NULL,
    started_at DATETIME(6) NULL,
    updated_at DATETIME(6) NOT NULL,
    PRIMARY KEY (member_id, card_id),
    CONSTRAINT fk_stamp_progress_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every change of a member's stamps: given by a purchase line (line 0: a visit), taken back by a
-- return, lost when a card ran out of time, forgiven, moved by a merge. A visit's threshold is the
-- basket it needed: a return that leaves less takes the stamp back.
CREATE TABLE stamp_events (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    member_id BIGINT UNSIGNED NOT NULL,
    card_id VARCHAR(64) NOT NULL,
    kind VARCHAR(16) NOT NULL,
    purchase_id BIGINT UNSIGNED NULL,
    line INT NULL,
    stamps BIGINT NOT NULL,
    threshold BIGINT NOT NULL DEFAULT 0,
    rule_version INT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    KEY ix_stamp_events_member (member_id, card_id),
    KEY ix_stamp_events_purchase (purchase_id),
    CONSTRAINT fk_stamp_events_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A filled card's reward: points (their lot) or a single-use coupon code assigned to the member.
-- A return that un-fills the card revokes it while unused.
CREATE TABLE stamp_rewards (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    member_id BIGINT UNSIGNED NOT NULL,
    card_id VARCHAR(64) NOT NULL,
    purchase_id BIGINT UNSIGNED NOT NULL,
    goal BIGINT NOT NULL,
    rule_version INT NOT NULL,
    points BIGINT NOT NULL DEFAULT 0,
    lot_id BIGINT UNSIGNED NULL,
    code_id BIGINT UNSIGNED NULL,
    status ENUM('issued', 'revoked') NOT NULL DEFAULT 'issued',
    created_at DATETIME(6) NOT NULL,
    revoked_at DATETIME(6) NULL,
    KEY ix_stamp_rewards_member (member_id, card_id, status),
    CONSTRAINT fk_stamp_rewards_member FOREIGN KEY (member_id) REFERENCES members (id),
    CONSTRAINT fk_stamp_rewards_code FOREIGN KEY (code_id) REFERENCES coupon_codes (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A revoked code (a stamp card reward taken back) is no longer good at the till.
ALTER TABLE coupon_codes ADD COLUMN revoked_at DATETIME(6) NULL;
