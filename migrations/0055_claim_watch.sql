-- Receipt-claim harvesting (issue 21): a member who claims anonymous receipts that are not hers,
-- many from one network address, or many of one till's receipts (a cashier crediting shoppers'
-- receipts to a friend's card). The fraud policy's claim_harvesting pattern counts, over 24 hours,
-- the claims that credited a purchase (kept here by purchase, with its till and, for a portal
-- claim, the address it came from) and the portal claims that failed (member_claim_failures).
--
-- An address is never stored: only a blind index of it (HMAC-SHA256 under the key ring's index
-- key, 16 bytes), which finds the same address again and names nobody. Both tables are kept a
-- day, then forgotten by the housekeeping; the audit log keeps who claimed what for good.
ALTER TABLE member_claim_failures
    ADD COLUMN address_key VARBINARY(16) NULL,
    ADD KEY ix_member_claim_failures_address (address_key, failed_at);

CREATE TABLE IF NOT EXISTS purchase_claims (
    purchase_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    member_id BIGINT UNSIGNED NOT NULL,
    store_id BIGINT UNSIGNED NOT NULL,
    terminal VARCHAR(32) NOT NULL,
    address_key VARBINARY(16) NULL,  -- A portal claim's; staff claims have none.
    claimed_at DATETIME(6) NOT NULL,
    KEY ix_purchase_claims_member (member_id, claimed_at),
    KEY ix_purchase_claims_till (store_id, terminal, claimed_at),
    KEY ix_purchase_claims_address (address_key, claimed_at),
    KEY ix_purchase_claims_time (claimed_at),
    CONSTRAINT fk_purchase_claims_purchase FOREIGN KEY (purchase_id) REFERENCES purchases (id),
    CONSTRAINT fk_purchase_claims_member FOREIGN KEY (member_id) REFERENCES members (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
