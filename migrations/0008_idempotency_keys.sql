-- POS writes may carry an Idempotency-Key header; it is kept on the operation's row (for as long
-- as the row: at least the 7 days offline terminals need) and is unique per store and terminal.
ALTER TABLE purchases
    ADD COLUMN idempotency_key VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NULL,
    ADD UNIQUE KEY uq_purchases_idempotency (store_id, terminal, idempotency_key);
