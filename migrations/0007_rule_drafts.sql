-- Marketers edit a draft of the program's rule set; publishing copies it into rule_sets as the next
-- immutable version. One working draft per program, with the version it was started from. The
-- program also gets a time zone of its own (stores keep theirs).

CREATE TABLE rule_set_drafts (
    program_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    document LONGTEXT NOT NULL,
    based_on_version INT NULL,
    updated_by VARCHAR(100) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    CONSTRAINT fk_rule_set_drafts_program FOREIGN KEY (program_id) REFERENCES programs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE rule_sets ADD COLUMN published_by VARCHAR(100) NULL, ADD COLUMN note VARCHAR(200) NULL;

ALTER TABLE programs ADD COLUMN time_zone VARCHAR(64) NOT NULL DEFAULT 'UTC';
