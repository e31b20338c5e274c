// The members routes support staff and admins use (docs/integration.md, "The member document",
// "A member's cards", "The portal's data"), with the console's staff token. The API answers the
// profile decrypted to both roles; only an admin may erase.
import {type Balance, type Consent, type HistoryKind, type HistoryPage, historyQuery, type StaffReferralFriend, type StaffReferralPage} from '@patron/common/member_documents';

import {client} from '../api';

export type{Balance, Consent, Coupon, DrawHistoryEntry, HistoryEntry, HistoryKind, HistoryLine, HistoryPage, ReferralReward, ReferralState} from '@patron/common/member_documents';
export {historyByTime} from '@patron/common/member_documents';

export type LookUpBy = 'phone'|'email'|'card';
export type CardState = 'active'|'blocked'|'lost'|'replaced'|'closed';

export interface Card {
    number: string;
    kind: 'physical'|'virtual';
    state: CardState;
    primary: boolean;
    issued_at?: string;
    state_changed_at?: string;
    state_reason?: string|null;
}

export interface Member {
    id: number;
    status: 'active'|'erased'|'merged';
    // Absent once the record is erased or merged: its personal data is shredded.
    full_name?: string;
    phone?: string|null;
    email?: string|null;
    birth_date?: string|null;
    language?: string|null;
    gender?: string|null;
    city?: string|null;
    postal_code?: string|null;
    consents: {
        terms_version: string|null; terms_accepted_at: string | null; marketing_sms: Consent; marketing_email: Consent;
    };
    cards: Card[];
    created_at: string;
}

export interface MemberTier {
    tier: {name: string; secured_until: string | null};
    progress: {measure: string; value: number; next: {name: string; missing: number; by: string | null} | null};
    history: {from: string; to: string; reason: 'upgrade' | 'downgrade' | 'kept'; at: string}[];
}

export interface Receipt {
    store: string;
    terminal: string;
    business_day: string;
    receipt: string;
    total?: number;
}

export interface Claimed {
    points: {earned: number; available: number; pending: number};
    receipt_lines: string[];
}

export interface Merged {
    survivor: number;
    absorbed: number;
    points_moved: {available: number; pending: number};
}

const memberPath = (id: number) => `/v1/members/${id}`;

// Exact matches only (blind indexes): a list of one, or MEMBER_NOT_FOUND. Percent-encoded, not
// as a form: the API reads a "+" as the phone's own, not as a space.
export const lookUp = (by: LookUpBy, value: string) =>
    client.call<{members: Member[]}>('GET', `/v1/members?${by}=${encodeURIComponent(value.trim())}`);

export const member = (id: number) => client.call<Member>('GET', memberPath(id));
export const cards = (id: number) => client.call<{cards: Card[]}>('GET', `${memberPath(id)}/cards`);
export const balance = (id: number) => client.call<Balance>('GET', `${memberPath(id)}/balance`);
export const tier = (id: number) => client.call<MemberTier>('GET', `${memberPath(id)}/tier`);

export const history = (id: number, kind: HistoryKind|'', before: number|null) =>
    client.call<HistoryPage>('GET', `${memberPath(id)}/history?${historyQuery(kind, before)}`);

// Block ('blocked'), mark lost ('lost') or unblock ('active'), with the reason the audit keeps.
export const setCardState = (number: string, state: CardState, reason: string) =>
    client.write<Card>('POST', `/v1/cards/${encodeURIComponent(number)}/state`, {state, reason});

export const replaceCard = (number: string, reason: string) =>
    client.write<Card>('POST', `/v1/cards/${encodeURIComponent(number)}/replacement`, {reason});

export const adjustPoints = (id: number, points: number, reason: string) =>
    client.write<{transfer_id: number; balance: Balance}>(
        'POST', `${memberPath(id)}/points/adjustments`, {points, reason});

export const claim = (id: number, receipt: Receipt) =>
    client.write<Claimed>('POST', `${memberPath(id)}/claims`, receipt);

// `from` is absorbed into `id`, which keeps its own profile and tier.
export const merge = (id: number, from: number) => client.write<Merged>('POST', `${memberPath(id)}/merge`, {from});

export const exportMember = (id: number) => client.download(`${memberPath(id)}/export`);

// Once: an erasure is not asked for again (a second attempt would find nobody to erase).
export const erase = (id: number) => client.call<void>('DELETE', memberPath(id));

// Referrals (issue 24): the member's own code and the friends who enrolled with it, what inviting
// them earned her, and how she joined when a friend referred her (common/member_documents.ts).
export type MemberReferrals = StaffReferralPage;
export type InvitedFriend = StaffReferralFriend;

export const referrals = (id: number) => client.call<MemberReferrals>('GET', `${memberPath(id)}/referrals`);
