// The routes the Configure section is built on (docs/integration.md: the rules' draft, preview,
// publishing, versions and rollback; tiers and segments for the rule form's choices; coupon
// campaigns, triggers (and the segments their action may add members to), stores and terminals,
// the referral terms, and prize draws).
import type {DrawPlace, DrawProof} from '@patron/common/member_documents';

import {client} from '../api';

import type {Json, JsonObject} from './doc';

export interface Draft {
    document: JsonObject;
    based_on_version: number|null;
    updated_by: string|null;
    updated_at: string|null;
}

export interface VersionSummary {
    version: number;
    effective_from: string;
    published_at: string;
    published_by: string;
    note: string;
}

export interface Version extends VersionSummary {
    document: JsonObject;
}

export interface Effect {
    kind: string;
    rule_id: string;
    rule_version: number;
    amount: number;
    receipt_line: string;
    raw_milli?: number;
    capped?: boolean;
}

export interface Preview {
    member: {id: number; tier: string; points_available: number}|null;
    points: {earned: number; redeemed: number};
    cashback: {earned: number};
    effects: Effect[];
    receipt_lines: string[];
}

export const draft = () => client.call<Draft>('GET', '/v1/program/rules/draft');
// The draft as it was read, for If-Match: the API replaces or publishes only that draft, else
// DRAFT_CHANGED.
const asRead = (read: Draft) => ({'If-Match': `"${read.updated_at ?? 'none'}"`});
export const saveDraft = (document: JsonObject, read: Draft) =>
    client.write<Draft>('PUT', '/v1/program/rules/draft', document, asRead(read));
const listPaths = {rules: 'rules', cashback: 'cashback', stamp_cards: 'stamp-cards'} as const;
// One entry taken out of the draft by the API itself, whatever else the draft holds by then.
export const removeDraftEntry = (list: keyof typeof listPaths, id: string) =>
    client.write<Draft>('DELETE', `/v1/program/rules/draft/${listPaths[list]}/${encodeURIComponent(id)}`);
export const discardDraft = () => client.write<void>('DELETE', '/v1/program/rules/draft');
export const preview = (purchase: JsonObject, memberId: number|string|null) =>
    client.call<Preview>('POST', '/v1/program/rules/draft/preview', {purchase, member_id: memberId});
export const publish = (effectiveFrom: string|null, note: string, read: Draft) =>
    client.write<Version>('POST', '/v1/program/rules/publish', {effective_from: effectiveFrom, note}, asRead(read));
export const versions = () => client.call<{versions: VersionSummary[]}>('GET', '/v1/program/rules/versions');
export const version = (number: number) => client.call<Version>('GET', `/v1/program/rules/versions/${number}`);
export const rollback = (number: number, note: string) =>
    client.write<Version>('POST', `/v1/program/rules/versions/${number}/rollback`, {note});
export const tiers = () => client.call<{tiers?: {name: string}[]}>('GET', '/v1/program/tiers');

export interface Campaign {
    id: number;
    name: string;
    status: 'draft'|'published'|'ended';
    version: number;
    redemptions: number;
    budget_used: number;
    campaign: JsonObject;
    codes?: number;
}

export const campaigns = () => client.call<{campaigns: Campaign[]}>('GET', '/v1/coupon-campaigns');
export const campaign = (id: number) => client.call<Campaign>('GET', `/v1/coupon-campaigns/${id}`);
export const createCampaign = (document: JsonObject) =>
    client.write<Campaign>('POST', '/v1/coupon-campaigns', document);
export const replaceCampaign = (id: number, document: JsonObject) =>
    client.write<Campaign>('PUT', `/v1/coupon-campaigns/${id}`, document);
export const publishCampaign = (id: number) => client.write<Campaign>('POST', `/v1/coupon-campaigns/${id}/publish`);
export const endCampaign = (id: number) => client.write<Campaign>('POST', `/v1/coupon-campaigns/${id}/end`);
export const addCodes = (id: number, request: JsonObject) =>
    client.write<{added: number}>('POST', `/v1/coupon-campaigns/${id}/codes`, request);
export const codesCsv = (id: number) => client.download(`/v1/coupon-campaigns/${id}/codes`);
export const assignCode = (code: string, memberId: number) =>
    client.write<unknown>('POST', `/v1/coupon-codes/${encodeURIComponent(code)}/assignment`, {member_id: memberId});

