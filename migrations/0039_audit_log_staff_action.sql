-- A staff member's entries of one action (issue 18's audit screen: "what did Sara block?") are read
-- through an index of their own in time order, so a rare action is not looked for among all of the
-- staff member's entries: by staff user for entries that name one, by actor for a patronctl
-- token's label or the name of a staff user renamed since.
ALTER TABLE audit_log
    ADD KEY ix_audit_log_staff_user_action (program_id, staff_user_id, action, created_at),
    ADD KEY ix_audit_log_actor_action (program_id, actor, action, created_at);
