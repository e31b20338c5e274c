-- A member record merged into another (the same person enrolled twice): its cards, lots,
-- purchases and history moved to the survivor, its personal data shredded like an erasure.
ALTER TABLE members
    MODIFY COLUMN status ENUM('active', 'erased', 'merged') NOT NULL DEFAULT 'active',
    ADD COLUMN merged_into BIGINT UNSIGNED NULL;