// Triggers (docs/triggers.md): a condition over a member's recent activity and the action taken
// by itself, at most once per member per window; the list with how often each fired, one with its
// 20 latest firings; made and changed whole, paused, resumed and ended by their state.
export type TriggerState = 'active'|'paused'|'ended';
// awarded_held: the bonus waits with the member's other new points an open fraud signal holds;
// raised_before: the fraud signal of the firing's window was raised already; added_unmet: added to
// the segment, but in it only from the refresh that finds she meets its other conditions too.
export type FiringOutcome = 'queued'|'issued'|'held_out'|'campaign_over'|'awarded'|'awarded_held'|'raised'|
    'raised_before'|'added'|'added_unmet'|'segment_gone';

export interface Firing {
    member_id: number;
    window:
        string;  // The period's first day, the day of a rolling window's firing, or "after" a lapse's last purchase.
    version: number;
    outcome: FiringOutcome;
    at: string;
}

export interface Trigger {
    id: number;
    name: string;
    state: TriggerState;
    condition: JsonObject;
    action: JsonObject;
    version: number;
    created_at: string;
    changed_at: string;
    changed_by: string;
    firings: {total: number; last_30_days: number; last_at: string | null; recent?: Firing[]};
}

export const triggers = () => client.call<{triggers: Trigger[]}>('GET', '/v1/triggers');
export const trigger = (id: number) => client.call<Trigger>('GET', `/v1/triggers/${id}`);
export const createTrigger = (document: JsonObject) => client.write<Trigger>('POST', '/v1/triggers', document);
export const replaceTrigger = (id: number, document: JsonObject) =>
    client.write<Trigger>('PUT', `/v1/triggers/${id}`, document);
export const setTriggerState = (id: number, state: TriggerState) =>
    client.write<Trigger>('PATCH', `/v1/triggers/${id}`, {state});

// The programme's segments (README, Segments): a trigger's segment action adds members to one
// whose conditions have "added_by_trigger": true, named by its code.
export interface Segment {
    code: string;
    name: string;
    conditions: JsonObject;
}

export const segments = () => client.call<{segments: Segment[]}>('GET', '/v1/segments');

export const tierPolicy = () => client.call<JsonObject>('GET', '/v1/program/tiers');
export const setTierPolicy = (document: JsonObject) => client.write<JsonObject>('PUT', '/v1/program/tiers', document);
export const programSettings = () => client.call<JsonObject>('GET', '/v1/program/settings');
export const changeSettings = (change: JsonObject) => client.write<JsonObject>('PATCH', '/v1/program/settings', change);

export interface Store {
    code: string;
    name: string;
    currency: string;
    time_zone: string;
}

export interface TerminalKey {
    key_id: string;
    state: 'active'|'expiring'|'expired'|'revoked';
    created_at: string;
    expires_at: string|null;
    revoked_at: string|null;
}

export interface Terminal {
    store: string;
    code: string;
    keys: TerminalKey[];
}

// A key's secret: in this answer only, never again.
export interface IssuedKey {
    store: string;
    terminal: string;
    key_id: string;
    secret: string;
}

const storePath = (store: string) => `/v1/stores/${encodeURIComponent(store)}`;
export const stores = () => client.call<{stores: Store[]}>('GET', '/v1/stores');
export const createStore = (document: JsonObject) => client.write<Store>('POST', '/v1/stores', document);
export const terminals = (store: string) =>
    client.call<{terminals: Terminal[]}>('GET', `${storePath(store)}/terminals`);
export const createTerminal = (store: string, code: string) =>
    client.write<IssuedKey>('POST', `${storePath(store)}/terminals`, {code});
export const rotateKey = (store: string, terminal: string, graceSeconds: number) => client.write<IssuedKey>(
    'POST', `${storePath(store)}/terminals/${encodeURIComponent(terminal)}/keys`, {grace_s: graceSeconds});
export const revokeKey = (keyId: string) =>
    client.write<void>('DELETE', `/v1/terminal-keys/${encodeURIComponent(keyId)}`);

export interface RewardFigures {
    points: number;
    points_value: number;
    cashback: number;
    stamps: number;
    stamp_rewards: number;
    purchases: number;
    members: number;
}

export interface Comparison {
    draft: RewardFigures;
    published: RewardFigures;
    difference: RewardFigures;
}

