-- Tier warnings (issue 21): a member whose tier would be lowered at the end of its period, on what
-- her review window holds so far, is told 14 days before, once a period. tier_warn_at is when her
-- tier is next looked at for that: the end of the secured period less 14 days (or at once, when
-- a period set by a late review ends sooner but not within 3 days), set with the period and cleared
-- once looked at (whether she was told or her tier was safe).
ALTER TABLE member_accounts
    ADD COLUMN tier_warn_at DATETIME(6) NULL,
    ADD KEY ix_member_accounts_warn (tier_warn_at);

-- Periods that end in more than 14 days get their warning; nearer ones none this time (no burst of
-- "by tomorrow" warnings as the release starts).
UPDATE member_accounts SET tier_warn_at = tier_secured_until - INTERVAL 14 DAY
    WHERE tier_secured_until > NOW(6) + INTERVAL 14 DAY;
