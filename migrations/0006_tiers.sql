-- Tiers: the program's tier policy (a JSON document marketers publish; its version counts up),
-- until when each member's tier is secured and when it is reviewed (the end of that period plus
-- the grace), and every change of tier, kept.

ALTER TABLE programs
    ADD COLUMN tier_policy LONGTEXT NULL,
    ADD COLUMN tier_policy_version INT NOT NULL DEFAULT 0;

ALTER TABLE member_accounts
    ADD COLUMN tier_secured_until DATETIME(6) NULL,
    ADD COLUMN tier_review_at DATETIME(6) NULL,
    ADD KEY ix_member_accounts_review (tier_review_at);

CREATE TABLE tier_history (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    member_id BIGINT UNSIGNED NOT NULL,
    from_tier VARCHAR(64) NOT NULL,
    to_tier VARCHAR(64) NOT NULL,
    reason ENUM('upgrade', 'downgrade', 'kept') NOT NULL,
    progress BIGINT NOT NULL,
    secured_until DATETIME(6) NOT NULL,
    policy_version INT NOT NULL,
    purchase_id BIGINT UNSIGNED NULL,
    created_at DATETIME(6) NOT NULL,
    KEY ix_tier_history_member (member_id, created_at),
    CONSTRAINT fk_tier_history_member FOREIGN KEY (member_id) REFERENCES members (id),
    CONSTRAINT fk_tier_history_purchase FOREIGN KEY (purchase_id) REFERENCES purchases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
