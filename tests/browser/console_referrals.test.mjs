// Referrals in the console, in a real Chromium against a real patrond: a marketer sets the
// programme's referral terms in their form under Configure (points for the friend, cashback for
// the referrer, typed in the programme's currency), a faulty number first (0 days to qualify),
// refused beside its field with nothing stored; saved, the terms read in words, and after a reload
// the form holds what was saved. Then a friend enrolled through the API with Sara's referral code
// (read from her referrals) shows on both members' pages: Sara's Referrals panel lists her code,
// her counts and the friend (a link to the friend's page), and the friend's says whom she joined
// through; her qualifying purchase at the till rewards both, which both panels then show. The terms
// and both panels read right to left in Persian with Persian digits; every screen passes axe-core
// and is photographed in both languages at 1280 and 360 px. The tests run in order: the second
// enrols under the terms the first saved.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import {
  baseUrl,
  check,
  demo,
  expectStaff,
  launch,
  openConsole as consolePage,
  pos,
  problemOf,
  purchase,
  rials,
  signInToConsole,
} from "./patron.mjs";

const home = `${baseUrl}/console/`;
const users = {
  admin: demo.admin,
  marketer: { email: "referrals.marketer@console.example", password: "a long marketer password", role: "marketer" },
};
const sara = demo.members[0];
// The terms the form saves.
const terms = {
  state: "active",
  friend_reward: { points: 500 },
  referrer_reward: { cashback: 50000 },
  within_days: 14,
  min_spend: 200000,
  per_referrer_per_month: 5,
  same_till_minutes: 30,
};
let browser;
// The month the referrer's limit counts in: the Jalali month in a Persian programme.
let jalali;
// The friend enrolled with Sara's code by the second test.
let mina;

