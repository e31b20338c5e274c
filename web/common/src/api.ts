// Patron's public API as every web page calls it: JSON over fetch with a bearer token kept in this
// tab's sessionStorage only (gone when the tab closes or the person signs out, never in a cookie,
// never seen by another tab or person on a shared device), and refusals as ApiError carrying the
// API's problem document (docs/integration.md, "The error envelope").
export interface Problem {
    code: string;
    message: string;
    field?: string|null;
    problems?: {field: string; message: string}[];
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
    async call<T>(method: string, path: string, body?: unknown, signed = true, extra: Record<string, string> = {}):
        Promise<T> {
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
        const response = await fetch(path, {...init, cache: 'no-store', credentials: 'omit'});
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
}
