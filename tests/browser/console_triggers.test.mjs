// A marketer sets the programme's triggers in the console, in a real Chromium against a real
// patrond: "Third visit this month" made through the form (not the API), its Persian words first
// left out and the API's problem shown beside that field; listed with its condition and action in
// words; three purchases at the till fire it once, which the list counts and its page shows among
// its latest firings; changed in the form, paused, resumed and ended (ending asks first, and an
// ended trigger has no controls left). "3rd visit this month" is made in the form to add her to the
// segment Regulars for 30 days, the form offering only the segments with the condition "added by a
// trigger". The list, a trigger's page, the form refused and the question before ending read right
// to left in Persian with Jalali dates and Persian digits; every screen passes axe-core and is
// photographed in both languages at 1280, 768 and 360 px.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  askedFirst,
  baseUrl,
  check,
  demo,
  expectStaff,
  launch,
  openConsole as consolePage,
  pos,
  problemOf,
  purchase,
  signInToConsole,
} from "./patron.mjs";

const home = `${baseUrl}/console/`;
const marketer = { email: "triggers.marketer@console.example", password: "a long marketer password", role: "marketer" };
const words = {
  en: "Third visit this month: thank you!",
  fa: "سومین خرید این ماه: ممنونیم!",
};
let browser;
let campaign;
let third; // The trigger made through the form: its id.

