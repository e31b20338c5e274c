-- The program's lateness limit: a batch operation whose POS time is older than this when it
-- arrives is flagged "late" (and still applied). 30 days, as before it was a setting.
ALTER TABLE programs ADD COLUMN late_after_s INT NOT NULL DEFAULT 2592000;
