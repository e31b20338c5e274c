-- Campaign effectiveness against a hold-out (issue 17). A rule of the rules document or a coupon
-- campaign may hold a share of its eligible members out; each member it finds eligible is
-- recorded once, targeted or held out, by the purchase (or the coupon assignment) that first
-- found them so, in that operation's own transaction. INSERT IGNORE on the primary key: a row per
-- member, so no purchase waits on another member's. held_out is decided by a hash of the campaign
-- and the member id and never changes; the report compares the two groups' purchases after
-- first_at. No foreign key to members: an erased member's row stays, pseudonymous like the ledger.
CREATE TABLE campaign_exposures (
    program_id BIGINT UNSIGNED NOT NULL,
    campaign_kind ENUM('rule', 'coupon') NOT NULL,
    campaign_key VARCHAR(64) NOT NULL,  -- The rule's id, or the coupon campaign's number.
    member_id BIGINT UNSIGNED NOT NULL,
    held_out BOOLEAN NOT NULL,
    first_at DATETIME(6) NOT NULL,
    purchase_id BIGINT UNSIGNED NULL,  -- The purchase that recorded it; none for a coupon assignment.
    PRIMARY KEY (program_id, campaign_kind, campaign_key, member_id),
    KEY ix_campaign_exposures_member (member_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
