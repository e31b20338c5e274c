// What Patron's web pages share about language: Persian reads right to left, with Persian digits
// and the Persian (Jalali) calendar, through the browser's own Intl; English reads left to right.
// Amounts have the decimals the API states for their currency (IRR has none). Each page has its
// own words; the words of the shared components and refusals are here, and `wordsWith` puts the
// two together.
export type Language = 'fa'|'en';

const sharedWords = {
    fa: {
        signIn: 'ورود',
        signOut: 'خروج',
        password: 'گذرواژه',
        back: 'بازگشت',
        loading: 'در حال بارگذاری…',
        language: 'English',
        locked: 'چند بار پشت سر هم اشتباه وارد شد؛ کمی بعد دوباره امتحان کنید.',
        lockedUntil: 'گذرواژه چند بار پشت سر هم اشتباه وارد شد. برای امنیت حساب، ورود تا این زمان بسته است:',
        codeInvalid: 'این کد درست نیست یا دیگر کار نمی‌کند.',
        tooMany: 'درخواست‌ها زیاد بود؛ کمی بعد دوباره امتحان کنید.',
        unavailable: 'باشگاه الان در دسترس نیست؛ کمی بعد دوباره امتحان کنید.',
        invalid: 'لطفاً این‌ها را درست کنید:',
        fieldNotAccepted: 'پذیرفته نشد؛ لطفاً بررسی کنید.',
        forbidden: 'نقش شما اجازهٔ این کار را ندارد.',
        missing: 'پیدا نشد؛ شاید پاک شده باشد.',
        alreadyDone: 'این از پیش هست یا پیش‌تر انجام شده است.',
        notPossible: 'این کار اینجا شدنی نیست.',
        stillRunning:
            'همین کار هم‌اکنون در جریان است؛ صبر کنید تا تمام شود یا لغوش کنید.',
        draftChanged:
            'کس دیگری پیش‌نویس را از وقتی که آن را خواندید تغییر داده است؛ آن را که اکنون هست ببینید و تغییرتان را دوباره انجام دهید.',
        notAccepted: 'باشگاه این درخواست را نپذیرفت.',
        sessionEnded: 'نشست شما تمام شد؛ دوباره وارد شوید.',
        day: 'روز',
        month: 'ماه',
        year: 'سال',
        hour: 'ساعت',
        minute: 'دقیقه',
        email: 'ایمیل',
        save: 'ذخیره',
        saved: 'ذخیره شد.',
        cancel: 'انصراف',
    },
    en: {
        signIn: 'Sign in',
        signOut: 'Sign out',
        password: 'Password',
        back: 'Back',
        loading: 'Loading…',
        language: 'فارسی',
        locked: 'Too many wrong tries in a row; please try again a little later.',
        lockedUntil:
            'The password was wrong too many times in a row. To keep the account safe, signing in is closed until',
        codeInvalid: 'This code is not right or no longer works.',
        tooMany: 'Too many requests; please try again a little later.',
        unavailable: 'The club cannot be reached right now; please try again shortly.',
        invalid: 'Please correct these:',
        fieldNotAccepted: 'Not accepted; please check it.',
        forbidden: 'Your role may not do this.',
        missing: 'This was not found; it may have been removed.',
        alreadyDone: 'This exists already or was done before.',
        notPossible: 'This cannot be done here.',
        stillRunning: 'This is running already; wait for it to finish or cancel it.',
        draftChanged:
            'Someone changed the draft since you read it: look at it as it is now and make your change again.',
        notAccepted: 'The club did not accept this request.',
        sessionEnded: 'Your session ended; please sign in again.',
        day: 'Day',
        month: 'Month',
        year: 'Year',
        hour: 'Hour',
        minute: 'Minute',
        email: 'Email',
        save: 'Save',
        saved: 'Saved.',
        cancel: 'Cancel',
    },
} as const;

export type SharedWordKey = keyof(typeof sharedWords)['en'];

export function sharedWord(language: Language, key: SharedWordKey): string {
    return sharedWords[language][key];
}

// A page's words with the shared ones: the `word(language, key)` the page reads them with.
export function wordsWith<Key extends string>(own: Record<Language, Record<Key, string>>): (
    language: Language, key: Key|SharedWordKey) => string {
    return (language, key) => {
        const words: Record<string, string> = own[language];
        return words[key] ?? sharedWord(language, key as SharedWordKey);
    };
}

const locales: Record<Language, string> = {
    fa: 'fa-IR-u-ca-persian-nu-arabext',
    en: 'en-GB'
};

export function formatNumber(language: Language, value: number): string {
    return new Intl.NumberFormat(locales[language]).format(value);
}

// A currency as the API gives it: the ISO 4217 code and its number of decimals, the API's
// `currency_exponent` beside every `currency`. The exponent comes from the server's own table, the
// one its receipts and sums use; the browser's locale data disagree for some (PKR, AFN, IQD).
export interface Currency {
    code: string;
    exponent: number;
}

