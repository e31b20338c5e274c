// The Fraud section's words in Persian and English, with their {blanks}, and how its sentences
// count: minutes, hours, days, purchases and points in the page's digits ("1 minute", "2 hours and 5
// minutes"), and which purchase of the hour, return of the window, adjustment of the day or claim
// of the 24 hours a signal was raised on ("3rd"; Persian counts them instead: "۳ خرید").
import {formatList, formatNumber, type Language, type SharedWordKey, wordsWith} from '@patron/common/i18n';

const
    words =
        {
            fa:
                {
                    fraudScreens: 'صفحه‌های هشدارهای تقلب',
                    queueTitle: 'صف بررسی',
                    policyTitle: 'سیاست تقلب',
                    notFound: 'چنین صفحه‌ای در این بخش نیست.',
                    kind_card_velocity: 'سرعت استفاده از کارت',
                    kind_redemption_after_enrolment: 'خرج کردن به‌زودی پس از عضویت',
                    kind_return_cycling: 'امتیاز گرفتن و سپس مرجوع کردن',
                    kind_spent_points_returned: 'مرجوعیِ امتیازِ خرج‌شده',
                    kind_staff_adjustment: 'تغییر امتیاز به دست کارکنان',
                    kind_claim_harvesting: 'ثبت انبوه رسیدهای بی‌کارت',
                    kind_terminal_outlier: 'صندوقی بسیار بیش از معمولش',
                    kind_trigger: 'قاعدهٔ خودکار',
                    state_open: 'باز',
                    state_released: 'آزادشده',
                    state_confirmed: 'تقلب تأییدشده',
                    state_dismissed: 'کنارگذاشته',
                    anyState: 'هر وضعیتی',
                    anyKind: 'هر الگویی',
                    taken_flag: 'فقط ثبت',
                    taken_hold: 'نگه‌داشتن امتیازها',
                    taken_block: 'مسدود کردن کارت‌ها و نگه‌داشتن امتیازها',
                    filters: 'فیلترها',
                    state: 'وضعیت',
                    pattern: 'الگو',
                    signal: 'هشدار',
                    member: 'عضو',
                    raised: 'زمان هشدار',
                    actionTaken: 'اقدام انجام‌شده',
                    noSignals: 'هیچ هشداری با این فیلترها نیست.',
                    olderSignals: 'هشدارهای قدیمی‌تر',
                    timesIn: 'زمان‌ها به وقت باشگاه:',
                    signalTitle: 'هشدار {id}: {kind}',
                    noSuchSignal: 'چنین هشداری نیست.',
                    backToQueue: 'بازگشت به صف بررسی',
                    pointsHeld: 'امتیازهای نگه‌داشته‌شده',
                    blockedCards: 'کارت‌هایی که مسدود کرد',
                    none: 'هیچ',
                    pointsForfeited: 'امتیازهای ضبط‌شده',
                    decision: 'تصمیم',
                    decidedBy: '{state}، به دست {who} در {when}',
                    note: 'یادداشت',
                    evidence: 'شواهد',
                    evPurchase: 'خرید {purchase} در {store} با کارت {card}، در {time} به ساعت صندوق.',
                    evBusy: '{nth} خرید با کارت {card} در یک ساعت (آستانه: {limit}).',
                    evAfter:
                        'خرید در {store}، {minutes} پس از خریدی در {other} (سیاست فاصلهٔ کمتر از {limit} را زیر نظر دارد).',
                    evBefore:
                        'خرید در {store}، {minutes} پیش از خریدی در {other} (سیاست فاصلهٔ کمتر از {limit} را زیر نظر دارد).',
                    evSameMinute:
                        'خرید در {store} در همان دقیقهٔ خریدی در {other} (سیاست فاصلهٔ کمتر از {limit} را زیر نظر دارد).',
                    evEnrolment: 'خرید {purchase}، که بخشی از آن با امتیاز یا کیف پول پرداخت شد؛ عضویت در {time}.',
                    evSpent: '{spent}، {after} پس از عضویت خرج شد (سیاست {within} نخست را زیر نظر دارد).',
                    evReturned: 'مرجوعی {return} از خرید {purchase}، {points} را پس گرفت.',
                    evVoided: 'ابطال {return} برای خرید {purchase}، {points} را پس گرفت.',
                    evCycling: '{nth} مرجوعی یا ابطال که امتیاز پس گرفت، در {days} (آستانه: {limit}).',
                    evSpentBack:
                        'عضو {spent} از آن‌ها را پیش‌تر خرج کرده بود (آستانه: {limit}).',
                    evGrant: '{staff} {points} به عضو داد (سقف: {limit}).',
                    evAdjustments:
                        '{nth} تغییر امتیاز به دست {staff} در یک روز به وقت جهانی (آستانه: {limit}): {change}.',
                    adjGranted: '{points} داده شد',
                    adjTaken: '{points} کسر شد',
                    evClaimed: 'رسید خرید {purchase} از صندوق {terminal} فروشگاه {store} ثبت شد.',
                    evClaimedPurchase: 'رسید خرید {purchase} ثبت شد.',
                    evClaimsMember: '{nth} رسید در {hours} به نام این عضو ثبت شد (آستانه: {limit}).',
                    evClaimsFailed: '{nth} بار ثبت ناموفق رسید از سوی این عضو در {hours} (آستانه: {limit}).',
                    evClaimsAddress:
                        '{nth} بار ثبت رسید از یک نشانی شبکه (چکیدهٔ {digest}) در {hours} (آستانه: {limit}).',
                    evClaimsTill: '{nth} رسید از صندوق {terminal} فروشگاه {store} در {hours} ثبت شد (آستانه: {limit}).',
                    evOutlierHour: 'صندوق {terminal} فروشگاه {store} از {from} تا {until} در {purchases}، {given} داد.',
                    evOutlierUsual:
                        'ساعت معمول این صندوق {usual} می‌دهد (میانگین {hours} دارای فروش در {days} گذشته)؛ هشدار برای بیش از {times} برابر آن است، به شرط دست‌کم {min}.',
                    evOutlierNew:
                        'این صندوق در {days} گذشته فروشی نداشته که با آن سنجیده شود؛ {min} هشدار می‌دهد.',
                    orMore: '{amount} یا بیشتر',
                    evTrigger: 'قاعدهٔ خودکار «{trigger}» برای بازهٔ {window} اجرا شد.',
                    evTriggerLapse:
                        'قاعدهٔ خودکار «{trigger}» برای دورهٔ بی‌خریدی پس از خرید {window} اجرا شد.',
                    minutesOne: '{n} دقیقه',
                    minutesMany: '{n} دقیقه',
                    hoursOne: '{n} ساعت',
                    hoursMany: '{n} ساعت',
                    daysOne: '{n} روز',
                    daysMany: '{n} روز',
                    pointsOne: '{n} امتیاز',
                    pointsMany: '{n} امتیاز',
                    purchasesOne: '{n} خرید',
                    purchasesMany: '{n} خرید',
                    cashback: '{amount} از کیف پول',
                    cashbackGiven: '{amount} کش‌بک',
                    reviewTitle: 'بررسی این هشدار',
                    decisionName_release: 'آزاد کردن',
                    decisionName_dismiss: 'کنار گذاشتن',
                    decisionName_confirm: 'تأیید تقلب',
                    decisionWhy_release:
                        'خریدها واقعی بود. امتیازهایی که نگه داشته به عضو می‌رسد و کارت‌هایی که مسدود کرده آزاد می‌شود.',
                    decisionWhy_dismiss:
                        'هشدار نادرست بود. مانند آزاد کردن، امتیازهای نگه‌داشته به عضو می‌رسد و کارت‌هایی که مسدود کرده آزاد می‌شود.',
                    decisionWhy_confirm:
                        'تقلب واقعی است. امتیازهایی که نگه داشته ضبط می‌شود و کارت‌هایی که مسدود کرده مسدود می‌ماند.',
                    decisionWhyNone_release:
                        'فعالیت واقعی بود. این هشدار امتیازی نگه نداشته و کارتی را مسدود نکرده است؛ بسته می‌شود.',
                    decisionWhyNone_dismiss:
                        'هشدار نادرست بود. این هشدار امتیازی نگه نداشته و کارتی را مسدود نکرده است؛ بسته می‌شود.',
                    decisionWhyNone_confirm:
                        'تقلب واقعی است. این هشدار امتیازی نگه نداشته و کارتی را مسدود نکرده است؛ خریدهای صندوق را خودتان بررسی کنید.',
                    confirmQuestionNone:
                        'این هشدار امتیازی نگه نداشته و کارتی را مسدود نکرده است. تصمیم را نمی‌توان عوض کرد.',
                    chooseDecision: 'یکی از این تصمیم‌ها را انتخاب کنید.',
                    reviewNote: 'یادداشت (اختیاری)',
                    noteHint:
                        'دلیل، تا ۵۰۰ نویسه؛ همراه هشدار نگه داشته می‌شود.',
                    recordDecision: 'ثبت تصمیم',
                    confirmTitle: 'تقلب در این هشدار تأیید شود؟',
                    confirmQuestion:
                        'امتیازهای نگه‌داشته‌ای که ضبط می‌شود: {points}. کارت‌هایی که مسدود کرده مسدود می‌ماند و تصمیم را نمی‌توان عوض کرد.',
                    said_release: 'هشدار آزاد شد.',
                    said_dismiss: 'هشدار نادرست شناخته و کنار گذاشته شد.',
                    said_confirm: 'تقلب تأیید شد.',
                    decidedAlready:
                        'دربارهٔ این هشدار پیش‌تر تصمیم گرفته شده است؛ همان‌طور که اکنون هست نشان داده می‌شود.',
                    readsOnly:
                        'نقش شما هشدارها را می‌خواند؛ مدیران و پشتیبانی درباره‌شان تصمیم می‌گیرند.',
                    policyInForce: 'سیاست کنونی',
                    policyVersion: 'نسخهٔ {n}.',
                    policyNeverSet: 'هنوز سیاستی تعیین نشده است: چیزی زیر نظر نیست.',
                    policyReadOnly: 'فقط مدیران سیاست را تغییر می‌دهند.',
                    notWatched: 'زیر نظر نیست.',
                    watchedOn: 'هشدار برای {what}.',
                    sumBusy: '{nth} خرید با یک کارت در یک ساعت',
                    sumElsewhere: 'خرید در دو فروشگاه با فاصلهٔ کمتر از {minutes}',
                    sumEither: '{a}، یا {b}',
                    sumList: '{a}، {b}',
                    sumEnrolment: 'خرج امتیاز یا کیف پول تا {hours} پس از عضویت',
                    sumCycling: '{nth} مرجوعی یا ابطال که امتیاز پس بگیرد در {days}',
                    sumSpentBack:
                        'مرجوعی یا ابطالی که دست‌کم {points} خرج‌شدهٔ عضو را پس بگیرد',
                    sumGrant: 'دادن بیش از {points} به دست کارکنان',
                    sumAdjustments: '{nth} تغییر امتیاز به دست یک کاربر کارکنان در یک روز به وقت جهانی',
                    sumClaims: '{nth} رسید ثبت‌شده به نام یک عضو در {hours}',
                    sumFailedClaims: '{nth} بار ثبت ناموفق رسید از سوی یک عضو در {hours}',
                    sumAddressClaims: '{nth} بار ثبت رسید از یک نشانی شبکه در {hours}',
                    sumTillClaims: '{nth} رسید ثبت‌شده از یک صندوق در {hours}',
                    sumOutlier:
                        'صندوقی که در یک ساعت {what} بدهد (ساعت معمول آن بر فروش {days} گذشته سنجیده می‌شود)',
                    sumOutlierPoints:
                        'بیش از {times} برابر امتیاز ساعت معمولش و دست‌کم {points}',
                    sumOutlierCashback:
                        'بیش از {times} برابر کش‌بک ساعت معمولش و دست‌کم {amount}',
                    actionName_flag: 'علامت‌گذاری',
                    actionName_hold: 'نگه‌داشتن',
                    actionName_block: 'مسدود کردن',
                    actionWhy_flag:
                        'هشدار فقط ثبت می‌شود؛ خریدها مثل همیشه امتیاز می‌گیرند.',
                    actionWhy_hold:
                        'امتیازهایی که عضو از همان خرید، مرجوعی یا تغییر به بعد می‌گیرد تا بررسی هشدار نگه داشته می‌شود.',
                    actionWhy_block:
                        'مانند نگه‌داشتن، و کارت‌های عضو هم در صندوق‌ها مسدود می‌شود.',
                    flagOnly:
                        'هشدار یک صندوق امتیاز هیچ عضوی را نگه نمی‌دارد: فقط علامت‌گذاری می‌شود.',
                    changePolicy: 'تغییر سیاست',
                    watch: 'این الگو زیر نظر باشد',
                    about_card_velocity:
                        'کارتی که در یک ساعت برای خریدهای زیادی به کار رود، یا در دو فروشگاه با فاصلهٔ زمانی کم: کارتی که دست‌به‌دست شده یا از آن نسخهٔ تقلبی ساخته‌اند.',
                    about_redemption_after_enrolment:
                        'امتیاز یا کیف پولی که به‌زودی پس از عضویت خرج شود: عضویتی که فقط برای خرج کردن آنچه به آن منتقل شده باز شده است.',
                    about_return_cycling:
                        'کالایی که برای امتیازش خریده و باز پس آورده می‌شود: مرجوعی‌ها و ابطال‌هایی که امتیاز پس می‌گیرند، چند بار در چند روز.',
                    about_spent_points_returned:
                        'کالایی که پس از خرج شدن امتیازش پس آورده می‌شود: مرجوعی یا ابطالی که امتیازهایی را پس می‌گیرد که عضو پیش‌تر خرج کرده است.',
                    about_staff_adjustment:
                        'کارمندی که به دوستانش امتیاز می‌دهد: امتیاز زیادی که کارکنان یک‌جا بدهند، یا تغییرهای بسیار امتیاز به دست یک کاربر در یک روز.',
                    about_claim_harvesting:
                        'کسی که امتیاز رسیدهای بی‌کارت دیگران را برای خود جمع می‌کند: رسیدهای بسیاری که در یک روز به نام یک عضو ثبت شود، ثبت‌های ناموفق بسیار (رسیدهایی که حدس زده شده)، ثبت‌های بسیار از یک نشانی شبکه، یا رسیدهای بسیاری از یک صندوق که ثبت شود.',
                    about_terminal_outlier:
                        'صندوقی که در یک ساعت بسیار بیش از معمولش امتیاز یا کش‌بک بدهد: صندوقداری که امتیاز یا کش‌بک خریدهای دیگران را به کارت خود یا دوستانش می‌زند، یا صندوقی که دستکاری شده است. این الگو را نه خود فروش، که بررسی‌ای هر دقیقه زیر نظر دارد.',
                    onSignal: 'با هر هشدار',
                    purchasesPerHour: 'خرید با یک کارت در یک ساعت',
                    purchasesPerHourHint:
                        '۱ تا ۱٬۰۰۰: خریدی که به این تعداد برسد هشدار می‌دهد.',
                    otherStoreMinutes: 'دقیقه‌های میان دو فروشگاه',
                    otherStoreMinutesHint:
                        '۱ تا ۱٬۴۴۰: خریدی که به ساعت صندوق‌ها کمتر از این چند دقیقه با خرید پیشین همان کارت در فروشگاهی دیگر فاصله داشته باشد هشدار می‌دهد. این عدد، تعداد خریدها یا هر دو را بدهید.',
                    withinHours: 'ساعت‌های پس از عضویت',
                    withinHoursHint:
                        '۱ تا ۸٬۷۸۴ (یک سال): خریدی که تا این چند ساعت پس از عضویت بخشی از آن با امتیاز یا کیف پول پرداخت شود هشدار می‌دهد، برای هر عضو یک بار.',
                    returns: 'مرجوعی یا ابطالی که امتیاز پس بگیرد',
                    returnsHint:
                        '۱ تا ۱٬۰۰۰: مرجوعی یا ابطالی که شمار آن‌ها را در این چند روز به این عدد برساند هشدار می‌دهد، برای هر عضو روزی یک بار.',
                    returnDays: 'در چند روز',
                    returnDaysHint:
                        '۱ تا ۳۶۶: روزهایی که مرجوعی‌ها و ابطال‌ها در آن شمرده می‌شوند، تا همان مرجوعی.',
                    pointsMin: 'امتیازهای خرج‌شده',
                    pointsMinHint:
                        '۱ تا ۱٬۰۰۰٬۰۰۰٬۰۰۰: مرجوعی یا ابطالی که دست‌کم این تعداد از امتیازهایی را که عضو پیش‌تر خرج کرده پس بگیرد (از دیگر امتیازهایش کسر شود یا از دست برود) هشدار می‌دهد.',
                    pointsOver: 'امتیاز در یک بار دادن',
                    pointsOverHint:
                        '۱ تا ۱٬۰۰۰٬۰۰۰٬۰۰۰: دادن بیش از این تعداد امتیاز به دست کارکنان هشدار می‌دهد.',
                    perUserPerDay: 'تغییرهای امتیاز یک کاربر در روز',
                    perUserPerDayHint:
                        '۱ تا ۱۰٬۰۰۰: تغییری که شمار تغییرهای یک کاربر کارکنان را در یک روز (به وقت جهانی) به این عدد برساند هشدار می‌دهد، برای هر کاربر روزی یک بار. این عدد، امتیاز یک بار دادن یا هر دو را بدهید.',
                    claimsPerMember: 'رسیدهای ثبت‌شده به نام یک عضو در ۲۴ ساعت',
                    claimsPerMemberHint:
                        '۱ تا ۱٬۰۰۰٬۰۰۰، یا خالی (زیر نظر نیست): ثبتی که شمار رسیدهای ثبت‌شده به نام یک عضو (در درگاه یا به دست کارکنان) را در ۲۴ ساعت به این عدد برساند هشدار می‌دهد، برای هر عضو روزی (به وقت جهانی) یک بار.',
                    failedPerMember: 'ثبت‌های ناموفق یک عضو در ۲۴ ساعت',
                    failedPerMemberHint:
                        '۱ تا ۱٬۰۰۰٬۰۰۰، یا خالی (زیر نظر نیست): ثبت ناموفقی در درگاه (رسید ناشناخته، مبلغ نادرست، رسیدی که پیش‌تر به نام دیگری ثبت شده، یا گذشتن مهلت) که شمار ثبت‌های ناموفق یک عضو را در ۲۴ ساعت به این عدد برساند هشدار می‌دهد، برای هر عضو روزی یک بار. درگاه خودش پس از ۵ ثبت ناموفق در یک روز دیگر ثبتی از عضو نمی‌پذیرد، پس عددی تا ۵ به کار می‌آید.',
                    claimsPerAddress: 'ثبت‌های رسید از یک نشانی شبکه در ۲۴ ساعت',
                    claimsPerAddressHint:
                        '۱ تا ۱٬۰۰۰٬۰۰۰، یا خالی (زیر نظر نیست): ثبت رسیدی در درگاه، موفق یا ناموفق، که شمار ثبت‌های یک نشانی شبکه را در ۲۴ ساعت به این عدد برساند هشدار می‌دهد، برای هر نشانی روزی یک بار. پشت یک پراکسی همهٔ ثبت‌ها از نشانی همان پراکسی می‌آید: آنجا این را خالی بگذارید.',
                    claimsPerTerminal: 'رسیدهای ثبت‌شدهٔ یک صندوق در ۲۴ ساعت',
                    claimsPerTerminalHint:
                        '۱ تا ۱٬۰۰۰٬۰۰۰، یا خالی (زیر نظر نیست): ثبتی که شمار رسیدهای ثبت‌شدهٔ یک صندوق (فروشگاه و صندوق) را در ۲۴ ساعت به این عدد برساند هشدار می‌دهد، برای هر صندوق روزی یک بار. دست‌کم یکی از این چهار عدد را بدهید.',
                    timesUsual: 'چند برابر ساعت معمول',
                    timesUsualHint:
                        '۲ تا ۱٬۰۰۰: صندوقی که امتیاز (یا کش‌بکی) که در یک ساعت داده بیش از این چند برابر ساعت معمولش باشد هشدار می‌دهد. بررسی هر دقیقه ۶۰ دقیقهٔ گذشته را می‌خواند و برای هر صندوق در هر ساعت (به وقت جهانی) یک بار هشدار می‌دهد.',
                    outlierPointsMin: 'کمترین امتیاز در یک ساعت',
                    outlierPointsMinHint:
                        '۱ تا ۱٬۰۰۰٬۰۰۰٬۰۰۰، یا خالی (امتیاز زیر نظر نیست): صندوق فقط وقتی هشدار می‌دهد که در یک ساعت دست‌کم این تعداد امتیاز داده باشد، سابقه‌اش هر چه باشد؛ صندوق تازه‌ای که سابقه ندارد فقط با همین عدد سنجیده می‌شود.',
                    outlierCashbackMin: 'کمترین کش‌بک در یک ساعت',
                    outlierCashbackMinHint:
                        '{least} تا {most}، یا خالی (کش‌بک زیر نظر نیست): صندوق فقط وقتی هشدار می‌دهد که در یک ساعت دست‌کم این مبلغ کش‌بک داده باشد، سابقه‌اش هر چه باشد؛ صندوق تازه فقط با همین مبلغ سنجیده می‌شود. این مبلغ، کمترین امتیاز یا هر دو را بدهید.',
                    historyDays: 'روزهای سابقه',
                    historyDaysHint:
                        '۱ تا ۹۰، یا خالی (۲۸): روزهای پیش از آن ساعت که ساعت معمول صندوق بر آن‌ها سنجیده می‌شود: میانگین آنچه در هر ساعتِ دارای فروش داده است.',
                    othersKept:
                        'الگوهایی که این صفحه هنوز ویرایششان نمی‌کند ({names}) با ذخیرهٔ سیاست همان‌طور که هستند می‌مانند.',
                    savePolicy: 'ذخیرهٔ سیاست',
                    policySaved:
                        'سیاست با نسخهٔ {n} ذخیره شد؛ کارهای بعدی صندوق‌ها و بررسی بعدی صندوق‌ها از آن پیروی می‌کنند.',
                },
            en:
                {
                    fraudScreens: 'Fraud signals screens',
                    queueTitle: 'Review queue',
                    policyTitle: 'Fraud policy',
                    notFound: 'This section has no such page.',
                    kind_card_velocity: 'Card velocity',
                    kind_redemption_after_enrolment: 'Spending soon after joining',
                    kind_return_cycling: 'Earn, then return',
                    kind_spent_points_returned: 'Spent points returned',
                    kind_staff_adjustment: 'Staff adjustments',
                    kind_claim_harvesting: 'Receipt-claim harvesting',
                    kind_terminal_outlier: 'Till far above its usual',
                    kind_trigger: 'Trigger',
                    state_open: 'open',
                    state_released: 'released',
                    state_confirmed: 'fraud confirmed',
                    state_dismissed: 'dismissed',
                    anyState: 'any state',
                    anyKind: 'any pattern',
                    taken_flag: 'flagged only',
                    taken_hold: 'points held',
                    taken_block: 'cards blocked, points held',
                    filters: 'Filters',
                    state: 'State',
                    pattern: 'Pattern',
                    signal: 'Signal',
                    member: 'Member',
                    raised: 'Raised',
                    actionTaken: 'Action taken',
                    noSignals: 'No signal matches these filters.',
                    olderSignals: 'Older signals',
                    timesIn: 'Times on the programme\'s clock:',
                    signalTitle: 'Signal {id}: {kind}',
                    noSuchSignal: 'There is no such signal.',
                    backToQueue: 'Back to the review queue',
                    pointsHeld: 'Points held now',
                    blockedCards: 'Cards it blocked',
                    none: 'none',
                    pointsForfeited: 'Points forfeited',
                    decision: 'Decision',
                    decidedBy: '{state} by {who}, {when}',
                    note: 'Note',
                    evidence: 'Evidence',
                    evPurchase: 'Purchase {purchase} at {store} with card {card}, {time} by the till\'s clock.',
                    evBusy: '{nth} purchase with card {card} within an hour (threshold {limit}).',
                    evAfter:
                        'Bought at {store} {minutes} after a purchase at {other} (the policy watches under {limit}).',
                    evBefore:
                        'Bought at {store} {minutes} before a purchase at {other} (the policy watches under {limit}).',
                    evSameMinute:
                        'Bought at {store} in the same minute as a purchase at {other} (the policy watches under {limit}).',
                    evEnrolment: 'Purchase {purchase}, paid partly with points or cashback; joined {time}.',
                    evSpent: '{spent} spent {after} after joining (the policy watches the first {within}).',
                    evReturned: 'Return {return} of purchase {purchase} took back {points}.',
                    evVoided: 'Void {return} of purchase {purchase} took back {points}.',
                    evCycling: '{nth} return or void taking points back within {days} (threshold {limit}).',
                    evSpentBack: 'Of those, the member had spent {spent} already (threshold {limit}).',
                    evGrant: '{staff} granted {points} (limit {limit}).',
                    evAdjustments: '{nth} points adjustment by {staff} in one UTC day (threshold {limit}): {change}.',
                    adjGranted: '{points} granted',
                    adjTaken: '{points} taken away',
                    evClaimed: 'Claimed purchase {purchase} at {store} / {terminal}.',
                    evClaimedPurchase: 'Claimed purchase {purchase}.',
                    evClaimsMember: '{nth} receipt claimed for this member within {hours} (threshold {limit}).',
                    evClaimsFailed: '{nth} failed claim by this member within {hours} (threshold {limit}).',
                    evClaimsAddress:
                        '{nth} claim from one network address (digest {digest}) within {hours} (threshold {limit}).',
                    evClaimsTill:
                        '{nth} receipt of till {store} / {terminal} claimed within {hours} (threshold {limit}).',
                    evOutlierHour: 'Till {store} / {terminal} gave {given} in {purchases} between {from} and {until}.',
                    evOutlierUsual:
                        'Its usual hour gives {usual} (over {hours} of sales in the last {days}); the signal is above {times} times that and at least {min}.',
                    evOutlierNew: 'It has no sales in the last {days} to compare with; {min} is signalled.',
                    orMore: '{amount} or more',
                    evTrigger: 'The trigger “{trigger}” fired for the window {window}.',
                    evTriggerLapse: 'The trigger “{trigger}” fired for the lapse after a purchase of {window}.',
                    minutesOne: '{n} minute',
                    minutesMany: '{n} minutes',
                    hoursOne: '{n} hour',
                    hoursMany: '{n} hours',
                    daysOne: '{n} day',
                    daysMany: '{n} days',
                    pointsOne: '{n} point',
                    pointsMany: '{n} points',
                    purchasesOne: '{n} purchase',
                    purchasesMany: '{n} purchases',
                    cashback: '{amount} of cashback',
                    cashbackGiven: '{amount} of cashback',
                    reviewTitle: 'Review this signal',
                    decisionName_release: 'Release',
                    decisionName_dismiss: 'Dismiss',
                    decisionName_confirm: 'Confirm fraud',
                    decisionWhy_release:
                        'the activity was real. The points it holds become the member\'s, and the cards it blocked are unblocked.',
                    decisionWhy_dismiss:
                        'a false alarm. As with release, the points it holds become the member\'s and the cards it blocked are unblocked.',
                    decisionWhy_confirm:
                        'the fraud is real. The points it holds are forfeited, and the cards it blocked stay blocked.',
                    decisionWhyNone_release:
                        'the activity was real. This signal holds no points and blocked no cards; it is closed.',
                    decisionWhyNone_dismiss:
                        'a false alarm. This signal holds no points and blocked no cards; it is closed.',
                    decisionWhyNone_confirm:
                        'the fraud is real. This signal holds no points and blocked no cards: look into the till\'s purchases yourself.',
                    confirmQuestionNone:
                        'This signal holds no points and blocked no cards. A decision cannot be changed.',
                    chooseDecision: 'Choose one of these decisions.',
                    reviewNote: 'Note (optional)',
                    noteHint: 'Why, in up to 500 characters; kept with the signal.',
                    recordDecision: 'Record the decision',
                    confirmTitle: 'Confirm fraud on this signal?',
                    confirmQuestion:
                        'Points it holds now, to be forfeited: {points}. The cards it blocked stay blocked, and a decision cannot be changed.',
                    said_release: 'The signal is released.',
                    said_dismiss: 'The signal is dismissed as a false alarm.',
                    said_confirm: 'The fraud is confirmed.',
                    decidedAlready: 'This signal was decided already: it is shown as it is now.',
                    readsOnly: 'Your role reads signals; admins and support staff decide them.',
                    policyInForce: 'The policy in force',
                    policyVersion: 'Version {n}.',
                    policyNeverSet: 'No policy was set yet: nothing is watched.',
                    policyReadOnly: 'Only admins change the policy.',
                    notWatched: 'Not watched.',
                    watchedOn: 'A signal on {what}.',
                    sumBusy: 'the {nth} purchase with one card within an hour',
                    sumElsewhere: 'purchases at two stores less than {minutes} apart',
                    sumEither: '{a}, or {b}',
                    sumList: '{a}, {b}',
                    sumEnrolment: 'points or cashback spent within {hours} of joining',
                    sumCycling: 'the {nth} return or void taking points back within {days}',
                    sumSpentBack: 'a return or void taking back {points} or more the member had already spent',
                    sumGrant: 'a staff grant of more than {points}',
                    sumAdjustments: 'a staff user\'s {nth} points adjustment in one UTC day',
                    sumClaims: 'the {nth} receipt claimed for one member within {hours}',
                    sumFailedClaims: 'a member\'s {nth} failed claim within {hours}',
                    sumAddressClaims: 'the {nth} claim from one network address within {hours}',
                    sumTillClaims: 'the {nth} claimed receipt of one till within {hours}',
                    sumOutlier:
                        'a till giving within an hour {what} (its usual hour measured over its sales in the last {days})',
                    sumOutlierPoints: 'more than {times} times its usual hour\'s points and at least {points}',
                    sumOutlierCashback: 'more than {times} times its usual hour\'s cashback and at least {amount}',
                    actionName_flag: 'Flag',
                    actionName_hold: 'Hold',
                    actionName_block: 'Block',
                    actionWhy_flag: 'the signal is only recorded; the purchases earn as ever.',
                    actionWhy_hold:
                        'the member\'s points from that purchase, return or adjustment on wait until staff review the signal.',
                    actionWhy_block: 'as hold, and the member\'s cards are blocked at the tills too.',
                    flagOnly: 'A till\'s signal holds no member\'s points: it is only flagged.',
                    changePolicy: 'Change the policy',
                    watch: 'Watch this pattern',
                    about_card_velocity:
                        'A card used for many purchases within an hour, or at two stores too close together in time: a card passed around or cloned.',
                    about_redemption_after_enrolment:
                        'Points or cashback spent soon after joining: a membership opened only to spend what was moved onto it.',
                    about_return_cycling:
                        'Goods bought for the points and brought back, again and again: returns and voids that take points back, many within a few days.',
                    about_spent_points_returned:
                        'Goods brought back once the points they earned were spent: a return or void taking back points the member had spent already.',
                    about_staff_adjustment:
                        'A clerk granting points to friends: a large grant of points by staff, or many adjustments by one staff user in a day.',
                    about_claim_harvesting: 'Someone gathering the points of receipts others shopped without a card: many anonymous receipts claimed for one member in a day, many failed claims (receipts guessed), many claims from one network address, or many receipts of one till claimed.',
                    about_terminal_outlier:
                        'A till giving far more points or cashback within an hour than it usually does: a clerk putting other shoppers\' points or cashback on their own or friends\' cards, or a till tampered with. A scan watches it every minute, not the sale itself.',
                    onSignal: 'On a signal',
                    purchasesPerHour: 'Purchases with one card within an hour',
                    purchasesPerHourHint: '1 to 1,000: the purchase that reaches it raises the signal.',
                    otherStoreMinutes: 'Minutes between two stores',
                    otherStoreMinutesHint:
                        '1 to 1,440: a purchase less than this many minutes, by the tills\' clocks, from the card\'s previous one at another store raises the signal. Give this, the number of purchases, or both.',
                    withinHours: 'Hours after joining',
                    withinHoursHint:
                        '1 to 8,784 (a year): a purchase paid partly with points or cashback within this many hours of joining raises the signal, once per member.',
                    returns: 'Returns or voids taking points back',
                    returnsHint:
                        '1 to 1,000: the return or void that brings them to this many within the days raises the signal, once per member and day.',
                    returnDays: 'Over how many days',
                    returnDaysHint:
                        '1 to 366: the days the returns and voids are counted over, up to the one just made.',
                    pointsMin: 'Points already spent',
                    pointsMinHint:
                        '1 to 1,000,000,000: a return or void taking back at least this many points the member had spent already (charged to their other points, or lost) raises the signal.',
                    pointsOver: 'Points in one grant',
                    pointsOverHint:
                        '1 to 1,000,000,000: a grant of more than this many points by staff raises the signal.',
                    perUserPerDay: 'Adjustments by one staff user a day',
                    perUserPerDayHint:
                        '1 to 10,000: the adjustment that brings a staff user\'s adjustments of one UTC day to this many raises the signal, once per user and day. Give this, the points in one grant, or both.',
                    claimsPerMember: 'Receipts claimed for one member in 24 hours',
                    claimsPerMemberHint:
                        '1 to 1,000,000, or empty (not watched): the claim that brings the receipts credited to one member by claims, in the portal or by staff, to this many within 24 hours raises the signal, once per member and UTC day.',
                    failedPerMember: 'Failed claims by one member in 24 hours',
                    failedPerMemberHint:
                        '1 to 1,000,000, or empty (not watched): the failed portal claim (unknown receipt, wrong total, credited to someone else, too late) that brings a member\'s to this many within 24 hours raises the signal, once per member and UTC day. The portal itself refuses her claims after 5 failures a day, so a useful number is 5 or less.',
                    claimsPerAddress: 'Claims from one network address in 24 hours',
                    claimsPerAddressHint:
                        '1 to 1,000,000, or empty (not watched): the portal claim, credited or failed, that brings those from one network address to this many within 24 hours raises the signal, once per address and UTC day. Behind a proxy every claim comes from the proxy\'s address: leave this empty there.',
                    claimsPerTerminal: 'Claimed receipts of one till in 24 hours',
                    claimsPerTerminalHint:
                        '1 to 1,000,000, or empty (not watched): the claim that brings the claimed receipts of one till (store and terminal) to this many within 24 hours raises the signal, once per till and UTC day. Give at least one of these four numbers.',
                    timesUsual: 'Times its usual hour',
                    timesUsualHint:
                        '2 to 1,000: a till whose points (or cashback) given within an hour are more than this many times its usual hour raises the signal. A scan reads the last 60 minutes every minute, and signals a till at most once per UTC hour.',
                    outlierPointsMin: 'Least points in an hour',
                    outlierPointsMinHint:
                        '1 to 1,000,000,000, or empty (points not watched): a till is signalled only once it gives at least this many points within an hour, whatever its history; a new till, with none, is measured by this alone.',
                    outlierCashbackMin: 'Least cashback in an hour',
                    outlierCashbackMinHint:
                        '{least} to {most}, or empty (cashback not watched): a till is signalled only once it gives at least this much cashback within an hour, whatever its history; a new till is measured by this alone. Give this, the least points, or both.',
                    historyDays: 'Days of history',
                    historyDaysHint:
                        '1 to 90, or empty (28): the days before the hour that the till\'s usual hour is measured over: what it gave per hour in which it sold anything.',
                    othersKept:
                        'Patterns this page does not edit yet ({names}) are kept as they are when the policy is saved.',
                    savePolicy: 'Save the policy',
                    policySaved:
                        'The policy is saved as version {n}; the tills\' next operations and the next scan of tills follow it.',
                },
        } as const;

