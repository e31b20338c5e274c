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
        pointsUnit: 'امتیاز',
        available: 'امتیاز قابل استفاده',
        pending: 'امتیاز در انتظار',
        tier: 'سطح',
        cashback: 'کیف پول بازگشت وجه',
        loading: 'در حال بارگذاری…',
        language: 'English',
        wrongDetails: 'تلفن یا ایمیل یا گذرواژه درست نیست.',
        locked: 'چند بار پشت سر هم اشتباه وارد شد؛ کمی بعد دوباره امتحان کنید.',
        lockedUntil: 'گذرواژه چند بار پشت سر هم اشتباه وارد شد. برای امنیت حساب، ورود تا این زمان بسته است:',
        codeInvalid: 'این کد درست نیست یا دیگر کار نمی‌کند.',
        tooMany: 'درخواست‌ها زیاد بود؛ کمی بعد دوباره امتحان کنید.',
        unavailable: 'باشگاه الان در دسترس نیست؛ کمی بعد دوباره امتحان کنید.',
        invalid: 'لطفاً این‌ها را درست کنید:',
        sessionEnded: 'نشست شما تمام شد؛ دوباره وارد شوید.',
        home: 'خانه',
        historyTab: 'تاریخچه',
        claimTab: 'ثبت رسید',
        profileTab: 'حساب من',
        pendingUntil: 'قابل استفاده از',
        expiringSoon: 'امتیازهایی که به‌زودی منقضی می‌شوند',
        expiresOn: 'انقضا',
        nothingExpiring: 'در ۳۰ روز آینده امتیازی منقضی نمی‌شود.',
        nextTier: 'تا سطح بعد',
        toGo: 'مانده',
        topTier: 'شما در بالاترین سطح هستید.',
        securedUntil: 'این سطح برای شما محفوظ است تا',
        stampCards: 'کارت‌های مهر',
        stampsOf: 'مهر از',
        reward: 'جایزه',
        coupons: 'کوپن‌های من',
        noCoupons: 'فعلاً کوپنی ندارید.',
        validUntil: 'معتبر تا',
        minimumBasket: 'حداقل خرید',
        couponAssigned: 'قابل استفاده',
        couponRedeemed: 'استفاده‌شده',
        couponExpired: 'منقضی‌شده',
        myCard: 'کارت عضویت',
        showAtTill: 'این کد را هنگام پرداخت به صندوق نشان دهید.',
        filterAll: 'همه',
        earned: 'کسب‌شده',
        spent: 'خرج‌شده',
        expired: 'منقضی‌شده',
        returned: 'مرجوعی',
        adjusted: 'اصلاح‌شده',
        cashbackKind: 'بازگشت وجه',
        stamps: 'مهرها',
        couponsKind: 'کوپن‌ها',
        more: 'موارد بیشتر',
        nothingYet: 'هنوز چیزی نیست.',
        store: 'فروشگاه',
        terminal: 'صندوق',
        businessDay: 'تاریخ رسید',
        day: 'روز',
        month: 'ماه',
        year: 'سال',
        scanReceipt: 'اسکن کد روی رسید',
        scanRead: 'مشخصات رسید از روی کد پر شد؛ بررسی کنید و بفرستید.',
        scanNoCode:
            'در این عکس کد باشگاه پیدا نشد؛ از نزدیک‌تر دوباره عکس بگیرید یا مشخصات رسید را بنویسید.',
        aCoupon: 'یک کوپن',
        rateVisits: 'به خریدهای اخیرتان نمره بدهید',
        rateVisit: 'به این خرید نمره بدهید',
        rateThisVisit: 'نمره دادن به این خرید',
        npsQuestion:
            'چقدر احتمال دارد این فروشگاه را به دوستان‌تان پیشنهاد کنید؟',
        npsLow: '۰: اصلاً',
        npsHigh: '۱۰: حتماً',
        csatQuestion: 'چقدر از این خرید راضی بودید؟',
        csatLow: '۱: ناراضی',
        csatHigh: '۵: خیلی راضی',
        cesQuestion: 'خرید کردن چقدر آسان بود؟',
        cesLow: '۱: خیلی سخت',
        cesHigh: '۷: خیلی آسان',
        comment: 'نظر شما (اختیاری)',
        sendRating: 'فرستادن نمره',
        rateSomething: 'دست‌کم به یکی از پرسش‌ها پاسخ دهید.',
        thanksForRating: 'از نظر شما سپاسگزاریم.',
        alreadyRated: 'به این خرید پیش‌تر نمره داده شده است.',
        ratingClosed: 'زمان نمره دادن به این خرید گذشته است.',
        ratingUnknown: 'این پیوند نظرسنجی معتبر نیست.',
        orTypeIt: 'یا مشخصات رسید را بنویسید:',
        receipt: 'شمارهٔ رسید',
        total: 'مبلغ کل رسید',
        claim: 'امتیاز این رسید را بگیر',
        claimIntro:
            'اگر بدون کارت خرید کرده‌اید، مشخصات رسید را وارد کنید تا امتیازش به حساب شما بیاید.',
        claimed: 'امتیاز رسید ثبت شد:',
        alreadyClaimed: 'امتیاز این رسید قبلاً ثبت شده است.',
        claimWindowClosed: 'مهلت ثبت این رسید گذشته است.',
        receiptNotFound: 'رسیدی با این مشخصات پیدا نشد؛ اعداد را دوباره بررسی کنید.',
        claimNotAvailable: 'این رسید مرجوع یا باطل شده و قابل ثبت نیست.',
        tooManyClaims: 'امروز چند رسید ثبت نشد؛ فردا دوباره امتحان کنید یا از فروشگاه کمک بگیرید.',
        badAmount: 'مبلغ را فقط با رقم بنویسید.',
        profile: 'مشخصات',
        fullName: 'نام و نام خانوادگی',
        email: 'ایمیل',
        birthDate: 'تاریخ تولد',
        city: 'شهر',
        marketingSms: 'پیامک‌های تبلیغاتی را می‌خواهم',
        marketingEmail: 'ایمیل‌های تبلیغاتی را می‌خواهم',
        since: 'از',
        save: 'ذخیره',
        saved: 'ذخیره شد.',
        changePassword: 'تغییر گذرواژه',
        currentPassword: 'گذرواژهٔ فعلی',
        passwordChanged: 'گذرواژه تغییر کرد.',
        myData: 'داده‌های من',
        download: 'دریافت همهٔ داده‌های من (فایل JSON)',
        deleteAccount: 'حذف حساب',
        deleteWarning:
            'با حذف حساب، همهٔ امتیازها، کوپن‌ها و اطلاعات شما برای همیشه پاک می‌شود و برنمی‌گردد. برای تأیید، گذرواژه را وارد کنید.',
        deleteConfirm: 'بله، حسابم را برای همیشه حذف کن',
        deleted: 'حساب شما حذف شد.',
        cancel: 'انصراف',
        memberExists: 'این ایمیل برای عضو دیگری ثبت شده است.',
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
        pointsUnit: 'points',
        available: 'Points to spend',
        pending: 'Pending points',
        tier: 'Tier',
        cashback: 'Cashback wallet',
        loading: 'Loading…',
        language: 'فارسی',
        wrongDetails: 'The phone, email or password is not right.',
        locked: 'Too many wrong tries in a row; please try again a little later.',
        lockedUntil:
            'The password was wrong too many times in a row. To keep the account safe, signing in is closed until',
        codeInvalid: 'This code is not right or no longer works.',
        tooMany: 'Too many requests; please try again a little later.',
        unavailable: 'The club cannot be reached right now; please try again shortly.',
        invalid: 'Please correct these:',
        sessionEnded: 'Your session ended; please sign in again.',
        home: 'Home',
        historyTab: 'History',
        claimTab: 'Claim a receipt',
        profileTab: 'My account',
        pendingUntil: 'available from',
        expiringSoon: 'Points expiring soon',
        expiresOn: 'expire on',
        nothingExpiring: 'No points expire in the next 30 days.',
        nextTier: 'To the next tier',
        toGo: 'to go',
        topTier: 'You are in the top tier.',
        securedUntil: 'Your tier is yours until',
        stampCards: 'Stamp cards',
        stampsOf: 'stamps of',
        reward: 'Reward',
        coupons: 'My coupons',
        noCoupons: 'No coupons for now.',
        validUntil: 'valid until',
        minimumBasket: 'minimum basket',
        couponAssigned: 'ready to use',
        couponRedeemed: 'used',
        couponExpired: 'expired',
        myCard: 'Member card',
        showAtTill: 'Show this code at the till when you pay.',
        filterAll: 'All',
        earned: 'Earned',
        spent: 'Spent',
        expired: 'Expired',
        returned: 'Returned',
        adjusted: 'Adjusted',
        cashbackKind: 'Cashback',
        stamps: 'Stamps',
        couponsKind: 'Coupons',
        more: 'More',
        nothingYet: 'Nothing yet.',
        store: 'Store',
        terminal: 'Till',
        businessDay: 'Receipt date',
        day: 'Day',
        month: 'Month',
        year: 'Year',
        scanReceipt: 'Scan the receipt\'s code',
        scanRead: 'The receipt\'s details were read from its code: check them and send.',
        scanNoCode: 'No club code was found in that picture. Take it again closer, or type the receipt\'s details.',
        aCoupon: 'a coupon',
        rateVisits: 'Rate your recent visits',
        rateVisit: 'Rate your visit',
        rateThisVisit: 'Rate this visit',
        npsQuestion: 'How likely are you to recommend this store to a friend?',
        npsLow: '0: not at all',
        npsHigh: '10: certainly',
        csatQuestion: 'How satisfied were you with this visit?',
        csatLow: '1: not satisfied',
        csatHigh: '5: very satisfied',
        cesQuestion: 'How easy was it to shop?',
        cesLow: '1: very hard',
        cesHigh: '7: very easy',
        comment: 'Your comment (optional)',
        sendRating: 'Send my rating',
        rateSomething: 'Please answer at least one of the questions.',
        thanksForRating: 'Thank you for your rating.',
        alreadyRated: 'This visit was already rated.',
        ratingClosed: 'The time to rate this visit has passed.',
        ratingUnknown: 'This rating link is not valid.',
        orTypeIt: 'Or type the receipt\'s details:',
        receipt: 'Receipt number',
        total: 'Receipt total',
        claim: 'Get this receipt\'s points',
        claimIntro: 'Shopped without your card? Enter the receipt\'s details and its points come to your account.',
        claimed: 'Receipt credited:',
        alreadyClaimed: 'This receipt\'s points were already credited.',
        claimWindowClosed: 'It is too late to claim this receipt.',
        receiptNotFound: 'No receipt with these details; please check the numbers.',
        claimNotAvailable: 'This receipt was returned or voided and cannot be claimed.',
        tooManyClaims: 'Several receipts could not be claimed today; try again tomorrow or ask at the store.',
        badAmount: 'Write the amount in digits only.',
        profile: 'Profile',
        fullName: 'Full name',
        email: 'Email',
        birthDate: 'Date of birth',
        city: 'City',
        marketingSms: 'Send me offers by SMS',
        marketingEmail: 'Send me offers by email',
        since: 'since',
        save: 'Save',
        saved: 'Saved.',
        changePassword: 'Change password',
        currentPassword: 'Current password',
        passwordChanged: 'Password changed.',
        myData: 'My data',
        download: 'Download all my data (JSON file)',
        deleteAccount: 'Delete my account',
        deleteWarning:
            'Deleting your account erases all your points, coupons and details for good; it cannot be undone. Enter your password to confirm.',
        deleteConfirm: 'Yes, delete my account for good',
        deleted: 'Your account was deleted.',
        cancel: 'Cancel',
        memberExists: 'Another member has this email.',
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
    return format.format(moneyText(minor, digits) as Intl.StringNumericLiteral);
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