export function currencyOf(document: {currency: string; currency_exponent: number}): Currency {
    return {code: document.currency, exponent: document.currency_exponent};
}

// An amount in integer minor units, shown with exactly the currency's decimals and then the
// currency, as the till's receipts and the member's history write it: "300,000 IRR", "12.50 USD",
// "۳۰۰٬۰۰۰ ریال" (the rial by its Persian name; another currency by its code, "۲٬۴۶۹٫۰۰ PKR"). The
// locale data's own order ("IRR 300,000", "ریال ۳۰۰٬۰۰۰") put the unit first, against the receipts
// and against how Persian writes an amount. A no-break space keeps the two on one line. The
// decimal is built as text (Intl takes "12.50" exactly), so no amount goes through a float.
export function formatMoney(language: Language, minor: number, currency: Currency): string {
    const amount = new Intl
        .NumberFormat(locales[language], {
            minimumFractionDigits: currency.exponent,
            maximumFractionDigits: currency.exponent,
        })
        .format(moneyText(minor, currency.exponent) as Intl.StringNumericLiteral);
    return `${amount}\u00a0${currencyUnit(language, currency)}`;
}

// How an amount names its currency in the language: the rial as "ریال" in Persian, as the
// receipts do; every other currency by its ISO code.
function currencyUnit(language: Language, currency: Currency): string {
    return language === 'fa' && currency.code === 'IRR' ? 'ریال' : currency.code;
}

// A date as the member's calendar writes it: Jalali in Persian, Gregorian in English. `when` is
// an instant (shown in `timeZone`, the programme's) or a calendar date "YYYY-MM-DD" (shown as is).
export function formatDate(language: Language, when: string, timeZone?: string): string {
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(when);
    const instant = new Date(dateOnly ? `${when}T12:00:00Z` : when);
    return new Intl
        .DateTimeFormat(locales[language], {
            year: 'numeric',
            month: 'long',
            day: 'numeric',
            timeZone: dateOnly ? 'UTC' : timeZone,
        })
        .format(instant);
}

// The time of day an instant falls on, on the member's own clock (the browser's time zone), with
// the day when it is not today: "14:05" or "1 December 2026, 00:10".
export function formatTime(language: Language, when: string): string {
    const instant = new Date(when);
    const today = new Date().toDateString() === instant.toDateString();
    return new Intl
        .DateTimeFormat(locales[language], {
            ...(today ? {} : {year: 'numeric', month: 'long', day: 'numeric'}),
            hour: '2-digit',
            minute: '2-digit',
        })
        .format(instant);
}

// Items as a list reads in the language: "a, b and c", "a، b و c".
export function formatList(language: Language, items: string[]): string {
    return new Intl.ListFormat(locales[language], {type: 'conjunction'}).format(items);
}

// Text with the member's digits (Persian digits in Persian).
export function digits(language: Language, text: string): string {
    return language === 'fa' ? text.replace(/[0-9]/g, (digit) => '۰۱۲۳۴۵۶۷۸۹'[Number(digit)]) : text;
}

// What the member typed as an amount ("450,000", "۴۵۰٬۰۰۰", "12.50") in minor units of a currency
// with `exponent` decimals, or null. Read as text, digit by digit: no float ever holds the money,
// and an amount too large to be held exactly is refused rather than rounded.
export function parseMoney(text: string, exponent: number): number|null {
    const latin = text.replace(/[۰-۹]/g, (digit) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(digit)))
                      .replace(/[٠-٩]/g, (digit) => String('٠١٢٣٤٥٦٧٨٩'.indexOf(digit)))
                      .replace(/[,٬\s]/g, '')
                      .replace('٫', '.');
    const match = /^(\d{1,15})(?:\.(\d+))?$/.exec(latin);
    if (!match) return null;
    const fraction = match[2] ?? '';
    if (fraction.length > exponent) return null;
    const minor = Number(match[1] + fraction.padEnd(exponent, '0'));
    return Number.isSafeInteger(minor) ? minor : null;
}

// Minor units as the text a member would type: 250000 IRR "250000", 1250 USD "12.50".
export function moneyText(minor: number, fractionDigits: number): string {
    const text = String(Math.abs(minor)).padStart(fractionDigits + 1, '0');
    const whole = fractionDigits === 0 ? text : `${text.slice(0, -fractionDigits)}.${text.slice(-fractionDigits)}`;
    return minor < 0 ? `-${whole}` : whole;
}

// The page's language on the whole document: direction, language and title.
export function applyLanguage(language: Language, title: string): void {
    document.documentElement.lang = language;
    document.documentElement.dir = language === 'fa' ? 'rtl' : 'ltr';
    document.title = title;
}
