// The portal's words in Persian and English, and the formats that go with each language:
// Persian reads right to left, with Persian digits and the Persian (Jalali) calendar, through the
// browser's own Intl; amounts follow the currency's own minor unit (IRR has none).
export type Language = 'fa'|'en';

const words = {
    fa: {
        club: 'باشگاه مشتریان',
        signIn: 'ورود',
        signOut: 'خروج',
        phoneOrEmail: 'تلفن همراه یا ایمیل',
        password: 'گذرواژه',
        program: 'باشگاه',
        firstTime: 'بار اول است یا گذرواژه را فراموش کرده‌اید؟',
        sendCode: 'کد یک‌بارمصرف را بفرست',
        codeSent: 'اگر این تلفن یا ایمیل عضو باشگاه باشد، کدی برایش فرستاده شد.',
        code: 'کد یک‌بارمصرف',
        newPassword: 'گذرواژهٔ تازه (دست‌کم ۸ نویسه)',
        setPassword: 'گذرواژه را بگذار و وارد شو',
        back: 'بازگشت',
        points: 'امتیاز',
        available: 'امتیاز قابل استفاده',
        pending: 'امتیاز در انتظار',
        tier: 'سطح',
        cashback: 'کیف پول بازگشت وجه',
        loading: 'در حال بارگذاری…',
        language: 'English',
        wrongDetails: 'تلفن یا ایمیل یا گذرواژه درست نیست.',
        locked: 'چند بار پشت سر هم اشتباه وارد شد؛ کمی بعد دوباره امتحان کنید.',
        codeInvalid: 'این کد درست نیست یا دیگر کار نمی‌کند.',
        tooMany: 'درخواست‌ها زیاد بود؛ کمی بعد دوباره امتحان کنید.',
        unavailable: 'باشگاه الان در دسترس نیست؛ کمی بعد دوباره امتحان کنید.',
        invalid: 'لطفاً این‌ها را درست کنید:',
        sessionEnded: 'نشست شما تمام شد؛ دوباره وارد شوید.',
    },
    en: {
        club: 'Customer club',
        signIn: 'Sign in',
        signOut: 'Sign out',
        phoneOrEmail: 'Mobile number or email',
        password: 'Password',
        program: 'Club',
        firstTime: 'First time here, or forgot your password?',
        sendCode: 'Send me a one-time code',
        codeSent: 'If this phone or email belongs to a member, a code is on its way.',
        code: 'One-time code',
        newPassword: 'New password (at least 8 characters)',
        setPassword: 'Set password and sign in',
        back: 'Back',
        points: 'points',
        available: 'Points to spend',
        pending: 'Pending points',
        tier: 'Tier',
        cashback: 'Cashback wallet',
        loading: 'Loading…',
        language: 'فارسی',
        wrongDetails: 'The phone, email or password is not right.',
        locked: 'Too many wrong tries in a row; please try again a little later.',
        codeInvalid: 'This code is not right or no longer works.',
        tooMany: 'Too many requests; please try again a little later.',
        unavailable: 'The club cannot be reached right now; please try again shortly.',
        invalid: 'Please correct these:',
        sessionEnded: 'Your session ended; please sign in again.',
    },
} as const;

export type WordKey = keyof(typeof words)['en'];

export function word(language: Language, key: WordKey): string {
    return words[language][key];
}

const locales: Record<Language, string> = {
    fa: 'fa-IR-u-ca-persian-nu-arabext',
    en: 'en-GB'
};

export function formatNumber(language: Language, value: number): string {
    return new Intl.NumberFormat(locales[language]).format(value);
}

// An amount in integer minor units, shown with the currency's own number of decimals. The
// decimal is built as text (Intl takes "12.50" exactly), so no amount goes through a float.
export function formatMoney(language: Language, minor: number, currency: string): string {
    const format = new Intl.NumberFormat(locales[language], {style: 'currency', currency});
    const digits = format.resolvedOptions().maximumFractionDigits ?? 0;
    const sign = minor < 0 ? '-' : '';
    const text = String(Math.abs(minor)).padStart(digits + 1, '0');
    const decimal = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
    return format.format(`${sign}${decimal}` as Intl.StringNumericLiteral);
}

// A date as the member's calendar writes it: Jalali in Persian, Gregorian in English.
export function formatDate(language: Language, when: Date): string {
    return new Intl.DateTimeFormat(locales[language], {year: 'numeric', month: 'long', day: 'numeric'}).format(when);
}

export function applyLanguage(language: Language): void {
    document.documentElement.lang = language;
    document.documentElement.dir = language === 'fa' ? 'rtl' : 'ltr';
    document.title = word(language, 'club');
}
