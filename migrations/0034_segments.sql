-- Rule-based member segments (issue 17): marketers' definitions, and the membership the insight
-- refresh materialises per member from them. computed_at and members say when the membership
-- was last computed and how many it held; a definition changed since (changed_at later) waits for
-- the next refresh. The conditions are the JSON the marketer wrote (core/segments.h).
CREATE TABLE segments (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    code VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    name VARCHAR(100) NOT NULL,
    conditions TEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    changed_at DATETIME(6) NOT NULL,
    changed_by VARCHAR(200) NOT NULL,
    computed_at DATETIME(6) NULL,
    members BIGINT NULL,
    UNIQUE KEY ux_segments_code (program_id, code),
    CONSTRAINT fk_segments_program FOREIGN KEY (program_id) REFERENCES programs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A member's segments, read with the account at the till (by member_id) and by the feedback
-- report (by segment). No foreign keys, as member_scores has none: the refresh must take no lock
-- that a purchase waits for. Rows of a refresh carry its time; older rows are the memberships the
-- member no longer has, deleted when the refresh ends.
CREATE TABLE member_segments (
    member_id BIGINT UNSIGNED NOT NULL,
    segment_id BIGINT UNSIGNED NOT NULL,
    program_id BIGINT UNSIGNED NOT NULL,
    refreshed_at DATETIME(6) NOT NULL,
    PRIMARY KEY (member_id, segment_id),
    KEY ix_member_segments_segment (segment_id, member_id),
    KEY ix_member_segments_refreshed (program_id, refreshed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
