// What an API refusal means to a person, in their language: one sentence for the form, and the
// problems of a refused document by the JSON path of the field each is about, to show beside it.
import {ApiError} from './api';
import {formatTime, type Language, type SharedWordKey} from './i18n';

// The page names the wrong sign-in in its own words ("phone, email or password" for members).
export type ProblemWordKey = SharedWordKey|'wrongDetails';

export function explainer(word: (language: Language, key: ProblemWordKey) => string) {
    return function explain(language: Language, error: unknown): string {
        if (!(error instanceof ApiError)) return word(language, 'unavailable');
        switch (error.problem.code) {
            case 'UNAUTHENTICATED':
                return word(language, 'wrongDetails');
            case 'TOO_MANY_ATTEMPTS':
                return error.problem.retry_at ?
                    `${word(language, 'lockedUntil')} ${formatTime(language, error.problem.retry_at)}.` :
                    word(language, 'locked');
            case 'CODE_INVALID':
                return `${word(language, 'codeInvalid')} ${error.problem.message}`;
            case 'RATE_LIMITED':
                return word(language, 'tooMany');
            case 'VALIDATION_FAILED': {
                const fields = error.problem.problems?.map((problem) => problem.field) ?? [error.problem.field ?? ''];
                return `${word(language, 'invalid')} ${fields.join('، ')}`;
            }
            default:
                return word(language, 'unavailable');
        }
    };
}

// A refused document's problems by JSON path ("limits.budget", "rules[0].points"; "$" for the
// document as a whole), the first message of each field; empty for any other refusal.
export function fieldProblems(error: unknown): Map<string, string> {
    const found = new Map<string, string>();
    if (!(error instanceof ApiError) || error.problem.code !== 'VALIDATION_FAILED') return found;
    const {field, message, problems} = error.problem;
    for (const problem of problems ?? (field ? [{field, message}] : [])) {
        if (!found.has(problem.field)) found.set(problem.field, problem.message);
    }
    return found;
}
