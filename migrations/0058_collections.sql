-- Collections (issue 24): a stamp card whose stamps are the distinct items of a set ("five
-- different teas"). Its progress also keeps which items the member's card holds (1) or owes (a
-- negative count: taken back by a return after the reward they completed was used), as a JSON
-- object; each stamp event names the item it brought or took back.
ALTER TABLE stamp_progress
    ADD COLUMN IF NOT EXISTS items TEXT NULL;
ALTER TABLE stamp_events
    ADD COLUMN IF NOT EXISTS item VARCHAR(64) NULL;
