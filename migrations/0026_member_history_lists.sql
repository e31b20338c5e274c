-- The member's history by list (earned, spent, ..., cashback, stamps, coupons), a page at a time:
-- each list is read newest first through an index on the member, so a page costs the same however
-- long the member's history is. (InnoDB appends the primary key to a secondary index, so
-- (member_id) also orders a member's coupon redemptions by id.)
ALTER TABLE ledger_entries ADD KEY ix_ledger_entries_member_transfer (member_id, transfer_id);
ALTER TABLE cashback_entries ADD KEY ix_cashback_entries_member_transfer (member_id, transfer_id);
ALTER TABLE stamp_events ADD KEY ix_stamp_events_member_time (member_id, created_at);
ALTER TABLE stamp_rewards ADD KEY ix_stamp_rewards_member_time (member_id, created_at),
    ADD KEY ix_stamp_rewards_member_revoked (member_id, status, revoked_at);
ALTER TABLE coupon_redemptions ADD KEY ix_coupon_redemptions_member (member_id);
