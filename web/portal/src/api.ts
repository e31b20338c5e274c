// The member's side of Patron's public API (/v1/me...), with the member's bearer token (kept as
// every page keeps its token: @patron/common/api).
import {ApiClient} from '@patron/common/api';
import {type Balance, type Consent, type DrawCodeEntered, type DrawProof, type HistoryKind, type HistoryPage, historyQuery, type MemberDrawsPage, type ReferralPage, type Scan} from '@patron/common/member_documents';

export {ApiError} from '@patron/common/api';

const client = new ApiClient('patron.member.token');
const call = client.call.bind(client);

export const token = () => client.token();
export const forgetToken = () => client.forgetToken();
// `then` is told when the club refuses the member's kept token (the session expired or was ended
// elsewhere), whichever page made the call.
export const whenSessionEnds = (then: () => void) => {
  client.onSessionEnded = then;
};

export type Contact = {
    phone: string
}|{email: string};

// "0912 000 1111" is a phone, "ali@example.com" an email.
export function contactOf(text: string): Contact {
    return text.includes('@') ? {email: text.trim()} : {phone: text.trim()};
}

interface Session {
    token: string;
}

async function remember(session: Promise<Session>): Promise<void> {
    client.remember((await session).token);
}

export function signIn(program: string, contact: Contact, password: string): Promise<void> {
    return remember(call<Session>('POST', '/v1/me/sessions', {program, ...contact, password}));
}

export function sendCode(program: string, contact: Contact): Promise<void> {
    return call('POST', '/v1/me/codes', {program, ...contact});
}

export function setPassword(program: string, contact: Contact, code: string, password: string): Promise<void> {
    return remember(call<Session>('POST', '/v1/me/password', {program, ...contact, code, password}));
}

export async function signOut(): Promise<void> {
    try {
        await call('DELETE', '/v1/me/sessions/current');
    } finally {
        forgetToken();
    }
}

// What /v1/me/... answers as the staff's /v1/members/:id/... does: one shape for both pages.
export type{Balance, CollectionItem, Consent, Coupon, DrawCodeEntered, DrawHistoryEntry, DrawPlace, DrawProof, DrawState, HistoryEntry, HistoryKind, HistoryLine, HistoryPage, HistoryPurchase, MemberDraw, ReferralFriend, ReferralReward, ReferralTerms, Scan, StampCard} from '@patron/common/member_documents';
export {historyByTime, historyKinds} from '@patron/common/member_documents';

export interface Me {
    id: number;
    full_name?: string;
    phone?: string|null;
    email?: string|null;
    birth_date?: string|null;
    city?: string|null;
    language: 'fa'|'en'|null;
    // The member's own tz database zone (Asia/Tehran) for the quiet hours of messages to them;
    // null: the programme's.
    time_zone: string|null;
    cards: {number: string; state: string; primary?: boolean; scan: Scan}[];
    consents: {marketing_sms: Consent; marketing_email: Consent};
}

export type ProfileChange = Partial<{
    full_name: string; email: string | null; birth_date: string | null; city: string | null; language: 'fa' | 'en';
    time_zone: string | null;
    consents: Partial<{marketing_sms: boolean; marketing_email: boolean}>;
    password: string;
}>;

export interface ClaimedReceipt {
    store: string;
    terminal: string;
    business_day: string;
    receipt: string;
    total: number;
}

// A rating of one visit: at least one of the three scores; the comment is the member's own words.
export interface FeedbackAnswer {
    nps: number|null;   // 0-10: how likely to recommend the store.
    csat: number|null;  // 1-5: how satisfied.
    ces: number|null;   // 1-7: how easy it was.
    comment: string|null;
}

export interface FeedbackStore {
    code: string;
    name: string;
}

export interface AwaitingPurchase {
    purchase_id: number;
    store: FeedbackStore;
    business_day: string;
    total: number;
    currency: string;
    currency_exponent: number;
    answer_until: string;
}

export interface FeedbackTopic {
    store: FeedbackStore;
    business_day: string;
    answer_until: string;
    answered: boolean;
}

export const awaitingFeedback = () => call<{purchases: AwaitingPurchase[]}>('GET', '/v1/me/feedback');
export const rateOwnPurchase = (purchase: number, answer: FeedbackAnswer) =>
    client.write<void>('POST', `/v1/me/purchases/${purchase}/feedback`, answer);
export const feedbackTopic = (link: string) =>
    call<FeedbackTopic>('GET', `/v1/feedback/${encodeURIComponent(link)}`, undefined, false);
export const rateByLink = (link: string, answer: FeedbackAnswer) =>
    call<void>('POST', `/v1/feedback/${encodeURIComponent(link)}`, answer, false);

export const balance = () => call<Balance>('GET', '/v1/me/balance');

// GET /v1/me/referral (common/member_documents.ts). The portal reads the programme's clock and
// currency from the balance, as its other views do.
export type Referral = ReferralPage;
export const referral = () => call<Referral>('GET', '/v1/me/referral');
// Prize draws (common/member_documents.ts): the programme's published draws with her entries, a
// packaging code entered (the code says which draw it is for), and a drawn draw's proof.
export type Draws = MemberDrawsPage;
export const draws = () => call<Draws>('GET', '/v1/me/draws');
export const enterDrawCode = (code: string) => client.write<DrawCodeEntered>('POST', '/v1/me/draw-codes', {code});
export const drawProof = (id: number) => call<DrawProof>('GET', `/v1/me/draws/${id}/proof`);
export const me = () => call<Me>('GET', '/v1/me');
export const updateMe = (change: ProfileChange) => call<Me>('PATCH', '/v1/me', change);
export const changePassword = (current_password: string, new_password: string) =>
    call<void>('PUT', '/v1/me/password', {current_password, new_password});
export const claim = (receipt: ClaimedReceipt) =>
    client.write<{points: {earned: number}}>('POST', '/v1/me/claims', receipt);

export const history = (kind: HistoryKind|'', before: number|null) =>
    call<HistoryPage>('GET', `/v1/me/history?${historyQuery(kind, before)}`);

// The member's export as a file to save.
export const exportData = () => client.download('/v1/me/export');

export async function deleteAccount(password: string): Promise<void> {
    await call<void>('DELETE', '/v1/me', {password});
    forgetToken();
}
