-- A quote may hold the points it would spend for a short time, so that its commit cannot fail
-- for lack of balance: held points are not available to any other spend until the hold is used
-- by the commit that names it or runs out (expires_at). The hold also keeps what the quote
-- promised, so the commit can say whether, and why, its result differs.
ALTER TABLE programs ADD COLUMN quote_hold_s INT NOT NULL DEFAULT 300;

CREATE TABLE quote_holds (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    quote_id VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    program_id BIGINT UNSIGNED NOT NULL,
    store_id BIGINT UNSIGNED NOT NULL,
    member_id BIGINT UNSIGNED NOT NULL,
    points BIGINT NOT NULL,
    points_earned BIGINT NOT NULL,
    rule_set_version INT NOT NULL,
    tier VARCHAR(64) NOT NULL,
    basket_sha256 BINARY(32) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    used_by_purchase_id BIGINT UNSIGNED NULL,
    UNIQUE KEY uq_quote_holds_quote (quote_id),
    KEY ix_quote_holds_member (member_id, expires_at),
    CONSTRAINT fk_quote_holds_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Idempotency keys are forgotten 7 days after their operation (the receipt key still makes it
-- exactly-once); the purge job finds them by time.
ALTER TABLE purchases ADD KEY ix_purchases_received (received_at);
