-- Member scores for insight (RFM, churn risk, customer value), materialised per member by the
-- refresh (patrond's scheduled job, patronctl insight refresh) and read with the member's account
-- by segment scopes at the till: keyed by member_id, segment and band as short codes.
-- No foreign key to members on purpose: its check would take a shared lock on the member's row
-- with every refresh chunk, and the refresh must hold no lock a purchase or profile change waits for.
CREATE TABLE member_scores (
    member_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    program_id BIGINT UNSIGNED NOT NULL,
    refreshed_at DATETIME(6) NOT NULL,
    window_days SMALLINT NOT NULL,
    recency_days INT NULL,
    frequency BIGINT NOT NULL,
    monetary_minor BIGINT NOT NULL,
    r_score TINYINT NULL,
    f_score TINYINT NULL,
    m_score TINYINT NULL,
    rfm_segment VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    churn_permille SMALLINT NULL,
    churn_band VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    spend_minor BIGINT NOT NULL,
    points_earned BIGINT NOT NULL,
    points_cost_minor BIGINT NOT NULL,
    cashback_minor BIGINT NOT NULL,
    coupon_discount_minor BIGINT NOT NULL,
    reward_cost_minor BIGINT NOT NULL,
    net_value_minor BIGINT NOT NULL,
    cost_minor BIGINT NULL,
    margin_minor BIGINT NULL,
    net_margin_minor BIGINT NULL,
    KEY ix_member_scores_segment (program_id, rfm_segment, churn_band),
    KEY ix_member_scores_net_value (program_id, net_value_minor),
    KEY ix_member_scores_spend (program_id, spend_minor),
    KEY ix_member_scores_refreshed (program_id, refreshed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The last finished refresh per programme: when, over which window, how many members, how long.
CREATE TABLE insight_refreshes (
    program_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
    refreshed_at DATETIME(6) NOT NULL,
    window_days SMALLINT NOT NULL,
    today DATE NOT NULL,
    members BIGINT NOT NULL,
    took_ms BIGINT NOT NULL,
    CONSTRAINT fk_insight_refreshes_program FOREIGN KEY (program_id) REFERENCES programs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
