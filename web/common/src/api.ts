// Patron's public API as every web page calls it: JSON over fetch with a bearer token kept in this
// tab's sessionStorage only (gone when the tab closes or the person signs out, never in a cookie,
// never seen by another tab or person on a shared device), and refusals as ApiError carrying the
// API's problem document (docs/integration.md, "The error envelope"). A write of a route whose
// answers patrond keeps is sent with write(): it carries an Idempotency-Key of its own, and an
// answer lost on the way (the network failed) or a 503 is asked for again under that key, which
// patrond answers with the write's first answer, so a points adjustment is made once. Every other
// request goes once, with call(): sign-ins, codes, the routes that check a password, previews and
// backtests are not kept, and a second attempt at them would run them again.
// Why a field was refused, beside the API's English message: a stable reason and the bounds it
// names, for a page to say in its own language (docs/integration.md, "The error envelope").
export interface Reason {
    reason?: string;
    min?: number;
    max?: number;
}

export interface Problem extends Reason {
    code: string;
    message: string;
    field?: string|null;
    problems?: ({field: string; message: string}&Reason)[];
    retry_at?: string;  // A lock-out: when it lifts.
}

export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly problem: Problem,
    ) {
        super(problem.message);
    }
}

async function refusal(response: Response): Promise<ApiError> {
    const document = await response.json().catch(() => ({}));
    return new ApiError(response.status, document?.error ?? {code: 'UNAVAILABLE', message: response.statusText});
}

// Attempts at a write, the first included, and the longest wait between two: a write still
// running when the next attempt comes is answered 503 and waited for again.
const writeAttempts = 5;
const longestWaitMs = 5000;

// 128 random bits in hex: no other write of anyone's carries it. (crypto.randomUUID needs a
// secure context; a console on a shop's LAN may be served over plain HTTP.)
function idempotencyKey(): string {
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

// How long a 503 asks to wait (Retry-After in seconds), within bounds; a second without one.
function waitAfter(response: Response|null): number {
    const seconds = Number(response?.headers.get('Retry-After') ?? '');
    return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, longestWaitMs) : 1000;
}

export class ApiClient {
    // Told when the kept token is refused (401 naming no field): the session expired or was ended.
    onSessionEnded: (() => void)|null = null;

    // `tokenKey`: where this page keeps its token, so the portal's and the console's never meet.
    constructor(private readonly tokenKey: string) {}

    token(): string|null {
        return sessionStorage.getItem(this.tokenKey);
    }

    remember(token: string): void {
        sessionStorage.setItem(this.tokenKey, token);
    }

    forgetToken(): void {
        sessionStorage.removeItem(this.tokenKey);
    }

    // `signed`: with the token; sign-in and a feedback link's page go without. `extra`: headers
    // besides (an If-Match).
    call<T>(method: string, path: string, body?: unknown, signed = true, extra: Record<string, string> = {}):
        Promise<T> {
        return this.request<T>(method, path, body, signed, extra);
    }

    // A write patrond keeps the answer of (README, "Idempotency-Key"), signed, sent again under its
    // key until an answer comes.
    write<T>(method: 'POST'|'PUT'|'PATCH'|'DELETE', path: string, body?: unknown, extra: Record<string, string> = {}):
        Promise<T> {
        return this.request<T>(method, path, body, true, {...extra, 'Idempotency-Key': idempotencyKey()});
    }

    private async request<T>(
        method: string, path: string, body: unknown, signed: boolean, extra: Record<string, string>): Promise<T> {
        const headers: Record<string, string> = {...extra, Accept: 'application/json'};
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        const response = await this.send(
            path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)}, signed);
        if (response.status === 204) return undefined as T;
        const document = await response.json().catch(() => ({}));
        return document as T;
    }

    // A document to save as a file (an export, a CSV).
    async download(path: string): Promise<Blob> {
        return (await this.send(path, {headers: {}}, true)).blob();
    }

    private async send(path: string, init: RequestInit&{headers: Record<string, string>}, signed: boolean):
        Promise<Response> {
        const bearer = signed ? this.token() : null;
        if (bearer) init.headers.Authorization = `Bearer ${bearer}`;
        const response = await this.attempt(path, init);
        if (response.ok) return response;
        const refused = await refusal(response);
        // Only a refusal of the token still kept ends the session: a late answer to a call made
        // with an earlier one (signed out since, and someone else signed in) must not end theirs.
        // A 401 that names a field refused a password typed to confirm a change, not the token.
        if (response.status === 401 && bearer && bearer === this.token() && !refused.problem.field) {
            this.onSessionEnded?.();
        }
        throw refused;
    }

    // A write under an Idempotency-Key is sent again, under the same key, when no answer came or
    // the answer was 503 (the database away, or the first attempt still running); a request
    // without one is sent once.
    private async attempt(path: string, init: RequestInit&{headers: Record<string, string>}): Promise<Response> {
        const again = 'Idempotency-Key' in init.headers;
        for (let attempt = 1;; ++attempt) {
            let response: Response|null = null;
            try {
                response = await fetch(path, {...init, cache: 'no-store', credentials: 'omit'});
            } catch (lost) {
                if (!again || attempt === writeAttempts) throw lost;
            }
            if (response && (response.status !== 503 || !again || attempt === writeAttempts)) return response;
            await new Promise((resolve) => setTimeout(resolve, waitAfter(response)));
        }
    }
}