export interface BacktestJob {
    id: string;
    state: 'running'|'done'|'cancelled'|'failed';
    progress: {rated: number; total: number};
    error?: {code: string; message: string; field: string|null};
    result?: {
        window: {from: string; to: string; time_zone: string};
        currency: string;
        purchases: {in_window: number; rated: number; skipped: {anonymous: number; voided: number}; returned: number};
        totals: Comparison;
        coupons: {redemptions: number; discount: number; bonus_points: number};
        rules: (Comparison&{id: string; kind: 'points'|'cashback'|'stamp_card'; name: string|null; in_draft: boolean})[];
    };
}

export const startBacktest = (from: string, to: string) =>
    client.call<BacktestJob>('POST', '/v1/program/rules/draft/backtest', {from: from || null, to: to || null});
export const backtest = (id: string) =>
    client.call<BacktestJob>('GET', `/v1/program/rules/draft/backtests/${encodeURIComponent(id)}`);
export const cancelBacktest = (id: string) =>
    client.call<BacktestJob>('DELETE', `/v1/program/rules/draft/backtests/${encodeURIComponent(id)}`);

// Referrals (issue 24): the programme's terms, a versioned document read by every staff role and
// set whole by admins and marketers; version 0 and no terms when none were ever set. A referral
// keeps the terms it was made under.
export interface ReferralTermsAnswer {
    version: number;
    terms: JsonObject|null;
}

export const referralTerms = () => client.call<ReferralTermsAnswer>('GET', '/v1/program/referrals');
export const setReferralTerms = (document: JsonObject) =>
    client.write<ReferralTermsAnswer>('PUT', '/v1/program/referrals', document);

// Prize draws (docs/draws.md): read by every staff role, made, changed (a draft only), published,
// cancelled, given packaging codes and run by admins and marketers; a prize handed over recorded
// by admins, marketers and support. `terms` is the document the
// form edits and the API takes whole (POST /v1/draws, PUT /v1/draws/{id}): name, description,
// prizes, opens_at, closes_at, eligibility, entries, caps, reserves, claim_days, public_value.
// Staff see drafts, which members never do, and each place's member.
export type DrawState = 'draft'|'scheduled'|'open'|'closed'|'drawn'|'cancelled';

export interface StaffDrawPlace extends DrawPlace {
    member_id: number;
    claimed_at: string|null;
}

export interface Draw {
    id: number;
    state: DrawState;
    terms: JsonObject;
    commitment: string|null;  // From publishing on: the SHA-256 of the secret seed.
    published_at: string|null;
    drawn_at: string|null;
    public_value: string|null;  // The public value it was run with.
    entries_digest: string|null;
    codes: {made: number; used: number};
    entrants: number;
    entries: number;
    places: StaffDrawPlace[];
    created_at: string|null;
    updated_at: string|null;
}

// A batch of packaging codes made; `export` is the path of its CSV.
export interface DrawCodesMade {
    draw_id: number;
    batch: number;
    made: number;
    export: string;
}

export type {DrawProof};

const drawPath = (id: number) => `/v1/draws/${id}`;
export const draws = () => client.call<{draws: Draw[]}>('GET', '/v1/draws');
export const draw = (id: number) => client.call<Draw>('GET', drawPath(id));
export const createDraw = (terms: JsonObject) => client.write<Draw>('POST', '/v1/draws', terms);
export const replaceDraw = (id: number, terms: JsonObject) => client.write<Draw>('PUT', drawPath(id), terms);
export const publishDraw = (id: number) => client.write<Draw>('POST', `${drawPath(id)}/publish`);
export const cancelDraw = (id: number) => client.write<Draw>('POST', `${drawPath(id)}/cancel`);
// `count` as typed, a number or not: the API says at the field what a count may be (1 to 100,000).
export const makeDrawCodes = (id: number, count: Json) =>
    client.write<DrawCodesMade>('POST', `${drawPath(id)}/codes`, {count});
// A CSV of codes: a batch's by the path its answer gives (`export`), or every code of the draw's.
export const drawCodesCsv = (path: string) => client.download(path);
export const allDrawCodes = (id: number) => `${drawPath(id)}/codes`;
export const runDraw = (id: number, publicValue: string) =>
    client.write<Draw>('POST', `${drawPath(id)}/run`, {public_value: publicValue});
export const drawProof = (id: number) => client.call<DrawProof>('GET', `${drawPath(id)}/proof`);
// A won place's prize handed over to its winner (`place` 1-based, as the draw lists its places):
// the draw with the place claimed.
export const claimDrawPlace = (id: number, place: number) =>
    client.write<Draw>('POST', `${drawPath(id)}/places/${place}/claim`);
