-- Staff and member writes sent with an Idempotency-Key: the first successful answer, kept in the
-- same transaction as what the write did, so that the same key again (a retry after a lost
-- answer) gets it byte for byte instead of doing the write twice. An answer may hold personal
-- data (a member enrolled, a profile changed), so it is sealed under a data key of its own that
-- the active master key wraps, as members' data keys are. Kept 7 days; a member's erasure removes
-- the answers about her and the ones she was given.
CREATE TABLE IF NOT EXISTS write_answers (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    caller VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,  -- staff:ID, member:ID, program:ID (a patronctl token)
    idempotency_key VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    request_digest BINARY(32) NOT NULL,  -- SHA-256 of method, path, query and body
    member_id BIGINT UNSIGNED NULL,      -- the member the write was about, when it names one
    status SMALLINT NOT NULL DEFAULT 0,  -- 0 until the write's answer is kept, in its transaction
    master_key_id VARCHAR(64) NOT NULL DEFAULT '',
    data_key_sealed VARBINARY(255) NOT NULL DEFAULT '',
    answer_sealed MEDIUMBLOB NOT NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY ux_write_answers_caller_key (caller, idempotency_key),
    KEY ix_write_answers_created (created_at),
    KEY ix_write_answers_member (member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
