-- Collections (issue 24): a stamp card whose stamps are the distinct items of a set ("five
-- different teas"); and cashback as a full card's reward (into the wallet's ledger under the
-- card's "stamps:ID", taken back from the wallet if a return revokes the reward). Its progress also keeps which items the member's card holds (1) or owes (a
-- negative count: taken back by a return after the reward they completed was used), as a JSON
-- object; each stamp event names the item it brought or took back.
ALTER TABLE stamp_progress
    ADD COLUMN IF NOT EXISTS items TEXT NULL;
ALTER TABLE stamp_events
    ADD COLUMN IF NOT EXISTS item VARCHAR(64) NULL;
ALTER TABLE stamp_rewards
    ADD COLUMN IF NOT EXISTS cashback BIGINT NOT NULL DEFAULT 0;
