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

// `withReasons`: a refused document's sentence says why beside each field's name, for a page that
// shows no problem beside its fields (the portal's): "Please correct these: New password (must be
// 8 to 256 characters)".
export function explainer(word: (language: Language, key: ProblemWordKey) => string, withReasons = false) {
    return function explain(language: Language, error: unknown, labels: FieldLabels = {}): string {
        if (!(error instanceof ApiError)) return word(language, 'unavailable');
        const {code, field, message, reason, min, max, problems, retry_at} = error.problem;
        switch (code) {
            case 'UNAUTHENTICATED':
                return word(language, 'wrongDetails');
            case 'TOO_MANY_ATTEMPTS':
                return retry_at ? `${word(language, 'lockedUntil')} ${formatTime(language, retry_at)}.` :
                                  word(language, 'locked');
            case 'CODE_INVALID':
                return word(language, 'codeInvalid');
            case 'VALIDATION_FAILED': {
                const found = problems ?? [{field: field ?? '', message, reason, min, max}];
                const firstOfEach = new Map<string, Reason>();
                for (const problem of found) {
                    if (!firstOfEach.has(problem.field)) firstOfEach.set(problem.field, problem);
                }
                const named = [...firstOfEach].map(([path, problem]) => {
                    const label = labels[path] ?? path;
                    const why = withReasons ? reasonWords(language, problem)?.replace(/\.$/, '') : undefined;
                    if (!why) return label;
                    return `${label} (${language === 'en' ? why[0]!.toLowerCase() + why.slice(1) : why})`;
                });
                return `${word(language, 'invalid')} ${formatList(language, named)}`;
            }
            default:
                return word(language, codeWords[code] ?? statusWord(error.status));
        }
    };
}

// What a refused field lacks, in the page's language, from the API's reason and bounds (the API's
// own message is English, and names fields by their JSON names); undefined for a reason the page
// does not know, or none.
export function reasonWords(language: Language, {reason, min, max}: Reason): string|undefined {
    const fa = language === 'fa';
    const n = (value: number) => formatNumber(language, value);
    const between = (unit: string) => min !== undefined && max !== undefined ?
        (min === max ? `${n(min)} ${unit}` : `${n(min)} ${fa ? 'تا' : 'to'} ${n(max)} ${unit}`) :
        max !== undefined ? `${fa ? 'حداکثر' : 'at most'} ${n(max)} ${unit}` :
                            `${fa ? 'دست‌کم' : 'at least'} ${n(min ?? 0)} ${unit}`;
    switch (reason) {
        case 'required':
            return fa ? 'این را پر کنید.' : 'Fill this in.';
        case 'unknown_field':
            return fa ? 'این فیلد را باشگاه نمی‌شناسد.' : 'The club does not know this field.';
        case 'wrong_type':
            return fa ? 'نوع این مقدار درست نیست.' : 'This is not the kind of value that goes here.';
        case 'text_length':
            return fa ? `باید ${between('نویسه')} باشد.` : `Must be ${between('characters')}.`;
        case 'range':
            if (min !== undefined && max !== undefined) {
                if (min === max) return fa ? `باید ${n(min)} باشد.` : `Must be ${n(min)}.`;
                return fa ? `باید عدد صحیحی از ${n(min)} تا ${n(max)} باشد.` :
                            `Must be a whole number from ${n(min)} to ${n(max)}.`;
            }
            if (max !== undefined) return fa ? `باید حداکثر ${n(max)} باشد.` : `Must be at most ${n(max)}.`;
            return fa ? `باید عدد صحیحی دست‌کم برابر ${n(min ?? 0)} باشد.` : `Must be a whole number of at least ${n(min ?? 0)}.`;
        case 'multiplier':
            return fa ? `ضریب باید بیشتر از ۰ و حداکثر ${n(max ?? 100)} باشد، با حداکثر دو رقم اعشار.` :
                        `A multiplier above 0 and at most ${n(max ?? 100)}, with at most two decimals.`;
        case 'percent':
            return fa ? `درصد باید بیشتر از ۰ و حداکثر ${n(max ?? 100)} باشد، با حداکثر دو رقم اعشار.` :
                        `A percentage above 0 and at most ${n(max ?? 100)}, with at most two decimals.`;
        case 'count':
            return fa ? `باید ${between('مورد')} باشد.` : `Must be ${between('entries')}.`;
        case 'one_of':
            return fa ? 'یکی از گزینه‌های پذیرفتنی را برگزینید.' : 'Choose one of the accepted options.';
        case 'time_of_day':
            return fa ? 'ساعت درست نیست.' : 'Not a valid time of day.';
        case 'date':
            return fa ? 'تاریخ درست نیست.' : 'Not a valid date.';
        case 'instant':
            return fa ? 'تاریخ و ساعت درست نیست.' : 'Not a valid date and time.';
        case 'after_start':
            return fa ? 'پایان باید پس از آغاز باشد.' : 'The end must be after the start.';
        case 'within_days':
            return fa ? `پایان باید حداکثر ${n(max ?? 0)} روز پس از آغاز باشد.` :
                        `The end must be at most ${n(max ?? 0)} days after the start.`;
        case 'duplicate':
            return fa ? 'تکراری است.' : 'This is a duplicate.';
        case 'unknown_name':
            return fa ? 'چنین چیزی در این باشگاه نیست.' : 'The club has nothing by this name.';
        case 'above_lower':
            return fa ? 'باید از آستانهٔ سطح پایین‌تر بیشتر باشد.' : 'Must be above the threshold of the tier below.';
        case 'at_least_one':
            return fa ? 'دست‌کم یکی از این‌ها را پر کنید.' : 'Fill in at least one of these.';
        case 'code_text':
            return fa ? `فقط حرف‌ها و رقم‌های لاتین، «_» و «-»؛ ${between('نویسه')}.` :
                        `Only Latin letters, digits, "_" and "-"; ${between('characters')}.`;
        case 'lower_code_text':
            return fa ? `فقط حرف‌های کوچک لاتین (a تا z)، رقم‌ها، «_» و «-»؛ ${between('نویسه')}.` :
                        `Only lower-case Latin letters (a to z), digits, "_" and "-"; ${between('characters')}.`;
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
                                                     reasonWords(language, problem) ?? sharedWord(language, 'fieldNotAccepted'));
    }
    return found;
}
