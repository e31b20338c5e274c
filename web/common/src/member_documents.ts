// The member's documents as the API answers them both to the member (/v1/me/balance,
// /v1/me/history) and to staff (/v1/members/:id/balance, /v1/members/:id/history): one shape,
// read by the portal and the console alike (docs/integration.md, "The portal's data").
export interface Scan {
    code128?: string;
    qr: string;
}

// One item of a collection's set, in the set's order: held on the card, or still missing. `owed`
// above 0: a return took the item back after the reward it completed was used, and it must be
// bought that many times before it counts again (it is not held meanwhile).
export interface CollectionItem {
    id: string;
    name: string;
    held: boolean;
    owed: number;
}

// A stamp card as the member holds it. "units" and "visit" count stamps towards `goal`; a
// "collection" counts distinct items of a set: `count` is then the items held, `goal` the items
// of the set, and `items` each of them.
export interface StampCard {
    card_id: string;
    name: string;
    basis: 'units'|'visit'|'collection';
    count: number;
    goal: number;
    items?: CollectionItem[];
    reward: {points: number|null; coupon_campaign: number | null; cashback?: number | null; label: string | null};
    valid_until: string|null;
}

export interface Coupon {
    code: string;
    campaign_id: number;
    name: string;
    state: 'assigned'|'redeemed'|'expired';
    kind: string;
    value?: number|null;
    valid_from?: string|null;
    valid_until?: string|null;
    min_basket?: number|null;
    stores?: string[]|null;
    scan: Scan;
}

export interface Balance {
    member_id: number;
    time_zone?: string;
    points: {
        available: number; pending: number;
        pending_lots?: {points: number; available_on: string}[];
        // Of the pending points, those a fraud signal holds until staff review it: they have no
        // date, and are in no lot above.
        held_for_review?: number;
        expiring?: {points: number; expires_on: string}[];
        expiring_soon?: {points: number; within_days: number};
    };
    cashback: {amount: number; currency: string; currency_exponent: number};
    tier: {
        name: string;
        secured_until?: string | null;
        measure?: 'points' | 'amount' | 'visits';
        qualifying?: number;
        next?: {name: string; threshold: number; needed: number} | null;
    };
    stamps?: StampCard[];
    coupons?: Coupon[];
    card?: {number: string; scan: Scan}|null;
}

export interface Consent {
    granted: boolean;
    at: string|null;
}

export interface HistoryPurchase {
    kind: string;
    store: string;       // Its code, as the till sends it.
    store_name: string;  // As the programme named it: what the description names.
    receipt: string;
    business_day: string;
    total: number;
    currency: string;
    currency_exponent: number;
}

export interface HistoryEntry {
    id?: number;
    at: string;
    kind: string;
    description: string;
    points?: {available: number; pending: number};
    amount?: number;
    stamps?: number;
    store?: string|null;
    store_name?: string|null;
    purchase?: HistoryPurchase|null;
}

// Entries a prize draw gave the member, for a purchase or for a packaging code she entered
// (`code` as printed, XXXX-XXXX-XXXX; null for a purchase's): `earned` given, `entries` what is
// left of them after returns. `id` (the list's own number), `store` and `store_name` in the draws list only.
export interface DrawHistoryEntry {
    id?: number;
    at: string;
    draw_id: number;
    draw_name: string;
    source: 'purchase'|'code';
    code: string|null;
    earned: number;
    entries: number;
    purchase: HistoryPurchase|null;
    store?: string|null;
    store_name?: string|null;
    description: string;
}

export const historyKinds =
    ['earned', 'spent', 'expired', 'returned', 'adjusted', 'cashback', 'stamps', 'coupons', 'draws'] as const;
export type HistoryKind = (typeof historyKinds)[number];

export interface HistoryPage {
    kind?: HistoryKind;
    // With kind "draws", prize draw entries.
    entries: (HistoryEntry|DrawHistoryEntry)[];
    next_before: number|null;
    // Without a kind, the first page's newest wallet, stamp card and coupon changes and prize
    // draw entries.
    cashback?: HistoryEntry[];
    stamps?: HistoryEntry[];
    coupons?: HistoryEntry[];
    draws?: DrawHistoryEntry[];
}

