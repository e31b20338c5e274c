-- A batch sent with an Idempotency-Key: its answer, so that a retry with the same key and body
-- gets the original status and body byte for byte (its operations are idempotent anyway, but
-- their "replayed" flags would differ). Forgotten after 7 days, like every Idempotency-Key.
CREATE TABLE batch_answers (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    store_id BIGINT UNSIGNED NOT NULL,
    terminal VARCHAR(32) NOT NULL,
    idempotency_key VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    request_sha256 BINARY(32) NOT NULL,
    status SMALLINT NOT NULL,
    body MEDIUMTEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_batch_answers_key (store_id, terminal, idempotency_key),
    KEY ix_batch_answers_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
