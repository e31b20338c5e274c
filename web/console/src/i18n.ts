// The console's words in Persian and English (with the words the web pages share).
import {type SharedWordKey, wordsWith} from '@patron/common/i18n';

const words = {
    fa: {
        console: 'کنسول باشگاه',
        staffSignIn: 'ورود کارکنان',
        wrongDetails: 'ایمیل یا گذرواژه درست نیست.',
        signedOut: 'از کنسول خارج شدید.',
        signedInAs: 'کاربر',
        sessionUntil: '، نشست تا',
        sections: 'بخش‌های کنسول',
        admin: 'مدیر',
        marketer: 'بازاریاب',
        support: 'پشتیبانی',
        analyst: 'تحلیلگر',
        dashboard: 'داشبورد',
        dashboardAbout:
            'داشبورد نشان می‌دهد باشگاه چه می‌کند: اعضا (همه، فعال در ۳۰ و ۹۰ روز، تازه‌واردها)، امتیازهای داده‌شده، خرج‌شده، منقضی‌شده و مانده با ارزش پولی‌شان، کش‌بک پرداخت‌شده، کوپن‌های استفاده‌شده، کارت‌های مهر کامل‌شده، توزیع سطح‌ها، پرهزینه‌ترین قاعده‌ها و رضایت مشتریان، در بازه‌ای از تقویم باشگاه، هر نمودار با جدول و فایل CSV.',
        configure: 'پیکربندی',
        configureAbout:
            'پیکربندی قاعده‌های باشگاه را بی‌نیاز از نوشتن JSON نگه می‌دارد: قاعده‌های کسب امتیاز و پاداش‌ها، پیش‌نویس و پیش‌نمایش روی یک سبد خرید، انتشار، تاریخچهٔ نسخه‌ها و بازگشت به نسخهٔ پیشین؛ سطح‌ها، کمپین‌های کوپن، قاعده‌های خودکار، شرایط معرفی دوستان، کارت‌های مهر، کش‌بک و تنظیمات باشگاه.',
        configureStores:
            'فروشگاه‌ها و صندوق‌هایشان هم اینجا ثبت می‌شوند و کلیدهای صندوق‌ها صادر و عوض می‌شوند.',
        members: 'اعضا و پشتیبانی',
        membersAbout:
            'اعضا و پشتیبانی عضو را با تلفن، ایمیل یا شمارهٔ کارت پیدا می‌کند و همه‌چیز او را یک‌جا نشان می‌دهد: مشخصات، کارت‌ها (مسدود، آزاد، گم‌شده، جایگزین)، مانده‌ها، سطح، کارت‌های مهر، کوپن‌ها، معرفی دوستان، کیف پول و تاریخچه؛ اصلاح امتیاز با دلیل، ثبت رسید بی‌کارت، ادغام دو پرونده و خروجی داده‌ها.',
        membersErase: 'پروندهٔ عضو هم، وقتی خودش بخواهد، اینجا پاک می‌شود.',
        draws: 'قرعه‌کشی‌ها',
        drawsAbout:
            'قرعه‌کشی‌ها همهٔ قرعه‌کشی‌های باشگاه را با وضعیت، بازهٔ ثبت شانس، شانس‌ها و کدهای بسته‌بندی‌شان فهرست می‌کند و هر یک را باز می‌کند: شرایطش، کد تعهدش و، پس از اجرا، رتبه‌هایش، هر برنده با مهلت دریافت جایزه‌اش، و گواهی قرعه‌کشی که با آن هر کسی می‌تواند برندگان را دوباره محاسبه کند.',
        drawsChange:
            'قرعه‌کشی‌ها هم اینجا به‌صورت پیش‌نویس ساخته و تغییر داده می‌شوند، منتشر یا لغو می‌شوند، کدهای بسته‌بندی‌شان برای چاپ ساخته می‌شود، و پس از پایان، یک بار با مقدار عمومی‌ای که از پیش اعلام شده اجرا می‌شوند.',
        drawsClaim: 'دریافت جایزهٔ هر برنده هم، هنگام تحویل جایزه، اینجا ثبت می‌شود.',
        fraud: 'هشدارهای تقلب',
        fraudAbout:
            'هشدارهای تقلب سوءاستفاده‌هایی را که باشگاه زیر نظر دارد فهرست می‌کند: کارتی که در یک ساعت بارها یا در دو فروشگاه با فاصلهٔ زمانی کم به کار رفته، امتیاز یا کیف پولی که به‌زودی پس از عضویت خرج شده، کالایی که بارها یا پس از خرج شدن امتیازش مرجوع شده، امتیازی که کارکنان یک‌جا زیاد یا بارها داده‌اند، رسیدهای بی‌کارتی که بارها به نام یک عضو، از یک نشانی یا از یک صندوق ثبت شده‌اند، صندوقی که در یک ساعت بسیار بیش از معمول امتیاز یا کش‌بک داده است، و آنچه یک قاعدهٔ خودکار نشان کرده است؛ هر هشدار با شواهدش، امتیازهایی که نگه داشته و کارت‌هایی که مسدود کرده است.',
        fraudReview:
            'هر هشدار باز اینجا بررسی می‌شود: آزاد، کنار گذاشته (هشدار نادرست) یا تقلب تأیید می‌شود، با یادداشتی دربارهٔ دلیل.',
        fraudPolicy:
            'اینکه کدام الگوها، با چه آستانه‌ای، زیر نظر باشند و با هر هشدار چه شود هم اینجا تعیین می‌شود.',
        staff: 'کارکنان و حسابرسی',
        staffAbout:
            'کارکنان و حسابرسی کاربران کنسول را می‌سازد، نقششان را عوض می‌کند یا غیرفعالشان می‌کند، و گزارش حسابرسی را، فقط‌خواندنی، بر پایهٔ کاربر، عضو، کار و تاریخ جست‌وجو می‌کند.',
        refused: 'این بخش برای نقش شما نیست',
        refusedWhy: 'نقش شما اجازهٔ کار با این بخش را ندارد:',
        notFound: 'چنین صفحه‌ای در کنسول نیست.',
        goTo: 'رفتن به',
        programmeLoading: 'تنظیمات باشگاه در حال بارگیری است…',
        programmeFailed:
            'تنظیمات باشگاه (ارز، منطقهٔ زمانی) بارگیری نشد، و این بخش بی آن‌ها کار نمی‌کند.',
        retry: 'تلاش دوباره',
    },
    en: {
        console: 'Club console',
        staffSignIn: 'Staff sign-in',
        wrongDetails: 'The email or password is not right.',
        signedOut: 'You have signed out of the console.',
        signedInAs: 'Signed in as',
        sessionUntil: ', session until',
        sections: 'Console sections',
        admin: 'admin',
        marketer: 'marketer',
        support: 'support',
        analyst: 'analyst',
        dashboard: 'Dashboard',
        dashboardAbout:
            'The dashboard shows whether the programme works: members (all, active in 30 and 90 days, new), points issued, redeemed, expired and outstanding with their liability in money, cashback paid, coupons redeemed, stamp cards completed, the tiers\' distribution, the costliest rules and customer satisfaction, over a range of the programme\'s calendar, each chart with its table and a CSV file.',
        configure: 'Configure',
        configureAbout:
            'Configure keeps the programme\'s rules without anyone writing JSON: earn rules and bonuses, a draft previewed on a sample basket, publishing, the version history and rollback; tiers, coupon campaigns, triggers that act by themselves, the referral terms, stamp cards, cashback and the programme\'s settings.',
        configureStores:
            'Stores and their terminals are registered here too, and the terminals\' keys issued and rotated.',
        members: 'Members & support',
        membersAbout:
            'Members & support finds a member by phone, email or card number and shows everything about them in one place: profile, cards (block, unblock, lost, replace), balances, tier, stamp cards, coupons, referrals, wallet and history; point adjustments with a reason, claiming a receipt bought without the card, merging two records and exporting a member\'s data.',
        membersErase: 'A member\'s record is also erased here when they ask for it.',
        draws: 'Prize draws',
        drawsAbout:
            'Prize draws lists the programme\'s draws with their state, entry window, entries and packaging codes, and opens each one: its terms, its commitment and, once it is run, its places, each winner with until when she may claim her prize, and the proof that lets anyone recompute the winners.',
        drawsChange:
            'Draws are also made and changed here as drafts, published or cancelled, given packaging codes to print, and run once after their close with the public value announced in advance.',
        drawsClaim: 'A winner\'s claim is also recorded here when her prize is handed over.',
        fraud: 'Fraud signals',
        fraudAbout:
            'Fraud signals lists the abuse the programme watches for: a card used many times in an hour or at two stores too close together in time, points or cashback spent soon after joining, goods returned again and again or once their points were spent, large or many points adjustments by staff, receipts claimed too often by one member, from one address or of one till, a till giving far more points or cashback in an hour than usual, and what a trigger marks; each signal with its evidence, the points it holds and the cards it blocked.',
        fraudReview:
            'Each open signal is reviewed here: released, dismissed as a false alarm or confirmed as fraud, with a note of why.',
        fraudPolicy: 'Which patterns are watched, at what thresholds, and what is done on a signal is set here too.',
        staff: 'Staff & audit',
        staffAbout:
            'Staff & audit creates the console\'s users, changes their role or disables them, and searches the audit log, read-only, by actor, member, action and date.',
        refused: 'This section is not for your role',
        refusedWhy: 'Your role may not use this section:',
        notFound: 'The console has no such page.',
        goTo: 'Go to',
        programmeLoading: 'Loading the programme\'s settings…',
        programmeFailed:
            'The programme\'s settings (currency, time zone) could not be loaded, and this section needs them.',
        retry: 'Try again',
    },
} as const;

export type WordKey = keyof(typeof words)['en']|SharedWordKey;

export const word = wordsWith(words);
