-- A programme's settings (points policy, profile, tier policy) carry a version that every change
-- of a programs row raises, so that a server may keep the settings in memory and still use a
-- change at once: a till's operation reads the version with its member's account, in the
-- statement it makes anyway, and reads the settings again only when the version moved. Every
-- UPDATE of programs sets settings_version = settings_version + 1.
ALTER TABLE programs
    ADD COLUMN settings_version BIGINT UNSIGNED NOT NULL DEFAULT 0;
