-- The Rewards report (issue 17) reads what each rule, campaign and card gave over a range of
-- dates: the ledgers' transfers, stamp events and coupon redemptions are found by their instant.
-- Each index grows at its right-hand end (instants only move forward), so a purchase's inserts
-- stay appends.
ALTER TABLE ledger_transfers ADD KEY ix_ledger_transfers_program_time (program_id, created_at);
ALTER TABLE cashback_transfers ADD KEY ix_cashback_transfers_program_time (program_id, created_at);
ALTER TABLE stamp_events ADD KEY ix_stamp_events_program_time (program_id, created_at);
ALTER TABLE coupon_redemptions ADD KEY ix_coupon_redemptions_campaign_time (campaign_id, created_at);
