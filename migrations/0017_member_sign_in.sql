-- Members sign in to the portal with phone or email and a password, set (activation) or reset
-- by a one-time code. Passwords are kept only as PBKDF2 hashes, codes only as a keyed HMAC (the
-- key lives in the keys file, so a dump does not give six digits away to a brute force), tokens
-- only as SHA-256.
CREATE TABLE member_credentials (
    member_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    password_hash VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    failed_sign_ins INT NOT NULL DEFAULT 0,
    locked_until DATETIME(6) NULL,
    updated_at DATETIME(6) NOT NULL,
    CONSTRAINT fk_member_credentials_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE member_codes (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    member_id BIGINT UNSIGNED NOT NULL,
    purpose ENUM('activate', 'reset') NOT NULL,
    code_mac BINARY(16) NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    created_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    used_at DATETIME(6) NULL,
    KEY ix_member_codes_member (member_id, created_at),
    CONSTRAINT fk_member_codes_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE member_tokens (
    token_sha256 BINARY(32) NOT NULL PRIMARY KEY,
    member_id BIGINT UNSIGNED NOT NULL,
    program_id BIGINT UNSIGNED NOT NULL,
    created_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    KEY ix_member_tokens_member (member_id),
    CONSTRAINT fk_member_tokens_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
