-- The rest of a member's enrolment: gender, city and postal code sealed together under the
-- member's data key (one JSON value bound to members.details and the member id), and consents,
-- each with the time it was given or withdrawn (kept plain: campaigns must select by them).
ALTER TABLE members ADD COLUMN details_sealed VARBINARY(1024) NULL;

CREATE TABLE member_consents (
    member_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    terms_version VARCHAR(32) NULL,
    terms_accepted_at DATETIME(6) NULL,
    marketing_sms TINYINT(1) NOT NULL DEFAULT 0,
    marketing_sms_at DATETIME(6) NULL,
    marketing_email TINYINT(1) NOT NULL DEFAULT 0,
    marketing_email_at DATETIME(6) NULL,
    CONSTRAINT fk_member_consents_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
