-- A member's export (right of access) names the records merged into the member (the same person
-- enrolled twice). They are found by merged_into, which nothing read before: without an index of
-- its own, every export would read every member of every programme.
ALTER TABLE members ADD KEY ix_members_merged_into (merged_into);

-- It shows the Rewards report's sums per day, rule and store for the member too: the table's
-- keys lead with the book and the rule, so without this one the export would read all of them.
ALTER TABLE reward_days ADD KEY ix_reward_days_program_member (program_id, member_id);