export type WordKey = keyof(typeof words)['en']|SharedWordKey;

export const word = wordsWith(words);

// Words with their {blanks} filled in.
export function fill(text: string, values: Record<string, string>): string {
    return text.replace(/\{(\w+)\}/g, (blank, name: string) => values[name] ?? blank);
}

// "1 minute", "5 minutes": the words for one or for more, with the number in the page's digits.
export function counted(language: Language, n: number, one: WordKey, many: WordKey): string {
    return fill(word(language, n === 1 ? one : many), {n: formatNumber(language, n)});
}

// Minutes as a person says them: "45 minutes", "3 hours", "2 hours and 5 minutes".
export function duration(language: Language, minutes: number): string {
    const inMinutes = (n: number) => counted(language, n, 'minutesOne', 'minutesMany');
    if (minutes < 60) return inMinutes(minutes);
    const hours = counted(language, Math.floor(minutes / 60), 'hoursOne', 'hoursMany');
    return minutes % 60 === 0 ? hours : formatList(language, [hours, inMinutes(minutes % 60)]);
}

const ordinalEndings: Record<string, string> = {
    one: 'st',
    two: 'nd',
    few: 'rd',
    other: 'th'
};

// Which purchase of the hour: "3rd" in English; in Persian the number alone, which its words count.
export function nth(language: Language, n: number): string {
    if (language === 'fa') return formatNumber(language, n);
    return `${formatNumber(language, n)}${ordinalEndings[new Intl.PluralRules('en-GB', {type: 'ordinal'}).select(n)]}`;
}
