// The routes the Fraud section is built on (docs/fraud.md): the review queue a page at a time,
// one signal with the points it holds and the cards it blocked, its review (admin and support),
// and the programme's policy, read by every role of the section and set by admins alone.
import {client} from '../api';
import type {JsonObject} from '../configure/doc';

// The patterns this page describes in words. The API watches more as it grows (docs/fraud.md):
// a signal or a policy's pattern of another kind is shown as the API names it, never dropped.
export const signalKinds = [
    'card_velocity', 'redemption_after_enrolment', 'return_cycling', 'spent_points_returned', 'staff_adjustment',
    'claim_harvesting', 'terminal_outlier', 'trigger'
] as const;
export type SignalKind = (typeof signalKinds)[number];
// Those the policy sets. A trigger's signal is set on the trigger (its action), not here.
export const policyPatterns = [
    'card_velocity', 'redemption_after_enrolment', 'return_cycling', 'spent_points_returned', 'staff_adjustment',
    'claim_harvesting', 'terminal_outlier'
] as const;
export type PolicyPattern = (typeof policyPatterns)[number];
export const signalStates = ['open', 'released', 'confirmed', 'dismissed'] as const;
export type SignalState = (typeof signalStates)[number];
export const fraudActions = ['flag', 'hold', 'block'] as const;
export type FraudAction = (typeof fraudActions)[number];
// The actions a pattern of the policy may take. A till's signal is about no member, whose points it
// could hold or cards it could block: it is only flagged.
export const actionsOf = (kind: PolicyPattern): readonly FraudAction[] =>
    kind === 'terminal_outlier' ? ['flag'] : fraudActions;
// The harmless decisions first; confirming forfeits what the signal holds.
export const decisions = ['release', 'dismiss', 'confirm'] as const;
export type Decision = (typeof decisions)[number];

// Whether `name` is one of the API's names in `known` (a filter in the page's address, a policy's
// action).
export function isOneOf<T extends string>(known: readonly T[], name: unknown): name is T {
    return known.includes(name as T);
}

// What a signal was raised on: ids, counts, amounts, times, store codes, staff names and a network
// address's digest, never a member's personal data. The times are the tills' own (pos_time), the
// member's enrolment, an adjustment's or the hour a scan read, in UTC.
// The card's previous purchase, at another store.
export interface OtherStore {
    purchase_id: number;
    store: string;
    pos_time: string;
    minutes_apart: number;  // By the tills' clocks, either way.
    other_store_minutes: number;
}

export interface VelocityEvidence {
    card_last4: string;
    purchase_id: number;
    store: string;
    pos_time: string;
    // When the card's purchases within the hour reached the policy's number.
    purchases_last_hour?: number;
    purchases_per_hour?: number;
    // When the card's previous purchase was at another store too close in time.
    other_store?: OtherStore;
}

export interface EnrolmentEvidence {
    purchase_id: number;
    enrolled_at: string;
    minutes_after_enrolment: number;
    within_hours: number;
    points_redeemed: number;
    cashback_spent: number;  // Minor units of the programme's currency.
}

// A return or void that took points back from the purchase it returned (purchase_id).
interface ReturnTaken {
    return_id: number;
    purchase_id: number;
    void: boolean;
    points_taken_back: number;
}

export interface CyclingEvidence extends ReturnTaken {
    returns_in_window: number;  // The member's such returns and voids within the days, up to `returns`.
    returns: number;
    days: number;
}

export interface SpentReturnEvidence extends ReturnTaken {
    points_already_spent: number;  // Of those taken back.
    points_min: number;
}

// A staff adjustment of the member's points (signed), by whom (their name as the audit log has it;
// a token patronctl issued has no user), and either the grant's limit it went over or the
// adjustments of its UTC day by the same staff, counted up to the policy's number.
export interface AdjustmentEvidence {
    at: string;
    points: number;
    staff: string;
    staff_user_id: number|null;
    points_over?: number;
    adjustments_today?: number;
    per_user_per_day?: number;
}

// Claims of anonymous receipts counted within this many hours, up to the claim that raised it.
export const claimHours = 24;

// What the claims were counted on: the receipts claimed for the member (in the portal or by
// staff), her failed portal claims, the portal claims from one network address (credited or
// failed), or the claimed receipts of one till.
export type ClaimSubject = 'member'|'failed'|'address'|'terminal';

// A claim of an anonymous receipt counted with the others of its subject within the hours, up to
// the policy's number. The claimed purchase and its till are named unless that claim failed; an
// address by the first 8 hex digits of its keyed digest (the same for every signal of that
// address), never the address itself.
export interface ClaimEvidence {
    subject: ClaimSubject;
    claims: number;  // For "failed", the failed claims.
    threshold: number;
    purchase_id?: number;
    store?: string;
    terminal?: string;
    address_digest?: string;  // For "address" only.
}

