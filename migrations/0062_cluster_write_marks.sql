-- Galera (docs/cluster.md, "Row locks"): SELECT ... FOR UPDATE locks a row on its own node only, so
-- a decision made under such a lock that then writes other rows is certified against another
-- node's only when it also writes the locked row. These counters are that write where nothing
-- else of the row changes: a member's account (holds for quotes, draw codes, erasure, merges,
-- cards issued, every unit that locks it), a purchase (its returns and its claim), a draw (entries
-- near and after its close, and merges, against its run), a programme (its caps on triggers and
-- webhooks, its rule drafts), a segment (whatever names it, against its removal), a coupon
-- campaign (codes added, issuances to a segment) and the registry of pre-printed card ranges. An
-- UPDATE that changes no value is not certified, so each is a counter every such write moves on.
ALTER TABLE member_accounts ADD COLUMN write_mark BIGINT UNSIGNED NOT NULL DEFAULT 0;
ALTER TABLE purchases ADD COLUMN write_mark INT UNSIGNED NOT NULL DEFAULT 0;
ALTER TABLE draws ADD COLUMN write_mark BIGINT UNSIGNED NOT NULL DEFAULT 0;
ALTER TABLE programs ADD COLUMN write_mark BIGINT UNSIGNED NOT NULL DEFAULT 0;
ALTER TABLE segments ADD COLUMN write_mark BIGINT UNSIGNED NOT NULL DEFAULT 0;
ALTER TABLE coupon_campaigns ADD COLUMN write_mark BIGINT UNSIGNED NOT NULL DEFAULT 0;
ALTER TABLE card_range_registry ADD COLUMN write_mark BIGINT UNSIGNED NOT NULL DEFAULT 0;
