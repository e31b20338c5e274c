-- The Members report (issue 17) asks, of a month's buyers, whether each bought before, and of a
-- million members, when each last bought. Both are kept on the member's account row, which every
-- purchase, void and claim of the member already locks and writes, so no new row is locked by a
-- purchase: the first and the last instant at which Patron received a purchase of the member that
-- is not voided (a void counts them again from the member's purchases). The first is indexed: a
-- month's new buyers are read from it. The last is not (an index would be written by every
-- purchase). The account also names its programme, which never changes, so that the report counts
-- a programme's accounts by reading them alone rather than through a million joins.
ALTER TABLE member_accounts
    ADD COLUMN program_id BIGINT UNSIGNED NULL AFTER member_id,
    ADD COLUMN first_purchase_at DATETIME(6) NULL,
    ADD COLUMN last_purchase_at DATETIME(6) NULL,
    ADD KEY ix_member_accounts_first_purchase (first_purchase_at);

UPDATE member_accounts a JOIN members m ON m.id = a.member_id SET a.program_id = m.program_id;

ALTER TABLE member_accounts MODIFY program_id BIGINT UNSIGNED NOT NULL;

UPDATE member_accounts a
    JOIN (SELECT member_id, MIN(received_at) AS first_at, MAX(received_at) AS last_at FROM purchases
          WHERE member_id IS NOT NULL AND kind = 'purchase' AND voided_at IS NULL GROUP BY member_id) p
        ON p.member_id = a.member_id
    SET a.first_purchase_at = p.first_at, a.last_purchase_at = p.last_at;
