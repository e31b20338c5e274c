// The reports the dashboard draws (GET /v1/reports/..., README "Reports"): every figure on the
// dashboard is one of theirs, as the API answers it, and each chart's CSV is its report's own.
//   members: total, active in 30 and 90 days, tiers   -> members, snapshot
//   new members                                        -> members, periods[].enrolled
//   points issued, redeemed, expired; outstanding;
//   liability in money; cashback paid                  -> points, periods[] and total
//   coupon redemption rates, stamp cards completed,
//   rewards by cost                                    -> rewards, rows
//   NPS and CSAT                                       -> feedback, rows
import {client} from '../api';

export type Report = 'points'|'members'|'rewards'|'feedback';
export type Periods = 'day'|'week'|'month'|'jalali_month';

// What every report is asked: local days of the programme's time zone, inclusive.
export interface ReportQuery {
    from: string;
    to: string;
    by: Periods;
}

interface Period {
    period: string;
    from: string;
    to: string;
}

export interface PointsPeriod extends Period {
    points: {issued: number; redeemed: number; expired: number; outstanding: number};
    cashback: {issued: number; outstanding: number};
    liability: {points_value: number; cashback: number; total: number; net: number};
}

export interface PointsReport {
    currency: string;
    point_value_minor: number;
    periods: PointsPeriod[];
    total: PointsPeriod;
}

export interface MembersReport {
    currency: string;
    periods: (Period&{enrolled: number})[];
    total: {enrolled: number};
    snapshot: {
        at: string; members: number; active: {days_30: number; days_90: number};
        by_tier: {tier: string; members: number}[];
    };
}

export type RewardKind = 'earn_rule'|'coupon_campaign'|'stamp_card'|'cashback_rule'|'blind_return';

export interface RewardRow {
    kind: RewardKind;
    id: string;
    name: string;
    store: string|null;
    reward_value_minor: number;
    coupons?: {single_use_issued: number; single_use_redeemed: number; redemption_rate_x10: number | null};
    stamps?: {cards_completed: number};
}

export interface RewardsReport {
    currency: string;
    rows: RewardRow[];
}

export interface FeedbackRow extends Period {
    store: string|null;
    segment?: string|null;
    nps: {answers: number; score_x10: number | null};
    csat: {answers: number; satisfied_share_x10: number | null};
}

export interface FeedbackReport {
    rows: FeedbackRow[];
}

function address(report: Report, query: ReportQuery, format?: 'csv'): string {
    const parameters = new URLSearchParams({from: query.from, to: query.to, by: query.by});
    if (format) parameters.set('format', format);
    return `/v1/reports/${report}?${parameters}`;
}

export const pointsReport = (query: ReportQuery) => client.call<PointsReport>('GET', address('points', query));
export const membersReport = (query: ReportQuery) => client.call<MembersReport>('GET', address('members', query));
// The rewards report sums the whole range whatever `by` says.
export const rewardsReport = (query: ReportQuery) => client.call<RewardsReport>('GET', address('rewards', query));
export const feedbackReport = (query: ReportQuery) => client.call<FeedbackReport>('GET', address('feedback', query));

// A report's CSV for the same query, as the API writes it.
export const reportCsv = (report: Report, query: ReportQuery) => client.download(address(report, query, 'csv'));