// A line of the history: a points or wallet movement, a stamp or coupon change, or a draw's entries.
export type HistoryLine = HistoryEntry|DrawHistoryEntry;

// The whole history's first page as one list, newest first: the points movements with the newest
// wallet, stamp card, coupon and draw changes among them.
export function historyByTime(page: HistoryPage): HistoryLine[] {
    return [
        ...page.entries,
        ...(page.cashback ?? []),
        ...(page.stamps ?? []),
        ...(page.coupons ?? []),
        ...(page.draws ?? []),
    ].sort((a, b) => b.at.localeCompare(a.at));
}

// The query of a history page: 20 entries, of one kind or all, older than `before` (the previous
// page's next_before) or the newest.
export function historyQuery(kind: HistoryKind|'', before: number|null): URLSearchParams {
    const query = new URLSearchParams({limit: '20'});
    if (kind) query.set('kind', kind);
    if (before !== null) query.set('before', String(before));
    return query;
}

// Referrals (GET /v1/me/referral; staff: GET /v1/members/{id}/referrals). A reward is points, or
// cashback in minor units of the document's currency.
export type ReferralReward = {points: number}|{cashback: number};
export type ReferralState = 'pending'|'rewarded'|'lapsed'|'refused';
export type ReferralReason = 'same_till'|'existing_member'|'same_member'|'returned';

// The programme's terms as the page shows them: what a friend who joins with the member's code
// gets for a first purchase of at least `min_spend` (0: any purchase) within `within_days` of
// joining, and what the member gets for each, up to `per_referrer_per_month` a month.
// same_till_minutes is given to staff only.
export interface ReferralTerms {
    friend_reward: ReferralReward;
    referrer_reward: ReferralReward;
    within_days: number;
    min_spend: number;
    per_referrer_per_month: number;
    same_till_minutes?: number;
}

// A friend who joined with the member's code, never named to her. pending: waiting for a first
// qualifying purchase by qualify_by; lapsed: qualify_by passed without one; refused: never to be
// rewarded (`reason`). referrer_outcome: rewarded (the member got `reward`), capped (her monthly
// limit was reached), none.
export interface ReferralFriend {
    id: number;
    enrolled_at: string;
    state: ReferralState;
    qualify_by: string;
    referrer_outcome: 'none'|'rewarded'|'capped';
    reward: ReferralReward|null;
    reason: ReferralReason|null;
}

// How the member joined, when with someone's code: her welcome (pending: what her terms promise;
// else what she was given).
export interface ReferredBy {
    state: ReferralState;
    qualify_by: string;
    reward: ReferralReward|null;
    min_spend: number;
    reason: ReferralReason|null;
}

// The member's code, the terms (null: none), whether friends are taken now (false: paused or
// absent), her friends by state (the newest 50 listed), what she holds of her rewards for them,
// this month's rewards against the limit (null without terms), and her own welcome.
export interface ReferralPage {
    code: string;
    shown_code: string;
    open: boolean;
    terms: ReferralTerms|null;
    currency: string;
    currency_exponent: number;
    program_name: string;
    time_zone: string;
    invited: number;
    pending: number;
    rewarded: number;
    capped: number;
    lapsed: number;
    refused: number;
    earned: {points: number; cashback: number};
    this_month: {rewarded: number; limit: number|null};
    friends: ReferralFriend[];
    referred_by: ReferredBy|null;
}

// The same page as staff read it on her member page: each friend's member id, qualifying purchase
// and how often a return took it back; who referred her, and her qualifying purchase.
export interface StaffReferralFriend extends ReferralFriend {
    friend_id: number;
    purchase_id: number|null;
    revocations: number;
}
export interface StaffReferredBy extends ReferredBy {
    referral_id: number;
    referrer_id: number;
    purchase_id: number|null;
}
export interface StaffReferralPage extends Omit<ReferralPage, 'code'|'shown_code'|'friends'|'referred_by'> {
    code: string|null;  // Null: a record erased or merged before it had one.
    shown_code: string|null;
    friends: StaffReferralFriend[];
    referred_by: StaffReferredBy|null;
}

