-- Indexes for the Members report (issue 17), which reads a range of time of the programme:
-- purchases by the instant they were received (covering what the report sums, so a month is read
-- from the index alone), members by enrolment and tier changes by their time. A member's purchases
-- also carry their kind and void, so that whether a buyer bought before is answered from the index
-- (a month's 330,000 buyers: 60 s reading rows, 1 s from the index); it keeps its name and prefix.
ALTER TABLE purchases
    ADD KEY ix_purchases_program_received (program_id, received_at, member_id, kind, voided_at, store_id, total),
    DROP KEY ix_purchases_member,
    ADD KEY ix_purchases_member (member_id, received_at, kind, voided_at);
ALTER TABLE members ADD KEY ix_members_program_created (program_id, created_at, status);
ALTER TABLE tier_history ADD KEY ix_tier_history_time (created_at);
