-- Prize draws' unclaimed prizes (issue 24): patrond looks every minute for won places whose
-- claim_by has passed, to forfeit them and pass their prizes to the reserves waiting.
ALTER TABLE draw_places ADD KEY IF NOT EXISTS ix_draw_places_claims (state, claim_by);
