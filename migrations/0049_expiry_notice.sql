-- Points about to expire (issue 21): each programme says how many days ahead its members are told
-- (a points_expiring event; 0 tells nobody), and each lot is announced once.
ALTER TABLE programs
    ADD COLUMN expiry_notice_s INT NOT NULL DEFAULT 1209600;  -- 14 days.

-- expiry_noticed: 1 once a points_expiring event announced the lot. The key finds the lots still
-- to announce among the spendable ones by expiry, without reading those already announced.
ALTER TABLE point_lots
    ADD COLUMN expiry_noticed TINYINT UNSIGNED NOT NULL DEFAULT 0,
    ADD KEY ix_point_lots_notice (state, expiry_noticed, expires_at);