before(async () => {
  await expectStaff("POST", "/v1/staff/users", { ...marketer, name: "Triggers marketer" }, 201);
  // A published coupon campaign, which a coupon action offers by its name.
  campaign = await expectStaff("POST", "/v1/coupon-campaigns", { name: "Welcome back", type: "percent_off_basket", percent: 10 }, 201);
  await expectStaff("POST", `/v1/coupon-campaigns/${campaign.id}/publish`, undefined, 200);
  // A segment a trigger may add members to, which a segment action offers by its name, and one it
  // may not (no "added_by_trigger"), which it does not offer.
  await expectStaff("POST", "/v1/segments", { code: "regulars", name: "Regulars", conditions: { added_by_trigger: true } }, 201);
  await expectStaff("POST", "/v1/segments", {
    code: "big_spenders",
    name: "Big spenders",
    conditions: { spend: { days: 30, min: 10000000 } },
  }, 201);
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function openConsole(width, language, path = "") {
  const { context, page, problems } = await consolePage(browser, width, language, path);
  await signInToConsole(page, language, marketer);
  return { context, page, problems };
}


// The browser logs a refused request (422) as a failed resource: expected.
const refusedRequests = (problems) => problems.filter((logged) => !/status of 422/.test(logged));

const stateOf = async (id) => (await expectStaff("GET", `/v1/triggers/${id}`, undefined, 200)).state;

// The trigger once it has fired: triggers are decided every few seconds, after the outbox.
async function firedOnce(id) {
  for (let tries = 0; tries < 90; ++tries) {
    const found = await expectStaff("GET", `/v1/triggers/${id}`, undefined, 200);
    if (found.firings.total > 0) return found;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`trigger ${id} did not fire within 45 s`);
}

const jalaliMonths = /فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند/;

test("a trigger made in the form fires at the till, is listed in words, changed, paused, resumed and ended", async () => {
  const { context, page, problems } = await openConsole(1280, "en", "configure/rules");
  await page.getByRole("link", { name: "Triggers", exact: true }).click();
  await page.waitForURL(`${home}configure/triggers`);
  await page.getByText("There is no trigger yet.").waitFor();
  await check(page, "triggers-empty-en-1280", problems);

  // The Persian words left out: the API's problem is shown beside their field.
  await page.getByRole("link", { name: "New trigger" }).click();
  await page.waitForURL(`${home}configure/triggers/new`);
  await page.getByLabel("Trigger name").fill("Third visit this month");
  assert.equal(await page.getByLabel("Condition kind").inputValue(), "visits");
  assert.equal(await page.getByLabel("Window", { exact: true }).inputValue(), "month");
  assert.equal(await page.getByLabel("Action kind").inputValue(), "message");
  await page.getByLabel("At least", { exact: true }).fill("3");
  await page.getByLabel("Message in English").fill(words.en);
  await check(page, "triggers-new-en-1280", problems);
  await page.getByRole("button", { name: "Save the trigger" }).click();
  const persian = page.getByLabel("Message in Persian");
  await persian.and(page.locator("[aria-invalid=true]")).waitFor();
  assert.match(await problemOf(persian), /required/);
  assert.equal(await page.getByLabel("Message in English").getAttribute("aria-invalid"), null);
  assert.match(await page.getByRole("alert").textContent(), /Message in Persian/);
  assert.equal((await expectStaff("GET", "/v1/triggers", undefined, 200)).triggers.length, 0);
  await check(page, "triggers-form-refused-en-1280", refusedRequests(problems));
  problems.length = 0;

  await persian.fill(words.fa);
  assert.equal(await persian.getAttribute("dir"), "rtl");
  await page.getByRole("button", { name: "Save the trigger" }).click();
  await page.waitForURL(/configure\/triggers\/\d+$/);
  third = Number(page.url().split("/").pop());
  await page.getByRole("status").filter({ hasText: "The trigger is saved." }).waitFor();
  const made = await expectStaff("GET", `/v1/triggers/${third}`, undefined, 200);
  assert.equal(made.name, "Third visit this month");
  assert.equal(made.state, "active");
  assert.deepEqual(made.condition, { kind: "visits", at_least: 3, period: "month" });
  assert.deepEqual(made.action, { kind: "message", text: words });

  // Three visits at the till on Sara's card this month: it fires for her, once.
  for (const receipt of ["TRIGGER-1", "TRIGGER-2", "TRIGGER-3"]) {
    const sold = await pos("POST", "/v1/pos/purchases", purchase(receipt, demo.members[0].card, 100000));
    assert.equal(sold.status, 201, JSON.stringify(sold.body));
  }
  const fired = await firedOnce(third);
  assert.equal(fired.firings.total, 1, JSON.stringify(fired.firings));
  assert.equal(fired.firings.recent[0].member_id, demo.members[0].id);
  assert.equal(fired.firings.recent[0].outcome, "queued");

  // Listed with its condition and action in words and how often it fired.
  await page.getByRole("link", { name: "All triggers" }).click();
  await page.waitForURL(`${home}configure/triggers`);
  const row = page.getByTestId("triggers").locator("tbody tr", { hasText: "Third visit this month" });
  await row.waitFor();
  const cells = (await row.locator("td").allTextContents()).map((cell) => cell.trim());
  assert.deepEqual(cells.slice(0, 6), [
    "Third visit this month",
    "active",
    "At least 3 visits in the calendar month",
    `Message: “${words.en}”`,
    "1",
    "1",
  ]);
  assert.match(cells[6], /^\d{1,2} \w+ \d{4} \d{2}:\d{2}$/, cells[6]);
  await check(page, "triggers-en-1280", problems);

  // Opened: its latest firing, and its form with what was saved.
  await row.getByRole("link", { name: "Third visit this month" }).click();
  await page.waitForURL(`${home}configure/triggers/${third}`);
  const firing = page.getByTestId("firings").locator("tbody tr");
  await firing.first().waitFor();
  assert.equal(await firing.count(), 1);
  const firingCells = (await firing.first().locator("td").allTextContents()).map((cell) => cell.trim());
  assert.equal(firingCells[0], String(demo.members[0].id));
  assert.match(firingCells[1], /^from 1 \w+ \d{4}$/, firingCells[1]);
  assert.equal(firingCells[2], String(made.version));
  assert.equal(firingCells[3], "message queued");
  assert.match(firingCells[4], /^\d{1,2} \w+ \d{4} \d{2}:\d{2}$/, firingCells[4]);
  assert.match(await page.getByTestId("trigger-summary").textContent(), /1 in all, 1 in the last 30 days/);
  assert.equal(await page.getByLabel("At least", { exact: true }).inputValue(), "3");
  assert.equal(await page.getByLabel("Message in Persian").inputValue(), words.fa);
  await check(page, "trigger-en-1280", problems);

  // Changed in the form: the Jalali month instead of the calendar's, as a new version.
  await page.getByLabel("Window", { exact: true }).selectOption("jalali_month");
  await page.getByRole("button", { name: "Save the trigger" }).click();
  await page.getByTestId("trigger-summary").filter({ hasText: "At least 3 visits in the Jalali month" }).waitFor();
  const changed = await expectStaff("GET", `/v1/triggers/${third}`, undefined, 200);
  assert.deepEqual(changed.condition, { kind: "visits", at_least: 3, period: "jalali_month" });
  assert.equal(changed.version, made.version + 1);
  assert.equal(changed.firings.total, 1);

  // Paused and resumed by its buttons.
  await page.getByRole("button", { name: "Pause", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "The trigger is paused." }).waitFor();
  assert.equal(await stateOf(third), "paused");
  assert.match(await page.locator("#trigger-title").textContent(), /\(paused\)/);
  assert.equal(await page.getByLabel("State", { exact: true }).inputValue(), "paused");
  await check(page, "trigger-paused-en-1280", problems);
  await page.getByRole("button", { name: "Resume", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "The trigger is active again." }).waitFor();
  assert.equal(await stateOf(third), "active");
  assert.match(await page.locator("#trigger-title").textContent(), /\(active\)/);

  // Ended only after a yes: Escape leaves it active; ended, nothing can change it any more.
  const end = page.getByRole("button", { name: "End the trigger" });
  const ending = await askedFirst(page, end, "End this trigger?", "trigger-end-asked-en-1280", problems);
  assert.equal(await stateOf(third), "active");
  await end.click();
  await ending.getByRole("button", { name: "End the trigger" }).click();
  await page.getByRole("status").filter({ hasText: "The trigger has ended." }).waitFor();
  assert.equal(await stateOf(third), "ended");
  assert.match(await page.locator("#trigger-title").textContent(), /\(ended\)/);
  for (const button of ["Save the trigger", "Pause", "Resume", "End the trigger"]) {
    assert.equal(await page.getByRole("button", { name: button, exact: true }).count(), 0, button);
  }
  assert.ok(await page.getByLabel("Trigger name").isDisabled());
  await page.getByTestId("firings").waitFor();
  await check(page, "trigger-ended-en-1280", problems);

  await page.getByRole("link", { name: "All triggers" }).click();
  await page.getByTestId("triggers").locator("tbody tr", { hasText: "Third visit this month" }).filter({ hasText: "ended" }).waitFor();

  // A segment action: only Regulars is offered (Big spenders lacks "added by a trigger"), for 30 days.
  await page.getByRole("link", { name: "New trigger" }).click();
  await page.waitForURL(`${home}configure/triggers/new`);
  await page.getByLabel("Trigger name").fill("3rd visit this month");
  await page.getByLabel("At least", { exact: true }).fill("3");
  await page.getByLabel("Action kind").selectOption("segment");
  const segment = page.getByLabel("Segment", { exact: true });
  await segment.locator("option", { hasText: "Regulars" }).waitFor({ state: "attached" });
  assert.deepEqual(await segment.locator("option").allTextContents(), ["–", "Regulars"]);
  await segment.selectOption({ label: "Regulars" });
  await page.getByLabel("Days in the segment").fill("30");
  await check(page, "triggers-segment-new-en-1280", problems);
  await page.getByRole("button", { name: "Save the trigger" }).click();
  await page.waitForURL(/configure\/triggers\/\d+$/);
  await page.getByRole("status").filter({ hasText: "The trigger is saved." }).waitFor();
  const regulars = (await expectStaff("GET", "/v1/triggers", undefined, 200)).triggers.find(
    (listed) => listed.name === "3rd visit this month",
  );
  assert.ok(regulars, "the segment trigger is listed");
  assert.equal(Number(page.url().split("/").pop()), regulars.id);
  assert.deepEqual(regulars.condition, { kind: "visits", at_least: 3, period: "month" });
  assert.deepEqual(regulars.action, { kind: "segment", segment: "regulars", days: 30 });
  await page.getByTestId("trigger-summary").filter({ hasText: "Added to the segment “Regulars” for 30 days" }).waitFor();
  assert.equal(await page.getByLabel("Segment", { exact: true }).inputValue(), "regulars");
  assert.equal(await page.getByLabel("Days in the segment").inputValue(), "30");
  await check(page, "triggers-segment-en-1280", problems);
  await context.close();
});

test("the triggers' screens read in Persian right to left with Jalali dates, and every width fits", async () => {
  // Triggers of every kind, made through the API, to be read in words.
  const spender = await expectStaff("POST", "/v1/triggers", {
    name: "Big spender",
    condition: { kind: "spend", at_least: 10000000, days: 30 },
    action: { kind: "bonus_points", points: 250 },
  }, 201);
  await expectStaff("POST", "/v1/triggers", {
    name: "Win back",
    condition: { kind: "no_purchase", days: 45 },
    action: { kind: "coupon", campaign_id: campaign.id },
  }, 201);
  await expectStaff("POST", "/v1/triggers", {
    name: "Returns watch",
    state: "paused",
    condition: { kind: "returns", at_least: 3, period: "week" },
    action: { kind: "message", text: { en: "Is anything wrong? Tell us.", fa: "مشکلی پیش آمده؟ به ما بگویید." } },
  }, 201);
  await expectStaff("POST", "/v1/triggers", {
    name: "Club birthday",
    condition: { kind: "anniversary", years: [1, 5] },
    action: { kind: "bonus_points", points: 500 },
  }, 201);
  const expected = {
    en: [
      ["Third visit this month", "ended", "At least 3 visits in the Jalali month"],
      ["3rd visit this month", "active", "At least 3 visits in the calendar month", "Added to the segment “Regulars” for 30 days"],
      ["Big spender", "active", /^Spent at least 10,000,000\sIRR in the last 30 days$/, "250 bonus points"],
      ["Win back", "active", "No purchase for 45 days", "A coupon code of “Welcome back”"],
      ["Returns watch", "paused", "At least 3 returns in the calendar week (from Monday)", "Message: “Is anything wrong? Tell us.”"],
      ["Club birthday", "active", "On the membership anniversary of 1, 5 years", "500 bonus points"],
    ],
    fa: [
      ["Third visit this month", "پایان‌یافته", "دست‌کم ۳ بار خرید در ماه شمسی"],
      ["3rd visit this month", "فعال", "دست‌کم ۳ بار خرید در ماه میلادی", "افزودن به بخش مشتریان «Regulars» برای ۳۰ روز"],
      ["Big spender", "فعال", /^خرید دست‌کم ۱۰٬۰۰۰٬۰۰۰\sریال در ۳۰ روز اخیر$/, "۲۵۰ امتیاز هدیه"],
      ["Win back", "فعال", "۴۵ روز بدون خرید", "کد کوپن از «Welcome back»"],
      ["Returns watch", "متوقف", "دست‌کم ۳ مرجوعی در هفتهٔ تقویمی (از دوشنبه)", "پیام: «مشکلی پیش آمده؟ به ما بگویید.»"],
      ["Club birthday", "فعال", "در سالگرد ۱، ۵ سال عضویت", "۵۰۰ امتیاز هدیه"],
    ],
  };

  for (const [language, width] of [["fa", 1280], ["fa", 768], ["fa", 360], ["en", 768], ["en", 360]]) {
    const { context, page, problems } = await openConsole(width, language, "configure/triggers");
    const rows = page.getByTestId("triggers").locator("tbody tr");
    await rows.nth(5).waitFor();
    if (language === "fa") assert.equal(await page.getAttribute("html", "dir"), "rtl");
    for (const [index, want] of expected[language].entries()) {
      const cells = (await rows.nth(index).locator("td").allTextContents()).map((cell) => cell.trim());
      want.forEach((text, at) => {
        if (text instanceof RegExp) assert.match(cells[at], text, cells[at]);
        else assert.equal(cells[at], text);
      });
    }
    // How often the first fired, and when last, in the page's digits and calendar.
    const fired = (await rows.nth(0).locator("td").allTextContents()).map((cell) => cell.trim());
    if (language === "fa") {
      assert.deepEqual(fired.slice(4, 6), ["۱", "۱"]);
      assert.match(fired[6], jalaliMonths, fired[6]);
      assert.match(fired[6], /^[۰-۹]{1,2} \S+ [۰-۹]{4} [۰-۹]{2}:[۰-۹]{2}$/, fired[6]);
    } else {
      assert.deepEqual(fired.slice(4, 6), ["1", "1"]);
    }
    await page.waitForLoadState("networkidle");
    await check(page, `triggers-${language}-${width}`, problems);

    // The ended trigger's page: its firings, its form shut.
    await rows.nth(0).getByRole("link").click();
    await page.waitForURL(`${home}configure/triggers/${third}`);
    await page.getByTestId("firings").locator("tbody tr").first().waitFor();
    const firing = (await page.getByTestId("firings").locator("tbody tr").first().locator("td").allTextContents()).map((cell) => cell.trim());
    if (language === "fa") {
      assert.equal(firing[3], "پیام در صف ارسال");
      assert.match(firing[1], /^از [۰-۹]{1,2} \S+ [۰-۹]{4}$/, firing[1]);
      assert.match(firing[4], jalaliMonths, firing[4]);
    } else {
      assert.equal(firing[3], "message queued");
    }
    assert.ok(await page.locator('input[name="name"]').isDisabled());
    await page.waitForLoadState("networkidle");
    await check(page, `trigger-ended-${language}-${width}`, problems);

    // An active one's page, and the question before ending it.
    await page.goto(`${home}configure/triggers/${spender.id}`);
    await page.locator('input[name="name"]').waitFor();
    assert.equal(await page.locator('input[name="name"]').inputValue(), "Big spender");
    assert.equal(await page.locator('select[name="condition.window"]').inputValue(), "days");
    await page.waitForLoadState("networkidle");
    await check(page, `trigger-${language}-${width}`, problems);
    const title = { en: "End this trigger?", fa: "قاعدهٔ خودکار پایان یابد؟" }[language];
    const endButton = page.getByRole("button", { name: { en: "End the trigger", fa: "پایان دادن به قاعدهٔ خودکار" }[language], exact: true });
    await askedFirst(page, endButton, title, `trigger-end-asked-${language}-${width}`, problems);
    assert.equal(await stateOf(spender.id), "active");

    // A new one: a message's words, each in its own language's direction; a lapse has no count,
    // a coupon action offers the published campaign; sent without a name or days, each problem is
    // shown beside its field.
    await page.goto(`${home}configure/triggers/new`);
    await page.locator('textarea[name="action.text.fa"]').waitFor();
    assert.equal(await page.locator('textarea[name="action.text.en"]').getAttribute("dir"), "ltr");
    assert.equal(await page.locator('textarea[name="action.text.fa"]').getAttribute("dir"), "rtl");
    await page.waitForLoadState("networkidle");
    await check(page, `triggers-new-${language}-${width}`, problems);
    // A segment action: the segments a trigger may add to by name, and its days in the page's digits.
    await page.locator('select[name="action.kind"]').selectOption("segment");
    const segments = page.locator('select[name="action.segment"] option');
    await segments.filter({ hasText: "Regulars" }).waitFor({ state: "attached" });
    assert.deepEqual(await segments.allTextContents(), ["–", "Regulars"]);
    await page.locator('select[name="action.segment"]').selectOption("regulars");
    await page.locator('input[name="action.days"]').fill("30");
    await page.locator('input[name="action.days"]').blur();
    assert.equal(await page.locator('input[name="action.days"]').inputValue(), { en: "30", fa: "۳۰" }[language]);
    await check(page, `triggers-segment-new-${language}-${width}`, problems);
    // An anniversary names its years in a list, and has no count and no window.
    await page.locator('select[name="condition.kind"]').selectOption("anniversary");
    await page.locator('input[name="condition.years"]').fill({ en: "1, 5", fa: "۱، ۵" }[language]);
    assert.equal(await page.locator('input[name="condition.at_least"]').count(), 0);
    assert.equal(await page.locator('select[name="condition.window"]').count(), 0);
    assert.equal(await page.locator('input[name="condition.days"]').count(), 0);
    await page.locator('select[name="condition.kind"]').selectOption("no_purchase");
    assert.equal(await page.locator('input[name="condition.at_least"]').count(), 0);
    assert.equal(await page.locator('select[name="condition.window"]').count(), 0);
    await page.locator('select[name="action.kind"]').selectOption("coupon");
    await page.locator('select[name="action.campaign_id"] option', { hasText: "Welcome back" }).waitFor({ state: "attached" });
    assert.deepEqual(await page.locator('select[name="action.campaign_id"] option').allTextContents(), ["–", "Welcome back"]);
    await page.locator('select[name="action.campaign_id"]').selectOption(String(campaign.id));
    await page.locator("main .actions button.primary").click();
    await page.locator('input[name="name"][aria-invalid=true]').waitFor();
    // Said in the page's language: the API's reasons and bounds in Persian, its message in English.
    assert.match(
      await problemOf(page.locator('input[name="name"]')),
      { en: /required/, fa: /^این را پر کنید\.$/ }[language],
    );
    assert.match(
      await problemOf(page.locator('input[name="condition.days"]')),
      { en: /required/, fa: /^این را پر کنید\.$/ }[language],
    );
    assert.equal(await page.locator('select[name="action.campaign_id"]').getAttribute("aria-invalid"), null);
    await check(page, `triggers-form-refused-${language}-${width}`, refusedRequests(problems));
    await context.close();
  }
  // Nothing was made by the refused forms.
  assert.equal((await expectStaff("GET", "/v1/triggers", undefined, 200)).triggers.length, 6);
});
