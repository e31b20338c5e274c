-- Staff search the audit log (issue 18) by actor, member, action and local dates, newest first, a
-- page at a time. An entry now names the member it is about (the member of a member's own entries,
-- the member a receipt was claimed for or a coupon code assigned to) and the staff user who acted,
-- so that a staff user's email finds their entries whatever name they went by then. Every search
-- reads one index of the programme in (created_at, id) order (InnoDB keys end in the primary key):
-- all entries (ix_audit_log_time), or an actor's, a staff user's, a member's or an action's.
-- No foreign keys: the log is history and outlives what it names.
ALTER TABLE audit_log
    ADD COLUMN staff_user_id BIGINT UNSIGNED NULL,
    ADD COLUMN member_id BIGINT UNSIGNED NULL,
    ADD KEY ix_audit_log_actor (program_id, actor, created_at),
    ADD KEY ix_audit_log_staff_user (program_id, staff_user_id, created_at),
    ADD KEY ix_audit_log_member (program_id, member_id, created_at),
    ADD KEY ix_audit_log_action (program_id, action, created_at);

-- Entries written before are filled in where the rest of the database tells: a member entity is
-- the member; a claim's purchase and an assigned code name their member today (a merge since has
-- moved them to the surviving member).
UPDATE audit_log SET member_id = entity_id WHERE entity = 'member';

UPDATE audit_log a JOIN purchases p ON p.id = a.entity_id
    SET a.member_id = p.member_id
    WHERE a.entity = 'purchase' AND a.action = 'purchase.claim';

UPDATE audit_log a JOIN coupon_codes c ON c.id = a.entity_id
    SET a.member_id = c.member_id
    WHERE a.entity = 'coupon_code' AND a.action = 'coupon_code.assign';

-- The actor of an entry is the staff user's name as it was then (or a patronctl token's label):
-- an entry is theirs when exactly one staff user of the programme has that name now and existed
-- by the entry's time. Entries of a user renamed since, or of a shared name, stay without one.
UPDATE audit_log a
    JOIN (SELECT program_id, name, MIN(id) AS id, MIN(created_at) AS created_at FROM staff_users
          GROUP BY program_id, name HAVING COUNT(*) = 1) u
        ON u.program_id = a.program_id AND u.name = a.actor AND u.created_at <= a.created_at
    SET a.staff_user_id = u.id
    WHERE a.actor <> 'member';
