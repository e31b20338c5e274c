-- Returns and voids. Each is a POS operation with its own receipt key, so it lives in the
-- purchases table (kind, original_id) and shares its uniqueness, stored answer and replays.
-- Each earning is split over the lines that earned it (line_points), so a return reverses exactly
-- what its lines earned; returned quantities accumulate per line; lots remember what returns took
-- back from them (reversed) and what they charged beyond (charged: spent points taken from the
-- balance, or only recorded when the program clamps at zero).

ALTER TABLE purchases
    ADD COLUMN kind ENUM('purchase', 'return', 'void') NOT NULL DEFAULT 'purchase',
    ADD COLUMN original_id BIGINT UNSIGNED NULL,
    ADD COLUMN points_redeemed BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN redeemed_value BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN voided_at DATETIME(6) NULL,
    ADD KEY ix_purchases_original (original_id),
    ADD CONSTRAINT fk_purchases_original FOREIGN KEY (original_id) REFERENCES purchases (id);

ALTER TABLE purchase_lines ADD COLUMN returned_milli BIGINT NOT NULL DEFAULT 0;

CREATE TABLE line_points (
    purchase_id BIGINT UNSIGNED NOT NULL,
    line INT NOT NULL,
    lot_id BIGINT UNSIGNED NOT NULL,
    points BIGINT NOT NULL,
    PRIMARY KEY (purchase_id, line, lot_id),
    KEY ix_line_points_lot (lot_id),
    CONSTRAINT fk_line_points_purchase FOREIGN KEY (purchase_id) REFERENCES purchases (id),
    CONSTRAINT fk_line_points_lot FOREIGN KEY (lot_id) REFERENCES point_lots (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE return_lines (
    return_id BIGINT UNSIGNED NOT NULL,
    line INT NOT NULL,
    quantity_milli BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (return_id, line),
    CONSTRAINT fk_return_lines_return FOREIGN KEY (return_id) REFERENCES purchases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE point_lots
    ADD COLUMN reversed BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN charged BIGINT NOT NULL DEFAULT 0;

-- Points a return could not take back under the clamp policy, per member: the program's loss.
ALTER TABLE member_accounts ADD COLUMN points_shortfall BIGINT NOT NULL DEFAULT 0;

ALTER TABLE programs
    ADD COLUMN void_window_s INT NOT NULL DEFAULT 0,
    ADD COLUMN points_expiry_mode ENUM('months', 'quarter_end') NOT NULL DEFAULT 'months';
