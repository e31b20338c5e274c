-- A terminal may hold several keys: rotating adds a new key and lets the older ones sign until
-- their grace period ends (expires_at); revoking ends a key at once (revoked_at). The terminal's
-- first key moves here with the same id, sealed secret and master key.
CREATE TABLE terminal_keys (
    key_id VARCHAR(64) NOT NULL PRIMARY KEY,
    terminal_id BIGINT UNSIGNED NOT NULL,
    secret_sealed VARBINARY(255) NOT NULL,
    master_key_id VARCHAR(64) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NULL,
    revoked_at DATETIME(6) NULL,
    KEY ix_terminal_keys_terminal (terminal_id),
    CONSTRAINT fk_terminal_keys_terminal FOREIGN KEY (terminal_id) REFERENCES terminals (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO terminal_keys (key_id, terminal_id, secret_sealed, master_key_id, created_at, revoked_at)
    SELECT key_id, id, secret_sealed, master_key_id, created_at, IF(status = 'revoked', created_at, NULL)
    FROM terminals;

ALTER TABLE terminals
    DROP INDEX uq_terminals_key,
    DROP COLUMN key_id,
    DROP COLUMN secret_sealed,
    DROP COLUMN master_key_id,
    DROP COLUMN status;