// Text with the member's digits (Persian digits in Persian).
export function digits(language: Language, text: string): string {
    return language === 'fa' ? text.replace(/[0-9]/g, (digit) => '۰۱۲۳۴۵۶۷۸۹'[Number(digit)]) : text;
}

// What the member typed as an amount ("450,000", "۴۵۰٬۰۰۰", "12.50") in minor units, or null.
// Read as text, digit by digit: no float ever holds the money.
export function parseMoney(text: string, fractionDigits: number): number|null {
    const latin = text.replace(/[۰-۹]/g, (digit) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(digit)))
                      .replace(/[٠-٩]/g, (digit) => String('٠١٢٣٤٥٦٧٨٩'.indexOf(digit)))
                      .replace(/[,٬\s]/g, '')
                      .replace('٫', '.');
    const match = /^(\d{1,15})(?:\.(\d+))?$/.exec(latin);
    if (!match) return null;
    const fraction = match[2] ?? '';
    if (fraction.length > fractionDigits) return null;
    return Number(match[1] + fraction.padEnd(fractionDigits, '0'));
}

// Minor units as the text a member would type: 250000 IRR "250000", 1250 USD "12.50".
export function moneyText(minor: number, fractionDigits: number): string {
    const text = String(Math.abs(minor)).padStart(fractionDigits + 1, '0');
    const whole = fractionDigits === 0 ? text : `${text.slice(0, -fractionDigits)}.${text.slice(-fractionDigits)}`;
    return minor < 0 ? `-${whole}` : whole;
}

export function currencyDigits(currency: string): number {
    return new Intl.NumberFormat('en', {style: 'currency', currency}).resolvedOptions().maximumFractionDigits ?? 0;
}

export function applyLanguage(language: Language): void {
    document.documentElement.lang = language;
    document.documentElement.dir = language === 'fa' ? 'rtl' : 'ltr';
    document.title = word(language, 'club');
}
