-- Prize draws (issue 24): a campaign with prizes and an entry window; entries earned at the till
-- or by codes printed on packaging; a draw run once, from a secret seed committed to when the
-- draw was published and a public value fixed after its close, so that anyone can recompute it.
CREATE TABLE IF NOT EXISTS draws (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    terms LONGTEXT NOT NULL,                 -- The campaign's document (core/draws.h).
    state ENUM('draft', 'published', 'drawn', 'cancelled') NOT NULL DEFAULT 'draft',
    opens_at DATETIME(6) NOT NULL,           -- The terms' window, for the till's lookup.
    closes_at DATETIME(6) NOT NULL,
    -- The secret seed, wrapped by a master key like a data key (published: sealed; drawn: kept so
    -- that the proof can show it); its SHA-256, published as the commitment.
    master_key_id VARCHAR(64) NULL,
    seed_sealed VARBINARY(128) NULL,
    commitment CHAR(64) CHARACTER SET ascii NULL,
    published_at DATETIME(6) NULL,
    public_value VARCHAR(1200) NULL,         -- As the draw was run with it.
    entries_digest CHAR(64) CHARACTER SET ascii NULL,
    tickets BIGINT NOT NULL DEFAULT 0,       -- Entries in the draw when it was run.
    drawn_at DATETIME(6) NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    KEY ix_draws_window (program_id, state, closes_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Codes printed on packaging: each gives its draw's per_code entries, once.
CREATE TABLE IF NOT EXISTS draw_codes (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    draw_id BIGINT UNSIGNED NOT NULL,
    code CHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    batch INT NOT NULL,                      -- Codes made by one request, exported together.
    created_at DATETIME(6) NOT NULL,
    used_at DATETIME(6) NULL,
    member_id BIGINT UNSIGNED NULL,          -- Who entered it.
    UNIQUE KEY ux_draw_codes_code (program_id, code),
    KEY ix_draw_codes_draw (draw_id, batch, id),
    CONSTRAINT fk_draw_codes_draw FOREIGN KEY (draw_id) REFERENCES draws (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A member's entries, one row for each purchase or code that gave some; `entries` is what is
-- left after returns, `earned` what was given.
CREATE TABLE IF NOT EXISTS draw_entries (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    draw_id BIGINT UNSIGNED NOT NULL,
    member_id BIGINT UNSIGNED NOT NULL,
    source ENUM('purchase', 'code') NOT NULL,
    purchase_id BIGINT UNSIGNED NULL,
    code_id BIGINT UNSIGNED NULL,
    entries BIGINT NOT NULL,
    earned BIGINT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    KEY ix_draw_entries_member (draw_id, member_id),
    UNIQUE KEY ux_draw_entries_code (code_id),             -- A code enters once.
    UNIQUE KEY ux_draw_entries_purchase (draw_id, purchase_id),  -- A purchase enters a draw once.
    KEY ix_draw_entries_purchase (purchase_id),
    KEY ix_draw_entries_holder (member_id, draw_id),
    CONSTRAINT fk_draw_entries_draw FOREIGN KEY (draw_id) REFERENCES draws (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The run draw: each entrant under her reference (fixed by the seed) with her tickets, and each
-- place drawn.
CREATE TABLE IF NOT EXISTS draw_entrants (
    draw_id BIGINT UNSIGNED NOT NULL,
    reference CHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    member_id BIGINT UNSIGNED NOT NULL,
    tickets BIGINT NOT NULL,
    PRIMARY KEY (draw_id, reference),
    UNIQUE KEY ux_draw_entrants_member (draw_id, member_id),
    KEY ix_draw_entrants_holder (member_id),
    CONSTRAINT fk_draw_entrants_draw FOREIGN KEY (draw_id) REFERENCES draws (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS draw_places (
    draw_id BIGINT UNSIGNED NOT NULL,
    place INT NOT NULL,                      -- 0-based: the prizes' places, then the reserves.
    prize INT NULL,                          -- Index in the prize list; NULL for a reserve.
    reference CHAR(12) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    member_id BIGINT UNSIGNED NOT NULL,
    ticket BIGINT NOT NULL,
    attempt INT NOT NULL,
    -- won: told, waiting for her claim until claim_by; claimed; forfeited: claim_by passed and the
    -- prize went to the first reserve waiting, whose place then becomes won with that prize;
    -- reserve: waiting in line.
    state ENUM('won', 'claimed', 'forfeited', 'reserve') NOT NULL,
    claim_by DATETIME(6) NULL,
    claimed_at DATETIME(6) NULL,
    PRIMARY KEY (draw_id, place),
    KEY ix_draw_places_member (member_id),
    CONSTRAINT fk_draw_places_draw FOREIGN KEY (draw_id) REFERENCES draws (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
