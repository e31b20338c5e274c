-- Receipt numbers a terminal used for something that earns nothing (a POSLog transaction that was
-- canceled, suspended or voided at the till): recorded so that the receipt-gap report does not
-- list them as operations that never arrived.
CREATE TABLE skipped_receipts (
    store_id BIGINT UNSIGNED NOT NULL,
    terminal VARCHAR(32) NOT NULL,
    business_day DATE NOT NULL,
    receipt VARCHAR(64) NOT NULL,
    reason VARCHAR(64) NOT NULL,
    received_at DATETIME(6) NOT NULL,
    PRIMARY KEY (store_id, terminal, business_day, receipt),
    CONSTRAINT fk_skipped_receipts_store FOREIGN KEY (store_id) REFERENCES stores (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
