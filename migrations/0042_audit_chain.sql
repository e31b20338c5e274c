-- The audit log becomes tamper-evident (issue 20). Each entry is sealed, in the transaction that
-- writes it, by a link of its programme's chain: the link's number (seq, from 1, without gaps) and
-- a MAC over the previous link's MAC and every column of the entry, under a key derived from the
-- keys file's index key, which the database never holds. `patronctl verify` walks the chains and
-- names each entry changed, removed or reordered, and each written around patrond without a link.
-- The seals live beside the entries, so that neither table is ever updated; triggers refuse every
-- UPDATE and DELETE of both, and the removal of a chain's head, whoever asks. (A statement that
-- fires no trigger, TRUNCATE or DROP, or an account allowed to drop the triggers gets past them:
-- verification then finds what was done, but for links cut from a chain's end with its head.)
-- Every statement may run again, should the migration stop half-way (a user without the privilege
-- to create triggers where the binary log is on).
CREATE TABLE IF NOT EXISTS audit_seals (
    audit_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    seq BIGINT UNSIGNED NOT NULL,
    mac BINARY(32) NOT NULL,
    UNIQUE KEY ux_audit_seals_seq (program_id, seq)
) ENGINE=InnoDB;

-- Each programme's last link, locked by the writer of the next one so that links are numbered one
-- after another. The entries written before this migration (ids up to legacy_until) are sealed in
-- id order when patrond next starts, as it holds the keys; legacy_until is 0 once they are.
CREATE TABLE IF NOT EXISTS audit_chain_heads (
    program_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    seq BIGINT UNSIGNED NOT NULL,
    mac BINARY(32) NOT NULL,
    legacy_until BIGINT UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB;

INSERT IGNORE INTO audit_chain_heads (program_id, seq, mac, legacy_until)
    SELECT program_id, 0, UNHEX(REPEAT('00', 32)), MAX(id) FROM audit_log GROUP BY program_id;

CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the audit log is append-only';

CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the audit log is append-only';

CREATE TRIGGER IF NOT EXISTS audit_seals_no_update BEFORE UPDATE ON audit_seals FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the audit log is append-only';

CREATE TRIGGER IF NOT EXISTS audit_seals_no_delete BEFORE DELETE ON audit_seals FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the audit log is append-only';

CREATE TRIGGER IF NOT EXISTS audit_chain_heads_no_delete BEFORE DELETE ON audit_chain_heads FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the audit log is append-only';