// Prize draws (GET /v1/me/draws; docs/draws.md). The member sees the programme's published draws:
// a draw is "scheduled" before opens_at, "open" in its window, "closed" after it until it is run,
// then "drawn"; or "cancelled" (never run). Staff see drafts too (console/src/configure/api.ts).
export type DrawState = 'scheduled'|'open'|'closed'|'drawn'|'cancelled';

// A place drawn, 1-based: each prize's places in the prize list's order, then the reserves (a null
// prize). won: the prize waits to be claimed by claim_by; forfeited: claim_by passed unclaimed;
// reserve: in line, in the order drawn, for a prize left unclaimed. The reference is the entrant's,
// the one the proof names.
export type DrawPlaceState = 'won'|'claimed'|'forfeited'|'reserve';
export interface DrawPlace {
    place: number;
    prize: string|null;
    reference: string;
    state: DrawPlaceState;
    claim_by: string|null;
}

export interface DrawPrize {
    name: string;
    count: number;
}

// How a draw's entries are earned (its terms' "entries", with the per-purchase cap): per_purchase
// for each purchase whose total is at least min_spend; per_amount.entries for each whole
// per_amount.amount of the total; skus[SKU] for each whole unit of a SKU bought; per_code for each
// packaging code (0: the draw takes none). A purchase under min_spend earns nothing, and one
// purchase gives at most per_purchase_cap (null: no cap of its own). Money in minor units of the
// programme's currency, which the draws' document does not name (the balance does).
export interface DrawEarning {
    per_purchase: number;
    min_spend: number;
    per_code: number;
    per_amount?: {amount: number; entries: number};
    skus?: Record<string, number>;
    per_purchase_cap: number|null;
}

// One draw as the member reads it: her entries against her cap (per_member), how entries are
// earned, whether codes from packaging enter it, the public value it will be run with (the
// marketer's words: which one, and where it is published), the commitment (the SHA-256 of the
// secret seed, published with the draw); once drawn, her entrant reference (null when she held no
// entries) and her own places only.
export interface MemberDraw {
    id: number;
    name: string;
    description: string;
    state: DrawState;
    opens_at: string;
    closes_at: string;
    prizes: DrawPrize[];
    entries: number;
    per_member: number;
    takes_codes: boolean;
    earning: DrawEarning;
    public_value_source: string;
    commitment: string|null;
    drawn_at: string|null;
    reference: string|null;
    places: DrawPlace[];
}

// The member's language and the programme's clock come with the draws.
export interface MemberDrawsPage {
    draws: MemberDraw[];
    language: 'fa'|'en';
    time_zone: string;
}

// A packaging code entered (POST /v1/me/draw-codes): the draw the code was for (the code names it),
// the entries it gave and what she holds in that draw after it.
export interface DrawCodeEntered {
    draw_id: number;
    name: string;
    entries: number;
    held: number;
    receipt_line: string;
}

// What anyone needs to recompute a draw (GET /v1/me/draws/{id}/proof; staff: GET
// /v1/draws/{id}/proof), docs/draws.md "The draw, and how to check it": before the run only the
// commitment and what the public value will be (public_value_source); from the run on the seed,
// the public value, the entrants by reference in ascending order with their tickets, their
// digest, and each place's ticket and attempt.
export interface DrawProof {
    draw_id: number;
    name: string;
    state: DrawState;
    algorithm: string;
    commitment: string|null;
    published_at: string|null;
    closes_at: string;
    public_value_source: string;
    seed: string|null;
    public_value: string|null;
    entries_digest: string|null;
    tickets: number;
    places_drawn: number;
    entrants: {reference: string; tickets: number}[];
    places: {place: number; prize: string|null; reference: string; ticket: number; attempt: number}[];
    drawn_at: string|null;
}
