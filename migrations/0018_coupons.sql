-- Coupon campaigns (a marketer's JSON document, draft until published), their codes (generated
-- in bulk, single use, or public ones many may use; optionally assigned to a member) and every
-- redemption, with the purchase it was on. A void or return gives a redemption back
-- (status given_back), and the counters below move with it in the same transaction.
CREATE TABLE coupon_campaigns (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    name VARCHAR(64) NOT NULL,
    status ENUM('draft', 'published', 'ended') NOT NULL DEFAULT 'draft',
    version INT NOT NULL DEFAULT 1,
    document MEDIUMTEXT NOT NULL,
    redemptions BIGINT NOT NULL DEFAULT 0,
    budget_used BIGINT NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    published_at DATETIME(6) NULL,
    KEY ix_coupon_campaigns_program (program_id, id),
    CONSTRAINT fk_coupon_campaigns_program FOREIGN KEY (program_id) REFERENCES programs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Codes compare without regard to case: a cashier may type summer25 for SUMMER25.
CREATE TABLE coupon_codes (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    campaign_id BIGINT UNSIGNED NOT NULL,
    code VARCHAR(40) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
    single_use BOOLEAN NOT NULL,
    member_id BIGINT UNSIGNED NULL,
    redemptions BIGINT NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_coupon_codes_code (program_id, code),
    KEY ix_coupon_codes_campaign (campaign_id, id),
    KEY ix_coupon_codes_member (member_id),
    CONSTRAINT fk_coupon_codes_campaign FOREIGN KEY (campaign_id) REFERENCES coupon_campaigns (id),
    CONSTRAINT fk_coupon_codes_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE coupon_redemptions (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    code_id BIGINT UNSIGNED NOT NULL,
    campaign_id BIGINT UNSIGNED NOT NULL,
    campaign_version INT NOT NULL,
    member_id BIGINT UNSIGNED NULL,
    purchase_id BIGINT UNSIGNED NOT NULL,
    discount BIGINT NOT NULL,
    bonus_points BIGINT NOT NULL,
    status ENUM('redeemed', 'given_back') NOT NULL DEFAULT 'redeemed',
    created_at DATETIME(6) NOT NULL,
    given_back_at DATETIME(6) NULL,
    given_back_by BIGINT UNSIGNED NULL,
    KEY ix_coupon_redemptions_purchase (purchase_id),
    KEY ix_coupon_redemptions_campaign_member (campaign_id, member_id, status),
    CONSTRAINT fk_coupon_redemptions_code FOREIGN KEY (code_id) REFERENCES coupon_codes (id),
    CONSTRAINT fk_coupon_redemptions_purchase FOREIGN KEY (purchase_id) REFERENCES purchases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
