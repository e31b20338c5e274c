-- A member's export shows the Rewards report's sums per day, rule and store for the member too:
-- the table's keys lead with the book and the rule, so without this one the export would read
-- all of them. (Its own migration: 0043 was applied as it stood, and an applied file never changes.)
ALTER TABLE reward_days ADD KEY IF NOT EXISTS ix_reward_days_program_member (program_id, member_id);
