// What an API refusal means to a person, in their language: one sentence for the form, chosen by
// the refusal's stable code (the API's own message is English, whatever the page's language), and
// the problems of a refused document by the JSON path of the field each is about, to show beside it.
import {ApiError} from './api';
import {formatList, formatTime, type Language, type SharedWordKey, sharedWord} from './i18n';

// The page names the wrong sign-in in its own words ("phone, email or password" for members).
export type ProblemWordKey = SharedWordKey|'wrongDetails';

// What the page calls its fields, by the JSON path the API names them with ("email" -> "Email"):
// a refused document lists them so, and a path the page does not know as it is.
export type FieldLabels = Record<string, string>;

// The codes with words of their own; any other is explained by its HTTP status.
const codeWords: Record<string, ProblemWordKey> = {
    RATE_LIMITED: 'tooMany',
    FORBIDDEN: 'forbidden',
    NOT_FOUND: 'missing',
    MEMBER_NOT_FOUND: 'missing',
    NOT_AVAILABLE: 'notPossible',
    ALREADY_RUNNING: 'stillRunning',
    DRAFT_CHANGED: 'draftChanged',
    UNAVAILABLE: 'unavailable',
    OVERLOADED: 'unavailable',
    INTERNAL: 'unavailable',
};

function statusWord(status: number): ProblemWordKey {
    if (status === 403) return 'forbidden';
    if (status === 404) return 'missing';
    if (status === 409) return 'alreadyDone';
    if (status >= 500) return 'unavailable';
    return 'notAccepted';
}

export function explainer(word: (language: Language, key: ProblemWordKey) => string) {
    return function explain(language: Language, error: unknown, labels: FieldLabels = {}): string {
        if (!(error instanceof ApiError)) return word(language, 'unavailable');
        const {code, field, problems, retry_at} = error.problem;
        switch (code) {
            case 'UNAUTHENTICATED':
                return word(language, 'wrongDetails');
            case 'TOO_MANY_ATTEMPTS':
                return retry_at ? `${word(language, 'lockedUntil')} ${formatTime(language, retry_at)}.` :
                                  word(language, 'locked');
            case 'CODE_INVALID':
                return word(language, 'codeInvalid');
            case 'VALIDATION_FAILED': {
                const paths = problems?.map((problem) => problem.field) ?? [field ?? ''];
                const named = [...new Set(paths)].map((path) => labels[path] ?? path);
                return `${word(language, 'invalid')} ${formatList(language, named)}`;
            }
            default:
                return word(language, codeWords[code] ?? statusWord(error.status));
        }
    };
}

// A refused document's problems by JSON path ("limits.budget", "rules[0].points"; "$" for the
// document as a whole), the first of each field, to show beside it: the API's words on an English
// page, on a Persian page a Persian sentence asking to check the field.
export function fieldProblems(language: Language, error: unknown): Map<string, string> {
    const found = new Map<string, string>();
    if (!(error instanceof ApiError) || error.problem.code !== 'VALIDATION_FAILED') return found;
    const {field, message, problems} = error.problem;
    for (const problem of problems ?? (field ? [{field, message}] : [])) {
        if (found.has(problem.field)) continue;
        found.set(problem.field, language === 'en' ? problem.message : sharedWord(language, 'fieldNotAccepted'));
    }
    return found;
}
