-- Reports (issue 17) read the ledgers summed per local day of the programme's time zone, per store
-- and per kind of transfer, instead of millions of entries. A periodic roll-up in patrond adds the
-- transfers up to a mark (ledger_day_marks.through_transfer_id, one row per programme and book,
-- locked only by the roll-up) and reports add the transfers after it from the ledger itself.
-- Nothing on the purchase path reads or writes these tables.

CREATE TABLE ledger_days (
    program_id BIGINT UNSIGNED NOT NULL,
    day DATE NOT NULL,
    book ENUM('points', 'cashback') NOT NULL,
    store_id BIGINT UNSIGNED NOT NULL,  -- The store of the transfer's purchase or return; 0: none.
    kind VARCHAR(32) NOT NULL,          -- The transfer's kind (earn, redeem, expire, ...).
    transfers BIGINT NOT NULL,
    gained BIGINT NOT NULL,     -- Sum of the transfers that added to members' balances.
    lost BIGINT NOT NULL,       -- Sum of those that took from them, as a positive number.
    available BIGINT NOT NULL,  -- Net change of members' available points (cashback: their wallets).
    pending BIGINT NOT NULL,    -- Net change of members' points on hold.
    PRIMARY KEY (program_id, day, book, store_id, kind)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ledger_day_marks (
    program_id BIGINT UNSIGNED NOT NULL,
    book ENUM('points', 'cashback') NOT NULL,
    time_zone VARCHAR(64) NOT NULL,  -- The zone the days are local to: another zone rebuilds them.
    through_transfer_id BIGINT UNSIGNED NOT NULL,
    rolled_at DATETIME(6) NOT NULL,
    PRIMARY KEY (program_id, book)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
