-- The points each line of a purchase earned, by lot, move onto the line itself: a JSON array of
-- {"lot": lot id, "points": points} in the lots' order, NULL for a line that earned nothing (an
-- anonymous purchase's lines until a member claims it, a return's lines). A till's sale writes its
-- lines once they are rated, so the line points ride in the lines' own INSERT instead of a
-- statement of their own; a claim writes them onto the lines it credits; a return reads them with
-- JSON_TABLE.
-- The table line_points stays for an upgrade: a patrond of before this migration, still serving
-- while it runs, writes and reads it, and the new code reads its rows for a line without points of
-- its own (store::line_points_rows_sql). A later release moves what is left and drops it.
-- Each statement may run again after a failure in between.
ALTER TABLE purchase_lines ADD COLUMN IF NOT EXISTS points JSON NULL;

UPDATE purchase_lines l
    JOIN (SELECT purchase_id, line,
                 JSON_ARRAYAGG(JSON_OBJECT('lot', lot_id, 'points', points) ORDER BY lot_id) AS points
          FROM line_points GROUP BY purchase_id, line) p
      ON p.purchase_id = l.purchase_id AND p.line = l.line
    SET l.points = p.points
    WHERE l.points IS NULL;
