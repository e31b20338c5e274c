-- Staff accounts: each signs in with email and password (PBKDF2-HMAC-SHA256, 600,000 iterations,
-- stored as one self-describing text) and gets a bearer token kept only as its hash, with an
-- expiry; sign-out deletes it. Consecutive failed sign-ins lock the account for a while.
CREATE TABLE staff_users (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    email VARCHAR(254) NOT NULL,
    name VARCHAR(100) NOT NULL,
    role ENUM('admin', 'marketer', 'support', 'analyst') NOT NULL,
    password_hash VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    status ENUM('active', 'disabled') NOT NULL DEFAULT 'active',
    failed_sign_ins INT NOT NULL DEFAULT 0,
    locked_until DATETIME(6) NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_staff_users_email (email),
    CONSTRAINT fk_staff_users_program FOREIGN KEY (program_id) REFERENCES programs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE staff_tokens
    ADD COLUMN staff_user_id BIGINT UNSIGNED NULL,
    ADD CONSTRAINT fk_staff_tokens_user FOREIGN KEY (staff_user_id) REFERENCES staff_users (id);
