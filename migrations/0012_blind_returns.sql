-- Whether the program takes returns without the original receipt (the member's card and the
-- goods instead): off by default, so such a return is refused with RECEIPT_NOT_FOUND.
ALTER TABLE programs ADD COLUMN blind_returns TINYINT(1) NOT NULL DEFAULT 0;
