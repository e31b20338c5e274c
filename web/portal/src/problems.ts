// What an API refusal means to a person, in their language.
import {ApiError} from './api';
import {formatTime, type Language, word} from './i18n';

export function explain(language: Language, error: unknown): string {
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
}
