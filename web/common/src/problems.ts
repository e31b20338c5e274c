// What an API refusal means to a person, in their language: one sentence for the form, chosen by
// the refusal's stable code (the API's own message is English, whatever the page's language), and
// the problems of a refused document by the JSON path of the field each is about, to show beside it.
import {ApiError, type Reason} from './api';
import {formatList, formatNumber, formatTime, type Language, type SharedWordKey, sharedWord} from './i18n';

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

// What a refused field lacks, said in Persian from the API's reason and bounds (the API's own
// message is English); undefined for a reason the page does not know, or none.
export function persianReason({reason, min, max}: Reason): string|undefined {
    const n = (value: number) => formatNumber('fa', value);
    const between = (unit: string) => min !== undefined && max !== undefined ?
        (min === max ? `${n(min)} ${unit}` : `${n(min)} تا ${n(max)} ${unit}`) :
        max !== undefined ? `حداکثر ${n(max)} ${unit}` : `دست‌کم ${n(min ?? 0)} ${unit}`;
    switch (reason) {
        case 'required':
            return 'این را پر کنید.';
        case 'unknown_field':
            return 'این بخش را باشگاه نمی‌شناسد.';
        case 'wrong_type':
            return 'این مقدار از نوعی نیست که اینجا می‌آید.';
        case 'text_length':
            return `باید ${between('نویسه')} باشد.`;
        case 'range':
            if (min !== undefined && max !== undefined) {
                return min === max ? `باید ${n(min)} باشد.` : `باید عددی درست از ${n(min)} تا ${n(max)} باشد.`;
            }
            return max !== undefined ? `باید حداکثر ${n(max)} باشد.` : `باید عددی درست و دست‌کم ${n(min ?? 0)} باشد.`;
        case 'multiplier':
            return `ضریب باید بیشتر از ۰ و حداکثر ${n(max ?? 100)} باشد، با حداکثر دو رقم اعشار.`;
        case 'percent':
            return `درصد باید بیشتر از ۰ و حداکثر ${n(max ?? 100)} باشد، با حداکثر دو رقم اعشار.`;
        case 'count':
            return `باید ${between('مورد')} باشد.`;
        case 'one_of':
            return 'یکی از گزینه‌های پذیرفتنی را برگزینید.';
        case 'time_of_day':
            return 'ساعت درست نیست.';
        case 'date':
            return 'تاریخ درست نیست.';
        case 'instant':
            return 'تاریخ و ساعت درست نیست.';
        case 'after_start':
            return 'پایان باید پس از آغاز باشد.';
        case 'within_days':
            return `پایان باید حداکثر ${n(max ?? 0)} روز پس از آغاز باشد.`;
        case 'duplicate':
            return 'تکراری است؛ هر کدام یک بار.';
        case 'unknown_name':
            return 'چنین چیزی در این برنامه نیست.';
        case 'above_lower':
            return 'باید از آستانهٔ سطح پایین‌تر بیشتر باشد.';
        case 'at_least_one':
            return 'دست‌کم یکی از این‌ها را پر کنید.';
        case 'code_text':
            return `فقط حرف‌ها و رقم‌های لاتین، «_» و «-»؛ ${between('نویسه')}.`;
        case 'lower_code_text':
            return `فقط حرف‌های کوچک لاتین (a تا z)، رقم‌ها، «_» و «-»؛ ${between('نویسه')}.`;
        default:
            return undefined;
    }
}

// A refused document's problems by JSON path ("limits.budget", "rules[0].points"; "$" for the
// document as a whole), the first of each field, to show beside it: the API's words on an English
// page; on a Persian page, what its reason says in Persian, or a Persian sentence asking to check
// the field when the API gave no reason the page knows.
export function fieldProblems(language: Language, error: unknown): Map<string, string> {
    const found = new Map<string, string>();
    if (!(error instanceof ApiError) || error.problem.code !== 'VALIDATION_FAILED') return found;
    const {field, message, reason, min, max, problems} = error.problem;
    for (const problem of problems ?? (field ? [{field, message, reason, min, max}] : [])) {
        if (found.has(problem.field)) continue;
        found.set(problem.field, language === 'en' ? problem.message :
                                                     persianReason(problem) ?? sharedWord(language, 'fieldNotAccepted'));
    }
    return found;
}
