// The staff side of Patron's public API with the staff bearer token (kept as every page keeps its
// token: @patron/common/api), and who signed in: their name, role and when the session ends, kept
// beside the token in this tab only.
import {ApiClient} from '@patron/common/api';

export {ApiError} from '@patron/common/api';

export const staffRoles = ['admin', 'marketer', 'support', 'analyst'] as const;
export type StaffRole = (typeof staffRoles)[number];

export interface StaffSession {
    name: string;
    role: StaffRole;
    expires_at: string;
    // As typed at sign-in, in the API's form (trimmed, lower case): the staff list tells the
    // signed-in admin's own row by it. The sign-in's answer names no user id.
    email?: string;
}

export interface ProgramSettings {
    name: string;
    currency: string;
    currency_exponent: number;
    language: 'fa'|'en';
    time_zone: string;
}

const sessionKey = 'patron.staff.session';
export const client = new ApiClient('patron.staff.token');

// Who signed in in this tab: nobody (null), someone still signed in, or a session that ended
// while the tab was closed or asleep ('ended', and then forgotten).
export function keptSession(): StaffSession|'ended'|null {
    const kept = sessionStorage.getItem(sessionKey);
    if (!kept || client.token() === null) return null;
    const session = JSON.parse(kept) as StaffSession;
    if (Date.parse(session.expires_at) > Date.now()) return session;
    forgetSession();
    return 'ended';
}

export function forgetSession(): void {
    client.forgetToken();
    sessionStorage.removeItem(sessionKey);
}

export async function signIn(email: string, password: string): Promise<StaffSession> {
    const answer = await client.call<StaffSession&{token: string}>(
        'POST', '/v1/staff/sessions', {email: email.trim(), password}, false);
    const session: StaffSession = {
        name: answer.name,
        role: answer.role,
        expires_at: answer.expires_at,
        email: email.trim().toLowerCase(),
    };
    client.remember(answer.token);
    sessionStorage.setItem(sessionKey, JSON.stringify(session));
    return session;
}

export async function signOut(): Promise<void> {
    try {
        await client.call('DELETE', '/v1/staff/sessions/current');
    } finally {
        forgetSession();
    }
}

// Every staff role may read them; the console formats amounts and dates by them.
export const settings = () => client.call<ProgramSettings>('GET', '/v1/program/settings');
