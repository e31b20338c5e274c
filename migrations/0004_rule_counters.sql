-- Counters behind rule limits: points each rule gave each member per local day and month
-- (caps), and points each rule gave in all (campaign budgets). Budget rows are locked while a
-- purchase is rated, so a budget stops the rule for everyone at the same moment.

CREATE TABLE member_rule_usage (
    member_id BIGINT UNSIGNED NOT NULL,
    rule_id VARCHAR(64) NOT NULL,
    period CHAR(10) CHARACTER SET ascii NOT NULL,
    points BIGINT NOT NULL,
    PRIMARY KEY (member_id, rule_id, period),
    CONSTRAINT fk_member_rule_usage_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE rule_budgets (
    program_id BIGINT UNSIGNED NOT NULL,
    rule_id VARCHAR(64) NOT NULL,
    used BIGINT NOT NULL,
    PRIMARY KEY (program_id, rule_id),
    CONSTRAINT fk_rule_budgets_program FOREIGN KEY (program_id) REFERENCES programs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
