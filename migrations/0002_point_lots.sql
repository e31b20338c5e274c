-- Points with lots: each earning is a lot with its own hold (pending until) and expiry;
-- spending and expiry consume lots, recorded per transfer in point_lot_uses. The program's
-- points policy lives beside its other settings.

ALTER TABLE programs
    ADD COLUMN points_hold_s INT NOT NULL DEFAULT 0,
    ADD COLUMN points_expiry_months INT NOT NULL DEFAULT 12,
    ADD COLUMN point_value_minor BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN redeem_points_min BIGINT NOT NULL DEFAULT 1,
    ADD COLUMN negative_balance_policy ENUM('allow', 'clamp') NOT NULL DEFAULT 'allow';

CREATE TABLE point_lots (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    member_id BIGINT UNSIGNED NOT NULL,
    purchase_id BIGINT UNSIGNED NULL,
    transfer_id BIGINT UNSIGNED NOT NULL,
    rule_id VARCHAR(64) NOT NULL,
    rule_version INT NOT NULL,
    earned BIGINT NOT NULL,
    remaining BIGINT NOT NULL,
    state ENUM('pending', 'available', 'closed') NOT NULL,
    earned_at DATETIME(6) NOT NULL,
    pending_until DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    KEY ix_point_lots_member (member_id, state, expires_at),
    KEY ix_point_lots_pending (state, pending_until),
    KEY ix_point_lots_expiry (state, expires_at),
    CONSTRAINT fk_point_lots_member FOREIGN KEY (member_id) REFERENCES members (id),
    CONSTRAINT fk_point_lots_transfer FOREIGN KEY (transfer_id) REFERENCES ledger_transfers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE point_lot_uses (
    transfer_id BIGINT UNSIGNED NOT NULL,
    lot_id BIGINT UNSIGNED NOT NULL,
    points BIGINT NOT NULL,
    PRIMARY KEY (transfer_id, lot_id),
    KEY ix_point_lot_uses_lot (lot_id),
    CONSTRAINT fk_point_lot_uses_transfer FOREIGN KEY (transfer_id) REFERENCES ledger_transfers (id),
    CONSTRAINT fk_point_lot_uses_lot FOREIGN KEY (lot_id) REFERENCES point_lots (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
