-- Post-purchase feedback (NPS 0-10, CSAT 1-5, CES 1-7 and a comment), one answer per purchase,
-- within the programme's feedback window (14 days by default, 0 turns feedback off).
-- The comment is personal data: sealed (AES-256-GCM) under a data key of its own, which is
-- stored only wrapped by a master key like a member's (master key rotation re-wraps it). Erasing
-- the member whose purchase it was deletes the comment and its key; the scores stay, linked only
-- to the purchase's pseudonymous member id like the ledger. visit_day is the purchase's day in
-- the programme's time zone when it was rated: the report groups by it through its index.
ALTER TABLE programs ADD COLUMN feedback_window_s INT NOT NULL DEFAULT 1209600;

CREATE TABLE purchase_feedback (
    purchase_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    store_id BIGINT UNSIGNED NOT NULL,
    visit_day DATE NOT NULL,
    channel ENUM('portal', 'link') NOT NULL,
    nps TINYINT NULL,
    csat TINYINT NULL,
    ces TINYINT NULL,
    comment_sealed VARBINARY(4200) NULL,
    data_key_sealed VARBINARY(255) NULL,
    master_key_id VARCHAR(64) NULL,
    answered_at DATETIME(6) NOT NULL,
    KEY ix_purchase_feedback_report (program_id, visit_day, store_id),
    KEY ix_purchase_feedback_answered (program_id, answered_at),
    KEY ix_purchase_feedback_master (master_key_id),
    CONSTRAINT fk_purchase_feedback_purchase FOREIGN KEY (purchase_id) REFERENCES purchases (id),
    CONSTRAINT fk_purchase_feedback_store FOREIGN KEY (store_id) REFERENCES stores (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
