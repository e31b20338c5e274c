-- Patron foundation: programs, stores and terminals, members with encrypted personal data,
-- cards, member accounts (balance cache), the double-entry points ledger, purchases with
-- their lines, published rule sets, staff tokens and POS nonces.
-- Times are UTC DATETIME(6). Money and points are BIGINT minor units / whole points.

CREATE TABLE programs (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    code VARCHAR(32) NOT NULL,
    name VARCHAR(200) NOT NULL,
    currency CHAR(3) NOT NULL,
    country_calling_code VARCHAR(4) NOT NULL,
    language VARCHAR(8) NOT NULL,
    card_prefix VARCHAR(6) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_programs_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE stores (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    code VARCHAR(32) NOT NULL,
    name VARCHAR(200) NOT NULL,
    currency CHAR(3) NOT NULL,
    time_zone VARCHAR(64) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_stores_code (code),
    CONSTRAINT fk_stores_program FOREIGN KEY (program_id) REFERENCES programs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A terminal's shared secret is stored sealed (AES-256-GCM) under a master key.
CREATE TABLE terminals (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    store_id BIGINT UNSIGNED NOT NULL,
    code VARCHAR(32) NOT NULL,
    key_id VARCHAR(64) NOT NULL,
    secret_sealed VARBINARY(255) NOT NULL,
    master_key_id VARCHAR(64) NOT NULL,
    status ENUM('active', 'revoked') NOT NULL DEFAULT 'active',
    created_at DATETIME(6) NOT NULL,
    UNIQUE KEY uq_terminals_key (key_id),
    UNIQUE KEY uq_terminals_code (store_id, code),
    CONSTRAINT fk_terminals_store FOREIGN KEY (store_id) REFERENCES stores (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Nonces seen on signed POS requests; a replayed nonce is refused.
CREATE TABLE pos_nonces (
    key_id VARCHAR(64) NOT NULL,
    nonce VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    seen_at DATETIME(6) NOT NULL,
    PRIMARY KEY (key_id, nonce),
    KEY ix_pos_nonces_seen (seen_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Personal data is sealed with the member's own data key, which is stored only wrapped by a
-- master key. Destroying data_key_sealed makes the member's personal data unrecoverable.
CREATE TABLE members (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    status ENUM('active', 'erased') NOT NULL DEFAULT 'active',
    data_key_sealed VARBINARY(255) NULL,
    master_key_id VARCHAR(64) NULL,
    full_name_sealed VARBINARY(2048) NULL,
    phone_sealed VARBINARY(255) NULL,
    email_sealed VARBINARY(1024) NULL,
    birth_date_sealed VARBINARY(255) NULL,
    language VARCHAR(8) NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    CONSTRAINT fk_members_program FOREIGN KEY (program_id) REFERENCES programs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Blind indexes (HMAC of the normalised phone or email): look-up and uniqueness without plaintext.
CREATE TABLE member_lookups (
    program_id BIGINT UNSIGNED NOT NULL,
    kind ENUM('phone', 'email') NOT NULL,
    digest BINARY(16) NOT NULL,
    member_id BIGINT UNSIGNED NOT NULL,
    PRIMARY KEY (program_id, kind, digest),
    KEY ix_member_lookups_member (member_id),
    CONSTRAINT fk_member_lookups_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE cards (
    number VARCHAR(19) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    member_id BIGINT UNSIGNED NOT NULL,
    kind ENUM('physical', 'virtual') NOT NULL DEFAULT 'virtual',
    state ENUM('active', 'blocked', 'lost', 'replaced', 'closed') NOT NULL DEFAULT 'active',
    state_reason VARCHAR(200) NULL,
    state_changed_at DATETIME(6) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    KEY ix_cards_member (member_id),
    CONSTRAINT fk_cards_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The member's account row: the lock every write for that member takes first, and the cache of
-- the balances that the ledger entries add up to.
CREATE TABLE member_accounts (
    member_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    points_available BIGINT NOT NULL DEFAULT 0,
    points_pending BIGINT NOT NULL DEFAULT 0,
    cashback_balance BIGINT NOT NULL DEFAULT 0,
    tier VARCHAR(64) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    CONSTRAINT fk_member_accounts_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE rule_sets (
    program_id BIGINT UNSIGNED NOT NULL,
    version INT NOT NULL,
    document LONGTEXT NOT NULL,
    effective_from DATETIME(6) NOT NULL,
    published_at DATETIME(6) NOT NULL,
    PRIMARY KEY (program_id, version),
    KEY ix_rule_sets_effective (program_id, effective_from),
    CONSTRAINT fk_rule_sets_program FOREIGN KEY (program_id) REFERENCES programs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The receipt key (store, terminal, business day, receipt) is unique: a receipt earns once.
-- The answer sent to the POS is kept so that a replay gets it back byte for byte.
CREATE TABLE purchases (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    store_id BIGINT UNSIGNED NOT NULL,
    terminal VARCHAR(32) NOT NULL,
    business_day DATE NOT NULL,
    receipt VARCHAR(64) NOT NULL,
    member_id BIGINT UNSIGNED NULL,
    card_number VARCHAR(19) CHARACTER SET ascii COLLATE ascii_bin NULL,
    currency CHAR(3) NOT NULL,
    total BIGINT NOT NULL,
    pos_time DATETIME(6) NOT NULL,
    pos_offset_minutes SMALLINT NOT NULL,
    received_at DATETIME(6) NOT NULL,
    rule_set_version INT NOT NULL,
    points_earned BIGINT NOT NULL,
    request_sha256 BINARY(32) NOT NULL,
    response_status SMALLINT NOT NULL,
    response_body MEDIUMTEXT NOT NULL,
    UNIQUE KEY uq_purchases_receipt (store_id, terminal, business_day, receipt),
    KEY ix_purchases_member (member_id, received_at),
    CONSTRAINT fk_purchases_store FOREIGN KEY (store_id) REFERENCES stores (id),
    CONSTRAINT fk_purchases_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE purchase_lines (
    purchase_id BIGINT UNSIGNED NOT NULL,
    line INT NOT NULL,
    sku VARCHAR(64) NOT NULL,
    category VARCHAR(64) NOT NULL,
    quantity_milli BIGINT NOT NULL,
    unit_price BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    discount BIGINT NOT NULL,
    PRIMARY KEY (purchase_id, line),
    CONSTRAINT fk_purchase_lines_purchase FOREIGN KEY (purchase_id) REFERENCES purchases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Double-entry points ledger: a transfer is a balanced set of entries (their amounts sum to zero).
CREATE TABLE ledger_transfers (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    kind VARCHAR(32) NOT NULL,
    purchase_id BIGINT UNSIGNED NULL,
    rule_id VARCHAR(64) NULL,
    rule_version INT NULL,
    created_at DATETIME(6) NOT NULL,
    KEY ix_ledger_transfers_purchase (purchase_id),
    CONSTRAINT fk_ledger_transfers_purchase FOREIGN KEY (purchase_id) REFERENCES purchases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ledger_entries (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    transfer_id BIGINT UNSIGNED NOT NULL,
    account VARCHAR(32) NOT NULL,
    member_id BIGINT UNSIGNED NULL,
    amount BIGINT NOT NULL,
    KEY ix_ledger_entries_member (member_id, account),
    CONSTRAINT fk_ledger_entries_transfer FOREIGN KEY (transfer_id) REFERENCES ledger_transfers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Staff bearer tokens, stored only as SHA-256 hashes.
CREATE TABLE staff_tokens (
    token_sha256 BINARY(32) NOT NULL PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    label VARCHAR(100) NOT NULL,
    role VARCHAR(32) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NULL,
    CONSTRAINT fk_staff_tokens_program FOREIGN KEY (program_id) REFERENCES programs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
