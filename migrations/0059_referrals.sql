-- Referrals (issue 24): a member's referral code, and the friends who enrolled with one.
-- The programme's terms (the rewards for the friend and the referrer, the days a first
-- qualifying purchase has, its least total, the referrer's monthly limit) are a versioned
-- document of the programme; each referral copies the terms it was made under, so that what a
-- friend was promised at enrolment is what her first qualifying purchase gives, whatever the
-- terms became since. The member's account names her pending referral, so a till's purchase
-- reads it with the account it locks anyway.
ALTER TABLE programs
    ADD COLUMN IF NOT EXISTS referral_terms LONGTEXT NULL,
    ADD COLUMN IF NOT EXISTS referral_terms_version INT NOT NULL DEFAULT 0;

CREATE TABLE IF NOT EXISTS referral_codes (
    member_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    code CHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY ux_referral_codes_code (program_id, code),
    CONSTRAINT fk_referral_codes_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS referrals (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    referrer_id BIGINT UNSIGNED NOT NULL,
    friend_id BIGINT UNSIGNED NOT NULL,
    terms_version INT NOT NULL,
    terms LONGTEXT NOT NULL,              -- The terms' document when she enrolled.
    enrolled_at DATETIME(6) NOT NULL,
    qualify_by DATETIME(6) NOT NULL,      -- Her first qualifying purchase must be received before.
    -- pending: waiting for her first qualifying purchase (lapsed once qualify_by has passed);
    -- rewarded: it came, and the rewards were given; refused: never to be rewarded (reason).
    state ENUM('pending', 'rewarded', 'refused') NOT NULL DEFAULT 'pending',
    reason VARCHAR(32) CHARACTER SET ascii NULL,
    purchase_id BIGINT UNSIGNED NULL,     -- The qualifying purchase, while rewarded.
    qualified_at DATETIME(6) NULL,
    friend_points BIGINT NOT NULL DEFAULT 0,      -- What each was given (and still holds).
    friend_cashback BIGINT NOT NULL DEFAULT 0,
    referrer_points BIGINT NOT NULL DEFAULT 0,
    referrer_cashback BIGINT NOT NULL DEFAULT 0,
    -- rewarded: the referrer had her reward; capped: her monthly limit was reached; none: not yet.
    referrer_outcome ENUM('none', 'rewarded', 'capped') NOT NULL DEFAULT 'none',
    revocations INT NOT NULL DEFAULT 0,   -- Qualifying purchases returned (the rewards taken back).
    updated_at DATETIME(6) NOT NULL,
    UNIQUE KEY ux_referrals_friend (friend_id),
    KEY ix_referrals_referrer (referrer_id, qualified_at),
    KEY ix_referrals_program (program_id, id),
    KEY ix_referrals_purchase (purchase_id),
    CONSTRAINT fk_referrals_referrer FOREIGN KEY (referrer_id) REFERENCES members (id),
    CONSTRAINT fk_referrals_friend FOREIGN KEY (friend_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE member_accounts
    ADD COLUMN IF NOT EXISTS referral_id BIGINT UNSIGNED NULL;
