-- A member's export (right of access) names the records merged into the member (the same person
-- enrolled twice). They are found by merged_into, which nothing read before: without an index of
-- its own, every export would read every member of every programme.
ALTER TABLE members ADD KEY ix_members_merged_into (merged_into);
