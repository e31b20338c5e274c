-- Members a trigger's "segment" action added to a segment (issue 21), each until her days there
-- run out: the segment's condition added_by_trigger holds for her while `until` is ahead. A
-- later firing of any trigger that adds her again moves `until` on, never back. The refresh reads
-- them by member with each chunk; the firing puts her into member_segments at once when she
-- meets the segment's other conditions too. Expired rows are forgotten by the housekeeping. No
-- foreign keys, as member_segments has none: the refresh takes no lock a purchase waits for.
CREATE TABLE IF NOT EXISTS segment_additions (
    member_id BIGINT UNSIGNED NOT NULL,
    segment_id BIGINT UNSIGNED NOT NULL,
    program_id BIGINT UNSIGNED NOT NULL,
    trigger_id BIGINT UNSIGNED NOT NULL,  -- The trigger that added her last.
    added_at DATETIME(6) NOT NULL,
    until DATETIME(6) NOT NULL,
    PRIMARY KEY (member_id, segment_id),
    KEY ix_segment_additions_segment (segment_id, member_id),
    KEY ix_segment_additions_until (until)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
