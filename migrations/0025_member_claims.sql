-- Receipts a member failed to claim in the portal, counted per member over a day so that guessing
-- other shoppers' receipt numbers is cut off after a few tries; forgotten after a day.
CREATE TABLE member_claim_failures (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    member_id BIGINT UNSIGNED NOT NULL,
    failed_at DATETIME(6) NOT NULL,
    KEY ix_member_claim_failures_member (member_id, failed_at),
    KEY ix_member_claim_failures_time (failed_at),
    CONSTRAINT fk_member_claim_failures_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
