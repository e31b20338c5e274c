-- Late identification: an anonymous purchase can be claimed for a member within this window.
ALTER TABLE programs ADD COLUMN claim_window_s INT NOT NULL DEFAULT 2592000;
