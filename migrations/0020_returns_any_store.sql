-- Whether a purchase may be returned or voided in any of the program's stores: off by default,
-- so only a terminal of the purchase's own store finds it (another store gets RECEIPT_NOT_FOUND).
ALTER TABLE programs ADD COLUMN returns_any_store TINYINT(1) NOT NULL DEFAULT 0;
