-- Support adjustments carry their reason on the ledger transfer; every change staff make is
-- recorded in an append-only audit log (who, what, when, which entity, which fields: names
-- only, never personal values).

ALTER TABLE ledger_transfers ADD COLUMN note VARCHAR(500) NULL;

CREATE TABLE audit_log (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    actor VARCHAR(100) NOT NULL,
    action VARCHAR(64) NOT NULL,
    entity VARCHAR(64) NOT NULL,
    entity_id BIGINT UNSIGNED NOT NULL,
    fields VARCHAR(500) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    KEY ix_audit_log_entity (program_id, entity, entity_id),
    KEY ix_audit_log_time (program_id, created_at),
    CONSTRAINT fk_audit_log_program FOREIGN KEY (program_id) REFERENCES programs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