before(async () => {
  await expectStaff("POST", "/v1/staff/users", { ...users.marketer, name: "Referrals marketer" }, 201);
  jalali = (await expectStaff("GET", "/v1/program/settings", undefined, 200)).language === "fa";
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function openConsole(width, language, role, path = "") {
  const { context, page, problems } = await consolePage(browser, width, language, path);
  await signInToConsole(page, language, users[role]);
  return { context, page, problems };
}

// The browser logs a refused request (422) as a failed resource: expected.
const refusedRequests = (problems) => problems.filter((logged) => !/status of 422/.test(logged));

const persian = (text) => String(text).replace(/[0-9]/g, (digit) => "۰۱۲۳۴۵۶۷۸۹"[digit]);
const escaped = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// A number as the page writes it in each language.
const numberIn = {
  en: (n) => new Intl.NumberFormat("en-GB").format(n),
  fa: (n) => new Intl.NumberFormat("fa-IR-u-nu-arabext").format(n),
};
// An amount of IRR in English, as a pattern within a sentence.
const irr = { en: (n) => escaped(rials("en", n)) };
const cellsOf = async (row) => (await row.locator("td").allTextContents()).map((cell) => cell.trim());
const termOf = (page, name) => page.getByTestId("referral-terms").locator(`[data-term="${name}"] dd`);
const countOf = (page, name) => page.getByTestId("referral-counts").locator(`[data-count="${name}"] dd`);
const referrals = (member) => expectStaff("GET", `/v1/members/${member.id}/referrals`, undefined, 200);

test("a marketer sets the referral terms in their form, a faulty number is refused beside it, and a reload shows what was saved", async () => {
  assert.deepEqual(await expectStaff("GET", "/v1/program/referrals", undefined, 200), { version: 0, terms: null });
  const { context, page, problems } = await openConsole(1280, "en", "marketer", "configure/rules");
  await page.getByRole("link", { name: "Referrals", exact: true }).click();
  await page.waitForURL(`${home}configure/referrals`);
  await page.getByTestId("referrals-version").filter({ hasText: "No referral terms were set yet: no friend is referred." }).waitFor();
  assert.equal(await page.getByTestId("referral-terms").count(), 0);
  // How referrals work, said before the terms.
  assert.match(await page.locator("main").textContent(), /Every member has a referral code of her own/);
  await page.waitForLoadState("networkidle");
  await check(page, "referrals-empty-en-1280", problems);

  // Points for the friend, cashback (in IRR) for the referrer; 0 days to qualify, refused.
  await page.getByLabel("State", { exact: true }).selectOption("active");
  const friend = page.getByRole("group", { name: "Friend's reward", exact: true });
  const referrer = page.getByRole("group", { name: "Referrer's reward", exact: true });
  assert.equal(await friend.getByLabel("Kind of reward").inputValue(), "points");
  await friend.getByLabel("Friend's points").fill("500");
  await referrer.getByLabel("Kind of reward").selectOption("cashback");
  assert.equal(await referrer.getByLabel("Referrer's points").count(), 0);
  await referrer.getByLabel("Referrer's cashback (IRR)").fill("50000");
  const days = page.getByLabel("Days to qualify");
  await days.fill("0");
  await page.getByLabel("Least purchase (IRR)").fill("200000");
  await page.getByLabel("Referrer rewards a month").fill("5");
  await page.getByLabel("Same-till check (minutes)").fill("30");
  await check(page, "referrals-form-en-1280", problems);
  await page.getByRole("button", { name: "Save the referral terms" }).click();
  await days.and(page.locator("[aria-invalid=true]")).waitFor();
  assert.match(await problemOf(days), /from 1 to 366/);
  assert.equal(await friend.getByLabel("Friend's points").getAttribute("aria-invalid"), null);
  assert.equal(await referrer.getByLabel("Referrer's cashback (IRR)").getAttribute("aria-invalid"), null);
  assert.match(await page.getByRole("alert").textContent(), /Please correct these: Days to qualify/);
  assert.equal((await expectStaff("GET", "/v1/program/referrals", undefined, 200)).version, 0);
  await check(page, "referrals-refused-en-1280", refusedRequests(problems));
  problems.length = 0;

  // Saved: the terms stored as typed, and read in words.
  await days.fill("14");
  await page.getByRole("button", { name: "Save the referral terms" }).click();
  await page.getByRole("status").filter({ hasText: "The referral terms are saved as version 1." }).waitFor();
  assert.deepEqual(await expectStaff("GET", "/v1/program/referrals", undefined, 200), { version: 1, terms });
  assert.equal(await page.getByTestId("referrals-version").textContent(), "Version 1.");
  assert.equal(await termOf(page, "state").textContent(), "Active: a friend may enrol with a member's code.");
  assert.equal(await termOf(page, "friend_reward").textContent(), "500 points");
  assert.match(await termOf(page, "referrer_reward").textContent(), new RegExp(`^${irr.en(50000)} cashback$`));
  assert.match(
    await termOf(page, "qualifying").textContent(),
    new RegExp(`^The friend's first purchase of at least ${irr.en(200000)}, within 14 days of enrolling\\.$`),
  );
  assert.equal(
    await termOf(page, "per_referrer_per_month").textContent(),
    `At most 5 a ${jalali ? "Jalali" : "calendar"} month; a friend who qualifies past the limit still gets her own reward.`,
  );
  assert.equal(
    await termOf(page, "same_till_minutes").textContent(),
    "A qualifying purchase rung up at a till where the referrer herself bought within 30 minutes before it is refused as self-referral.",
  );
  await check(page, "referrals-en-1280", problems);

  // Read again from the API after a reload: the form holds what was saved.
  await page.reload();
  await page.getByTestId("referral-terms").waitFor();
  assert.equal(await page.getByLabel("State", { exact: true }).inputValue(), "active");
  assert.equal(await friend.getByLabel("Kind of reward").inputValue(), "points");
  assert.equal(await friend.getByLabel("Friend's points").inputValue(), "500");
  assert.equal(await referrer.getByLabel("Kind of reward").inputValue(), "cashback");
  assert.equal(await referrer.getByLabel("Referrer's cashback (IRR)").inputValue(), "50000");
  assert.equal(await days.inputValue(), "14");
  assert.equal(await page.getByLabel("Least purchase (IRR)").inputValue(), "200000");
  assert.equal(await page.getByLabel("Referrer rewards a month").inputValue(), "5");
  assert.equal(await page.getByLabel("Same-till check (minutes)").inputValue(), "30");
  assert.equal(await termOf(page, "friend_reward").textContent(), "500 points");
  await page.waitForLoadState("networkidle");
  await check(page, "referrals-reloaded-en-1280", problems);
  await context.close();
});

test("a friend enrolled with Sara's code shows on both members' pages, and her qualifying purchase rewards both", async () => {
  // Sara's code, as her referrals give it; a friend enrols with it (as typed on a form: with its dash).
  const saras = await referrals(sara);
  assert.match(saras.code, /^[0-9A-HJKMNP-TV-Z]{8}$/);
  assert.equal(saras.shown_code, `${saras.code.slice(0, 4)}-${saras.code.slice(4)}`);
  assert.equal(saras.open, true);
  assert.equal(saras.invited, 0);
  assert.equal(saras.referred_by, null);
  mina = await expectStaff("POST", "/v1/members", {
    full_name: "Mina Rahimi",
    email: "mina.rahimi@referrals.example",
    language: "fa",
    referral_code: saras.shown_code,
  }, 201);
  const invited = await referrals(sara);
  assert.equal(invited.invited, 1);
  assert.equal(invited.pending, 1);
  assert.equal(invited.friends.length, 1, JSON.stringify(invited.friends));
  assert.equal(invited.friends[0].friend_id, mina.id);
  assert.equal(invited.friends[0].state, "pending");
  const joined = (await referrals(mina)).referred_by;
  assert.equal(joined.referrer_id, sara.id);
  assert.equal(joined.state, "pending");
  assert.deepEqual(joined.reward, terms.friend_reward);

  // Sara's page: her code, her counts, the friend waiting for a qualifying purchase.
  const { context, page, problems } = await openConsole(1280, "en", "admin", `members/${sara.id}`);
  const panel = page.getByTestId("referrals");
  await panel.getByTestId("referral-code").waitFor();
  assert.equal(await panel.locator("#referrals-title").textContent(), "Referrals");
  assert.equal(await panel.getByTestId("referral-code").textContent(), saras.shown_code);
  assert.equal(await panel.getByTestId("referral-open").textContent(), "Friends may enrol with it now.");
  assert.deepEqual(
    await Promise.all(["invited", "pending", "rewarded", "lapsed", "refused"].map((name) => countOf(page, name).textContent())),
    ["1", "1", "0", "0", "0"],
  );
  assert.equal(await panel.getByTestId("referral-earned").textContent(), "nothing yet");
  assert.equal(await panel.getByTestId("referral-this-month").textContent(), "0 of 5");
  const row = panel.getByTestId("referral-friends").locator("tbody tr");
  assert.equal(await row.count(), 1);
  const cells = await cellsOf(row);
  assert.equal(cells[0], String(mina.id));
  assert.match(cells[1], /^\d{1,2} \w+ \d{4}$/, cells[1]);
  assert.equal(cells[2], "waiting for a qualifying purchase");
  assert.match(cells[3], /^\d{1,2} \w+ \d{4}$/, cells[3]);
  assert.equal(cells[4], "when the friend qualifies");
  assert.equal(await panel.getByTestId("referred-by").textContent(), "She did not join through a friend.");
  await page.waitForLoadState("networkidle");
  await check(page, "member-referrals-en-1280", problems);

  // The friend's page, through her link: whom she joined through, and her welcome reward.
  await row.getByRole("link", { name: String(mina.id), exact: true }).click();
  await page.waitForURL(`${home}members/${mina.id}`, { waitUntil: "commit" });
  const referredBy = page.getByTestId("referred-by");
  await referredBy.locator("dd").first().waitFor();
  assert.equal(await referredBy.getByRole("link").getAttribute("href"), `/console/members/${sara.id}`);
  assert.equal(await referredBy.getByRole("link").textContent(), String(sara.id));
  assert.equal(await page.getByTestId("referred-state").textContent(), "waiting for a qualifying purchase");
  const welcome = referredBy.locator("div").filter({ hasText: "Her welcome reward" }).locator("dd");
  assert.equal(await welcome.textContent(), "500 points");
  const least = referredBy.locator("div").filter({ hasText: "Least purchase" }).locator("dd");
  assert.match(await least.textContent(), new RegExp(`^${irr.en(200000)}$`));
  assert.equal(await countOf(page, "invited").textContent(), "0");
  await page.waitForLoadState("networkidle");
  await check(page, "member-referred-en-1280", problems);

  // Her first purchase of at least the least purchase, at the till: both are rewarded.
  const sold = await pos("POST", "/v1/pos/purchases", purchase("REFERRAL-1", mina.cards[0].number, 450000));
  assert.equal(sold.status, 201, JSON.stringify(sold.body));
  let rewarded = (await referrals(mina)).referred_by;
  for (const started = Date.now(); rewarded.state !== "rewarded" && Date.now() - started < 15000;) {
    await sleep(250);
    rewarded = (await referrals(mina)).referred_by;
  }
  assert.equal(rewarded.state, "rewarded", JSON.stringify(rewarded));
  assert.equal(rewarded.purchase_id, sold.body.purchase_id);
  const referrer = await referrals(sara);
  assert.equal(referrer.rewarded, 1);
  assert.deepEqual(referrer.earned, { points: 0, cashback: 50000 });
  assert.equal(referrer.friends[0].referrer_outcome, "rewarded");

  // Her page again (reloaded): rewarded, with the purchase.
  await page.reload();
  await page.getByTestId("referred-state").filter({ hasText: "rewarded" }).waitFor();
  assert.equal(await page.getByTestId("referred-state").textContent(), `rewarded · purchase ${rewarded.purchase_id}`);
  await page.waitForLoadState("networkidle");
  await check(page, "member-referred-rewarded-en-1280", problems);

  // Sara's, through the referrer's link: the friend rewarded, and what it earned her.
  await page.getByTestId("referred-by").getByRole("link", { name: String(sara.id), exact: true }).click();
  await page.waitForURL(`${home}members/${sara.id}`, { waitUntil: "commit" });
  await countOf(page, "rewarded").filter({ hasText: "1" }).waitFor();
  assert.equal(await countOf(page, "pending").textContent(), "0");
  const earned = await page.getByTestId("referral-earned").textContent();
  assert.ok(earned === rials("en", 50000), earned);
  assert.equal(await page.getByTestId("referral-this-month").textContent(), "1 of 5");
  const friendNow = await cellsOf(page.getByTestId("referral-friends").locator("tbody tr"));
  assert.equal(friendNow[2], `rewarded · purchase ${rewarded.purchase_id}`);
  assert.equal(friendNow[3], "—");
  assert.ok(friendNow[4] === rials("en", 50000), friendNow[4]);
  await page.waitForLoadState("networkidle");
  await check(page, "member-referrals-rewarded-en-1280", problems);
  await context.close();
});

test("the terms and both members' referrals read right to left in Persian, and fit a phone", async () => {
  assert.ok(mina, "the test before enrolled the friend");
  const { referred_by: rewarded } = await referrals(mina);
  for (const [language, width] of [["fa", 1280], ["fa", 360], ["en", 360]]) {
    const fa = language === "fa";
    const n = (value) => numberIn[language](value);

    // The terms in force, and the form holding them in the page's digits.
    const marketer = await openConsole(width, language, "marketer", "configure/referrals");
    const page = marketer.page;
    await page.getByTestId("referral-terms").waitFor();
    if (fa) assert.equal(await page.getAttribute("html", "dir"), "rtl");
    assert.equal(await page.getByTestId("referrals-version").textContent(), fa ? `نسخهٔ ${persian(1)}.` : "Version 1.");
    assert.equal(await termOf(page, "friend_reward").textContent(), fa ? `${n(500)} امتیاز` : "500 points");
    assert.match(
      await termOf(page, "per_referrer_per_month").textContent(),
      fa
        ? new RegExp(`^حداکثر ${escaped(n(5))} بار در هر ماه ${jalali ? "شمسی" : "میلادی"}؛`)
        : new RegExp(`^At most 5 a ${jalali ? "Jalali" : "calendar"} month;`),
    );
    assert.equal(await page.locator('input[name="friend_reward.points"]').inputValue(), fa ? persian(500) : "500");
    assert.equal(await page.locator('select[name="referrer_reward.kind"]').inputValue(), "cashback");
    assert.equal(await page.locator('input[name="referrer_reward.cashback"]').inputValue(), fa ? persian(50000) : "50000");
    assert.equal(await page.locator('input[name="within_days"]').inputValue(), fa ? persian(14) : "14");
    assert.equal(await page.locator('input[name="same_till_minutes"]').inputValue(), fa ? persian(30) : "30");
    await page.waitForLoadState("networkidle");
    await check(page, `referrals-${language}-${width}`, marketer.problems);

    // A faulty number typed in the page's digits: refused beside its field, in the page's words.
    const days = page.locator('input[name="within_days"]');
    await days.fill(fa ? "۰" : "0");
    await page.locator("form.referrals button[type=submit]").click();
    await days.and(page.locator("[aria-invalid=true]")).waitFor();
    // The API's reason and bounds, said in Persian with Persian digits (its own message is English).
    assert.match(await problemOf(days), fa ? /^باید عدد صحیحی از ۱ تا ۳۶۶ باشد\.$/ : /from 1 to 366/);
    assert.match(
      await page.getByRole("alert").textContent(),
      fa ? /لطفاً این‌ها را درست کنید: مهلت واجد شرایط شدن \(روز\)/ : /Please correct these: Days to qualify/,
    );
    await check(page, `referrals-refused-${language}-${width}`, refusedRequests(marketer.problems));
    await marketer.context.close();
    assert.equal((await expectStaff("GET", "/v1/program/referrals", undefined, 200)).version, 1);

    // Sara's panel: her code left to right, her figures in the page's digits, the friend a link.
    const admin = await openConsole(width, language, "admin", `members/${sara.id}`);
    const member = admin.page;
    await member.getByTestId("referral-code").waitFor();
    await countOf(member, "rewarded").filter({ hasText: n(1) }).waitFor();
    assert.equal(await member.getByTestId("referral-code").getAttribute("dir"), "ltr");
    assert.equal(await countOf(member, "invited").textContent(), n(1));
    assert.equal(
      await member.getByTestId("referral-this-month").textContent(),
      fa ? `${n(1)} از ${n(5)}` : "1 of 5",
    );
    const earned = await member.getByTestId("referral-earned").textContent();
    assert.ok(earned === rials(language, 50000), earned);
    const cells = await cellsOf(member.getByTestId("referral-friends").locator("tbody tr"));
    assert.equal(cells[0], fa ? persian(mina.id) : String(mina.id));
    assert.equal(
      cells[2],
      fa ? `پاداش داده شد · خرید ${persian(rewarded.purchase_id)}` : `rewarded · purchase ${rewarded.purchase_id}`,
    );
    if (fa) {
      assert.equal(await member.locator("#referrals-title").textContent(), "معرفی دوستان");
      assert.match(cells[1], /فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند/, cells[1]);
    }
    await member.waitForLoadState("networkidle");
    await check(member, `member-referrals-${language}-${width}`, admin.problems);

    // The friend's: whom she joined through, her welcome reward.
    await member.getByTestId("referral-friends").getByRole("link").first().click();
    await member.waitForURL(`${home}members/${mina.id}`, { waitUntil: "commit" });
    await member.getByTestId("referred-state").waitFor();
    assert.equal(await member.getByTestId("referred-by").getByRole("link").textContent(), fa ? persian(sara.id) : String(sara.id));
    assert.equal(
      await member.getByTestId("referred-state").textContent(),
      fa ? `پاداش داده شد · خرید ${persian(rewarded.purchase_id)}` : `rewarded · purchase ${rewarded.purchase_id}`,
    );
    assert.equal(await member.getByTestId("referral-open").textContent(), fa
      ? "دوستان اکنون می‌توانند با این کد عضو شوند."
      : "Friends may enrol with it now.");
    await member.waitForLoadState("networkidle");
    await check(member, `member-referred-${language}-${width}`, admin.problems);
    await admin.context.close();
  }
});
