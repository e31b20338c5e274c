-- Every change of a member's consents, kept beside the current state (member_consents): which
-- consent, what it became, when, and who changed it (the member in the portal, a staff user, or
-- the enrolment itself). A marketer must be able to show that a member had agreed when a message
-- went out, and a member's export shows the whole history. The consents given before this table
-- existed are entered once, each at the time member_consents holds, changed by 'before history'.
CREATE TABLE IF NOT EXISTS member_consent_history (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    member_id BIGINT UNSIGNED NOT NULL,
    consent VARCHAR(16) NOT NULL,        -- terms, marketing_sms, marketing_email
    value VARCHAR(32) NOT NULL,          -- the terms version accepted, or granted / not granted
    changed_at DATETIME(6) NOT NULL,
    changed_by VARCHAR(16) NOT NULL,     -- member, staff, enrolment, before history
    staff_user_id BIGINT UNSIGNED NULL,  -- the staff account that changed it, when one did
    KEY ix_member_consent_history_member (member_id, id),
    CONSTRAINT fk_member_consent_history_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO member_consent_history (member_id, consent, value, changed_at, changed_by)
SELECT given.member_id, given.consent, given.value, given.changed_at, 'before history' FROM (
    SELECT member_id, 'terms' AS consent, terms_version AS value, terms_accepted_at AS changed_at
    FROM member_consents WHERE terms_version IS NOT NULL AND terms_accepted_at IS NOT NULL
    UNION ALL
    SELECT member_id, 'marketing_sms', IF(marketing_sms = 1, 'granted', 'not granted'), marketing_sms_at
    FROM member_consents WHERE marketing_sms_at IS NOT NULL
    UNION ALL
    SELECT member_id, 'marketing_email', IF(marketing_email = 1, 'granted', 'not granted'), marketing_email_at
    FROM member_consents WHERE marketing_email_at IS NOT NULL
) given
WHERE NOT EXISTS (SELECT 1 FROM member_consent_history h WHERE h.member_id = given.member_id)
ORDER BY given.member_id, given.changed_at, given.consent;
