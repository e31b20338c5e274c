-- Failed sign-ins are counted per login name, whether or not an account has that name, so a
-- name nobody has locks after the same failures and with the same answer as a real one: the
-- answer never tells which accounts exist. The name is kept only as a blind index (a keyed
-- HMAC of the normalised email or phone, with its program), never in plain text. A sign-in
-- reserves its attempt here in one conditional statement before any password is hashed, so
-- parallel guesses cannot all be checked before the lock applies. The counters that lived on
-- the accounts go.
CREATE TABLE sign_in_attempts (
    login_mac BINARY(16) NOT NULL PRIMARY KEY,
    failures INT NOT NULL DEFAULT 0,
    locked_until DATETIME(6) NULL,
    updated_at DATETIME(6) NOT NULL,
    KEY ix_sign_in_attempts_updated (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE staff_users DROP COLUMN failed_sign_ins, DROP COLUMN locked_until;
ALTER TABLE member_credentials DROP COLUMN failed_sign_ins, DROP COLUMN locked_until;
