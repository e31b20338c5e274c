// The member's side of Patron's public API (/v1/me...), with the member's bearer token. The
// token lives in this tab's sessionStorage only: gone when the tab closes or the member signs
// out, never in a cookie, never seen by another tab or person on a shared phone.
const tokenKey = 'patron.member.token';

export interface Problem {
    code: string;
    message: string;
    field?: string;
    problems?: {field: string; message: string}[];
}

export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly problem: Problem,
    ) {
        super(problem.message);
    }
}

export function token(): string|null {
    return sessionStorage.getItem(tokenKey);
}

export function forgetToken(): void {
    sessionStorage.removeItem(tokenKey);
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {Accept: 'application/json'};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const bearer = token();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    const response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
    });
    if (response.status === 204) return undefined as T;
    const document = await response.json().catch(() => ({}));
    if (!response.ok) {
        const problem: Problem = document?.error ?? {code: 'UNAVAILABLE', message: response.statusText};
        throw new ApiError(response.status, problem);
    }
    return document as T;
}

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
    sessionStorage.setItem(tokenKey, (await session).token);
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

export interface Balance {
    member_id: number;
    points: {available: number; pending: number};
    cashback: {amount: number; currency: string};
    tier: {name: string};
}

export interface Me {
    id: number;
    full_name?: string;
    language: 'fa'|'en'|null;
    cards: {number: string; state: string; primary?: boolean}[];
}

export const balance = () => call<Balance>('GET', '/v1/me/balance');
export const me = () => call<Me>('GET', '/v1/me');