// What a till gives that its usual hour is measured on: points earned and cashback credited by its
// purchases.
export const outlierMeasures = ['points', 'cashback'] as const;
export type OutlierMeasure = (typeof outlierMeasures)[number];
// The days of a till's history its usual hour is measured over when the policy names none, and the
// most cashback the policy may ask for within an hour (minor units).
export const outlierHistoryDays = 28;
export const outlierCashbackMax = 1_000_000_000_000;

// A till (store and terminal) that gave, within the hour read (the 60 minutes up to the scan that
// raised it, in UTC), more than `times_usual` times its usual hour and at least the policy's least
// amount, in points or cashback (minor units of the programme's currency), as its purchases were
// received. Its usual hour is what it gave per hour in which it sold anything over the last
// `history_days` days (0 without such history: the least amount alone decides). A minimum is given
// only for a measure the policy watches; `over` names those that raised it.
export interface OutlierEvidence {
    store: string;
    terminal: string;
    from: string;
    until: string;
    purchases: number;
    points: number;
    cashback: number;
    usual_points_per_hour: number;
    usual_cashback_per_hour: number;
    history_hours: number;
    history_days: number;
    times_usual: number;
    points_min?: number;
    cashback_min?: number;
    over: string[];
}

// A marketer's trigger that raised it, by its id and its name then, and the window it fired for
// (as its firings keep it: a period's or a day's date, or "after" a lapse's last purchase).
export interface TriggerEvidence {
    trigger_id: number;
    trigger: string;
    window: string;
}

interface SignalFields {
    id: number;
    state: SignalState;
    action: FraudAction;  // What the policy did when it was raised.
    member_id: number|null;
    // The purchase, return or void that raised it; none for an adjustment, a till or a trigger.
    purchase_id: number|null;
    raised_at: string;
    reviewed_at: string|null;
    reviewed_by: string|null;
    review_note: string|null;
    points_forfeited: number;
}

interface VelocitySignal extends SignalFields {
    kind: 'card_velocity';
    evidence: VelocityEvidence;
}

interface EnrolmentSignal extends SignalFields {
    kind: 'redemption_after_enrolment';
    evidence: EnrolmentEvidence;
}

interface CyclingSignal extends SignalFields {
    kind: 'return_cycling';
    evidence: CyclingEvidence;
}

interface SpentReturnSignal extends SignalFields {
    kind: 'spent_points_returned';
    evidence: SpentReturnEvidence;
}

interface AdjustmentSignal extends SignalFields {
    kind: 'staff_adjustment';
    evidence: AdjustmentEvidence;
}

interface ClaimSignal extends SignalFields {
    kind: 'claim_harvesting';
    evidence: ClaimEvidence;
}

interface OutlierSignal extends SignalFields {
    kind: 'terminal_outlier';
    evidence: OutlierEvidence;  // On no member (member_id null) nor purchase: it only flags.
}

interface TriggerSignal extends SignalFields {
    kind: 'trigger';
    evidence: TriggerEvidence;
}

export type Signal = VelocitySignal|EnrolmentSignal|CyclingSignal|SpentReturnSignal|AdjustmentSignal|ClaimSignal|
    OutlierSignal|TriggerSignal;

// What one signal's own route and its review add: the points its lots hold now, and the card
// numbers it blocked.
interface Effects {
    points_held: number;
    blocked_cards_last4: string[];  // The cards it blocked, by their last four digits.
}

export type SignalWithEffects = Signal&Effects;

export interface SignalFilters {
    state: SignalState|null;  // null: in any state.
    kind: SignalKind|null;
}

function signalsQuery(filters: SignalFilters, before: number|null): string {
    const query = new URLSearchParams();
    if (filters.state) query.set('state', filters.state);
    if (filters.kind) query.set('kind', filters.kind);
    if (before !== null) query.set('before', String(before));
    return query.toString();
}

export const signals = (filters: SignalFilters, before: number|null) => {
    const query = signalsQuery(filters, before);
    return client.call<{signals: Signal[]; next_before: number | null}>(
        'GET', `/v1/fraud/signals${query ? `?${query}` : ''}`);
};
// `id` as the page's address has it.
export const signal = (id: string) => client.call<SignalWithEffects>('GET', `/v1/fraud/signals/${id}`);
// A blank note is no note.
export const review = (id: number, decision: Decision, note: string) => client.write<SignalWithEffects>(
    'POST', `/v1/fraud/signals/${id}/review`, {decision, note: note.trim() || undefined});

// The policy as its form edits it: each pattern present is watched ({} watches nothing).
export interface PolicyAnswer {
    version: number;  // 0: never set.
    policy: JsonObject;
}

export const policy = () => client.call<PolicyAnswer>('GET', '/v1/fraud/policy');
export const setPolicy = (document: JsonObject) => client.write<PolicyAnswer>('PUT', '/v1/fraud/policy', document);
