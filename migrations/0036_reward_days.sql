-- The Rewards report (issue 17) reads what each earn and cashback rule gave per local day of the
-- programme's time zone, per store and per member, instead of joining millions of ledger entries
-- to their transfers and purchases. Per member, so that the members a rule reached over a range
-- of days are counted exactly (a count of distinct members does not add up across days); a
-- purchase is counted once, on the row of its first transfer under the rule, so that purchases
-- do add up. A periodic roll-up in patrond adds the transfers up to a mark
-- (reward_day_marks.through_transfer_id, one row per programme and book, locked only by the
-- roll-up) and the report adds the transfers after it from the ledger itself. Nothing on the
-- purchase path reads or writes these tables.

CREATE TABLE reward_days (
    program_id BIGINT UNSIGNED NOT NULL,
    book ENUM('points', 'cashback') NOT NULL,
    day DATE NOT NULL,
    rule_key VARCHAR(64) NOT NULL,      -- The transfer's rule id; '' for none.
    kind VARCHAR(32) NOT NULL,          -- earn or reverse, as the transfer's.
    store_id BIGINT UNSIGNED NOT NULL,  -- The store of the transfer's purchase or return; 0: none.
    member_id BIGINT UNSIGNED NOT NULL,
    amount BIGINT NOT NULL,             -- The member's entries summed.
    purchases BIGINT NOT NULL,          -- Purchases whose first transfer of this rule and kind is here.
    PRIMARY KEY (program_id, book, day, rule_key, kind, store_id, member_id),
    -- Whether a member the ledger's newest transfers reached was reached already in the range.
    KEY ix_reward_days_member (program_id, book, rule_key, kind, member_id, store_id, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE reward_day_marks (
    program_id BIGINT UNSIGNED NOT NULL,
    book ENUM('points', 'cashback') NOT NULL,
    time_zone VARCHAR(64) NOT NULL,  -- The zone the days are local to: another zone rebuilds them.
    through_transfer_id BIGINT UNSIGNED NOT NULL,
    rolled_at DATETIME(6) NOT NULL,
    PRIMARY KEY (program_id, book)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
