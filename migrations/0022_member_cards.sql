-- More than one card per member. A member's primary card is the one staff chose (the portal
-- prints it first); while it is not active the oldest active card stands in
-- (loyalty/core/primary_card.h). Existing members start with their oldest active card.
ALTER TABLE members
    ADD COLUMN primary_card VARCHAR(19) CHARACTER SET ascii COLLATE ascii_bin NULL,
    ADD CONSTRAINT fk_members_primary_card FOREIGN KEY (primary_card) REFERENCES cards (number);

UPDATE members m SET m.primary_card = (
    SELECT c.number FROM cards c WHERE c.member_id = m.id AND c.state = 'active'
    ORDER BY c.created_at, c.number LIMIT 1)
WHERE m.status = 'active';

-- Pre-printed card ranges a program bought from its card printer: the numbers support staff may
-- hand over at the desk. Both ends are valid card numbers of one length; no two ranges, of any
-- programs, share a number (card numbers are unique across programs), and no drawn number lies in
-- one. Within one length, text order is the order of the numbers.
CREATE TABLE card_ranges (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    name VARCHAR(100) NOT NULL,
    first_number VARCHAR(19) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    last_number VARCHAR(19) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    created_at DATETIME(6) NOT NULL,
    KEY ix_card_ranges_program (program_id),
    KEY ix_card_ranges_first (first_number),
    CONSTRAINT fk_card_ranges_program FOREIGN KEY (program_id) REFERENCES programs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The one row every range registration locks first: under READ COMMITTED no gap lock keeps two
-- overlapping ranges, registered at the same moment by two programs, from both passing the check.
CREATE TABLE card_range_registry (
    id TINYINT UNSIGNED NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO card_range_registry (id) VALUES (1);
