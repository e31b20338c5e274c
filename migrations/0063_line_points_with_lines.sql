-- The points each line of a purchase earned, by lot, move onto the line itself: a JSON array of
-- {"lot": lot id, "points": points} in the lot's order, NULL for a line that earned nothing (an
-- anonymous purchase's lines until a member claims it, a return's lines). A till's sale writes its
-- lines once they are rated, so the line points ride in the lines' own INSERT instead of a
-- statement of their own; a claim writes them onto the lines it credits. A return reads them back
-- with JSON_TABLE. The lots they name are never deleted, so the foreign key the old table had is
-- not missed.
ALTER TABLE purchase_lines ADD COLUMN points JSON NULL;

UPDATE purchase_lines l
    JOIN (SELECT purchase_id, line,
                 JSON_ARRAYAGG(JSON_OBJECT('lot', lot_id, 'points', points) ORDER BY lot_id) AS points
          FROM line_points GROUP BY purchase_id, line) p
      ON p.purchase_id = l.purchase_id AND p.line = l.line
    SET l.points = p.points;

DROP TABLE line_points;
