// Inviting friends in the member portal, in a real Chromium against a real patrond: the marketer
// sets referral terms (500 points for the friend, 200 for the member, 30 days, any purchase, 5 a
// month); Sara finds her code on the "Invite friends" page, copies it, and reads the terms for both
// sides; a friend enrols with the code at the club and shows up as one friend waiting (never
// named), in English and in Persian (right to left, Persian digits, Jalali dates); the friend sees
// her own welcome gift waiting; her first purchase at the till rewards both, and Sara's page then
// counts one friend rewarded and 200 points earned. Paused terms keep the code and the history but
// say no new friends are taken. Every page is scanned with axe-core and photographed at 390 and
// 1280 px in both languages.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";

import * as jalaali from "jalaali-js";

import { baseUrl, check, demo, expectStaff, launch, pos, purchase, staff } from "./patron.mjs";
import { activate, openPortal, persianDigits, signIn, speak, view } from "./portal.mjs";

const terms = {
  state: "active",
  friend_reward: { points: 500 },
  referrer_reward: { points: 200 },
  within_days: 30,
  min_spend: 0,
  per_referrer_per_month: 5,
};

// The friend Sara invites: enrolled at the club with her code, then signing in to the portal with
// her email.
const nima = { full_name: "Nima Nazari", email: "nima.nazari@example.com", password: "nima's long secret" };

let browser;
let saraReferral;  // Sara's GET /v1/me/referral before anyone joined with her code.
let friend;  // Nima as POST /v1/members answered: {id, cards: [{number}]}.
let zone;  // The programme's time zone: the pages show every date on its clock.

async function setTerms(document) {
  const answer = await staff("PUT", "/v1/program/referrals", document);
  assert.ok([200, 204].includes(answer.status), `PUT /v1/program/referrals: ${answer.status} ${JSON.stringify(answer.body)}`);
}

before(async () => {
  await setTerms(terms);
  zone = (await expectStaff("GET", `/v1/members/${demo.members[0].id}/balance`, undefined, 200)).time_zone;
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// A member's own document, read with the token the portal keeps in this page's tab.
async function mine(page, path) {
  const token = await page.evaluate(() => sessionStorage.getItem("patron.member.token"));
  assert.ok(token, "signed in");
  const response = await fetch(baseUrl + path, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, `${path}: ${response.status}`);
  return response.json();
}

const toPersian = (number) => String(number).replace(/[0-9]/g, (digit) => persianDigits[Number(digit)]);
const jalaliMonths = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"];

// An instant's day in the programme's time zone as each language's page writes it: "1 December
// 2026", or the Jalali "۱۰ آذر ۱۴۰۵" (converted by jalaali-js, not by the browser's Intl).
function dayIn(language, instant = new Date()) {
  const when = new Date(instant);
  if (language === "en") {
    return new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "long", day: "numeric", timeZone: zone }).format(when);
  }
  const [year, month, day] = new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(when).split("-").map(Number);
  const jalali = jalaali.toJalaali(year, month, day);
  return `${toPersian(jalali.jd)} ${jalaliMonths[jalali.jm - 1]} ${toPersian(jalali.jy)}`;
}

// The page's count `name` (invited, rewarded, waiting), waited for as `text` (a language switch or
// a reload draws the page again).
async function countIs(page, name, text) {
  await page.getByTestId(`referral-${name}`).filter({ hasText: new RegExp(`^${text}$`) }).waitFor();
}

// Signs in with `signingIn` (the helpers of portal.mjs or below) and waits until the portal has
// read the member's own language (GET /v1/me) and taken it: speak() may only switch language after
// that, or the member's stored language would switch the page back under the test's feet.
async function signedIn(page, signingIn) {
  const read = page.waitForResponse(
    (response) => new URL(response.url()).pathname === "/v1/me" && response.request().method() === "GET");
  await signingIn(page);
  const { language } = await (await read).json();
  if (language) await page.waitForFunction((wanted) => document.documentElement.lang === wanted, language);
}

async function openInvite(page) {
  await view(page, "invite");
  await page.getByTestId("referral-code").waitFor();
}

// Sara signed in, on the Invite friends page in `language` at `width` pixels.
async function saraInvites(width, language) {
  const opened = await openPortal(browser, width, language);
  await signedIn(opened.page, signIn);
  await speak(opened.page, language);
  await openInvite(opened.page);
  return opened;
}

// The newest one-time code the file notifier wrote for `to` (it writes members' messages to the
// same file, so the last line is not always a code).
async function codeSentTo(to) {
  for (let attempt = 0; attempt < 20; ++attempt) {
    const sent = readFileSync(process.env.PATRON_NOTIFICATIONS, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
      .filter((message) => message.event === "member.one_time_code" && message.to === to);
    if (sent.length > 0) return sent[sent.length - 1].code;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no one-time code was sent to ${to}`);
}

// Nima's first time in the portal: a one-time code to her email, and a password.
async function activateFriend(page) {
  await page.getByRole("button", { name: "First time here, or forgot your password?" }).click();
  await page.getByLabel("Mobile number or email").fill(nima.email);
  await page.getByRole("button", { name: "Send me a one-time code" }).click();
  await page.getByText("If this phone or email belongs to a member, a code is on its way.").waitFor();
  await page.getByLabel("One-time code").fill(await codeSentTo(nima.email));
  await page.getByLabel("New password (at least 8 characters)").fill(nima.password);
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await page.getByTestId("points-available").waitFor();
}

async function friendSignsIn(page) {
  await page.getByLabel(/Mobile number or email|تلفن همراه یا ایمیل/).fill(nima.email);
  await page.getByLabel(/^(Password|گذرواژه)$/).fill(nima.password);
  await page.locator("form.sign-in button[type=submit]").click();
  await page.getByTestId("points-available").waitFor();
}

test("a member finds her code and the terms, and a friend who joined with it shows as waiting", async () => {
  const { context, page, problems } = await openPortal(browser, 390, "en");
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
  await signedIn(page, activate);
  await speak(page, "en");

  // Reached from the portal's navigation like every other section.
  await page.getByRole("link", { name: "Invite friends" }).click();
  await page.getByTestId("referral-code").waitFor();
  assert.equal(await page.getByRole("link", { name: "Invite friends" }).getAttribute("aria-current"), "page");

  saraReferral = await mine(page, "/v1/me/referral");
  assert.match(saraReferral.shown_code, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/, JSON.stringify(saraReferral));
  assert.equal(saraReferral.open, true);
  assert.equal(await page.getByTestId("referral-code").textContent(), saraReferral.shown_code);
  assert.equal(
    await page.getByTestId("referral-friend-terms").textContent(),
    "Your friend gets 500 points with a first purchase within 30 days of joining.",
  );
  assert.equal(
    await page.getByTestId("referral-referrer-terms").textContent(),
    "You get 200 points for each friend who does, for up to 5 friends a month.",
  );
  await countIs(page, "invited", "0");
  await page.getByText("No friend has joined with your code yet.").waitFor();
  assert.equal(await page.getByTestId("referral-closed").count(), 0);

  // The code on the clipboard, as shown (the till reads it with or without the dash).
  await page.getByTestId("copy-code").click();
  await page.getByTestId("copy-result").filter({ hasText: "Code copied." }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), saraReferral.shown_code);
  // Where the browser has no share sheet (a desktop Chromium), the whole invitation is copied instead.
  if ((await page.getByTestId("copy-invite").count()) > 0) {
    await page.getByTestId("copy-invite").click();
    await page.getByTestId("copy-result").filter({ hasText: /^Invitation copied/ }).waitFor();
    assert.equal(
      await page.evaluate(() => navigator.clipboard.readText()),
      `Join me at the customer club with my code ${saraReferral.shown_code}: you get 500 points on your first purchase within 30 days.`,
    );
  }
  await check(page, "invite-empty-en-390", problems);

  // Nima joins the club with Sara's code.
  friend = await expectStaff("POST", "/v1/members", {
    full_name: nima.full_name,
    email: nima.email,
    referral_code: saraReferral.code,
  }, 201);
  const joined = await mine(page, "/v1/me/referral");
  assert.deepEqual([joined.invited, joined.pending, joined.rewarded], [1, 1, 0], JSON.stringify(joined));
  assert.equal(joined.friends.length, 1);
  assert.equal(joined.friends[0].state, "pending");

  await page.reload();
  await page.getByTestId("referral-code").waitFor();
  await countIs(page, "invited", "1");
  await countIs(page, "waiting", "1");
  await countIs(page, "rewarded", "0");
  const friends = page.getByTestId("referral-friends").locator("li");
  assert.equal(await friends.count(), 1);
  const waiting = friends.first();
  assert.equal(await waiting.getAttribute("data-state"), "pending");
  assert.equal(await waiting.locator(".friend-when").textContent(), `Friend invited on ${dayIn("en")}`);
  assert.equal(await waiting.locator(".badge").textContent(), "Waiting");
  assert.equal(
    await waiting.locator(".friend-detail").textContent(),
    `Waiting for their first purchase by ${dayIn("en", joined.friends[0].qualify_by)}`,
  );
  // Friends are never named.
  assert.doesNotMatch(await page.locator("main").textContent(), /Nima|Nazari|nima\.nazari/);
  assert.match(await page.getByTestId("referral-earned").textContent(), /^0 points$/);
  assert.equal(await page.getByTestId("referral-month").textContent(), "Rewards this month: 0 of 5");
  await check(page, "invite-en-390", problems);

  // The same in Persian: right to left, Persian digits and the Jalali date; the code stays as the
  // till takes it.
  await speak(page, "fa");
  assert.equal(await page.getAttribute("html", "lang"), "fa");
  await countIs(page, "waiting", "۱");
  await countIs(page, "invited", "۱");
  await countIs(page, "rewarded", "۰");
  assert.equal(await page.getByTestId("referral-code").textContent(), saraReferral.shown_code);
  const friendTerms = await page.getByTestId("referral-friend-terms").textContent();
  assert.match(friendTerms, /۵۰۰ امتیاز/, friendTerms);
  assert.match(friendTerms, /۳۰ روز/, friendTerms);
  const ownTerms = await page.getByTestId("referral-referrer-terms").textContent();
  assert.match(ownTerms, /۲۰۰ امتیاز/, ownTerms);
  assert.match(ownTerms, /۵ دوست/, ownTerms);
  assert.doesNotMatch(friendTerms + ownTerms, /[0-9]/, "no Latin digit in the Persian terms");
  assert.equal(await waiting.locator(".friend-when").textContent(), `دوست دعوت‌شده در ${dayIn("fa")}`);
  assert.equal(await waiting.locator(".badge").textContent(), "در انتظار");
  await check(page, "invite-fa-390", problems);
  await context.close();
});

test("the page reads well on desktops in both languages", async () => {
  for (const language of ["en", "fa"]) {
    const { context, page, problems } = await saraInvites(1280, language);
    await countIs(page, "waiting", language === "fa" ? "۱" : "1");
    await page.getByTestId("referral-friends").locator("li").first().waitFor();
    await check(page, `invite-${language}-1280`, problems);
    await context.close();
  }
});

test("the friend sees her welcome gift waiting for a first purchase", async () => {
  const { context, page, problems } = await openPortal(browser, 390, "en");
  await signedIn(page, activateFriend);
  await speak(page, "en");
  await openInvite(page);
  const own = await mine(page, "/v1/me/referral");
  assert.ok(own.referred_by, JSON.stringify(own));
  assert.equal(own.referred_by.state, "pending");
  assert.equal(
    await page.getByTestId("referral-welcome").locator("p").textContent(),
    `Make your first purchase by ${dayIn("en", own.referred_by.qualify_by)} to receive your welcome gift of 500 points.`,
  );
  await check(page, "invite-welcome-en-390", problems);
  await speak(page, "fa");
  await page.getByTestId("referral-welcome").filter({ hasText: dayIn("fa", own.referred_by.qualify_by) }).waitFor();
  assert.match(await page.getByTestId("referral-welcome").textContent(), /۵۰۰ امتیاز/);
  await check(page, "invite-welcome-fa-390", problems);
  await context.close();
});

test("the friend's first purchase rewards both, and the member's page counts it", async () => {
  const sale = await pos("POST", "/v1/pos/purchases", purchase("referral-1", friend.cards[0].number, 250000));
  assert.equal(sale.status, 201, JSON.stringify(sale.body));

  const { context, page, problems } = await saraInvites(390, "en");
  // The rewards are posted with the purchase; a moment's grace in case they follow it.
  let referral;
  for (let attempt = 0; attempt < 20; ++attempt) {
    referral = await mine(page, "/v1/me/referral");
    if (referral.rewarded === 1) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.deepEqual([referral.invited, referral.pending, referral.rewarded], [1, 0, 1], JSON.stringify(referral));
  assert.equal(referral.earned.points, 200);
  assert.equal(referral.friends[0].referrer_outcome, "rewarded");
  assert.deepEqual(referral.this_month, { rewarded: 1, limit: 5 });

  await page.reload();
  await page.getByTestId("referral-code").waitFor();
  await countIs(page, "rewarded", "1");
  await countIs(page, "waiting", "0");
  assert.match(await page.getByTestId("referral-earned").textContent(), /^200 points$/);
  assert.equal(await page.getByTestId("referral-month").textContent(), "Rewards this month: 1 of 5");
  const rewarded = page.getByTestId("referral-friends").locator("li").first();
  assert.equal(await rewarded.getAttribute("data-state"), "rewarded");
  assert.equal(await rewarded.locator(".badge").textContent(), "Rewarded");
  assert.equal(await rewarded.locator(".friend-detail").textContent(), "You received 200 points.");
  await check(page, "invite-rewarded-en-390", problems);
  await speak(page, "fa");
  await countIs(page, "rewarded", "۱");
  assert.match(await page.getByTestId("referral-earned").textContent(), /^۲۰۰ امتیاز$/);
  await check(page, "invite-rewarded-fa-390", problems);
  await context.close();

  // Nima's side: her welcome gift received.
  const visitor = await openPortal(browser, 390, "en");
  await signedIn(visitor.page, friendSignsIn);
  await speak(visitor.page, "en");
  await openInvite(visitor.page);
  await visitor.page.getByTestId("referral-welcome").filter({ hasText: "You received your welcome gift of 500 points." }).waitFor();
  await check(visitor.page, "invite-welcome-received-en-390", visitor.problems);
  await visitor.context.close();
});

// Paused terms take no new friends: the code and what came of the invitations stay, the terms and
// the invitation to send go, and the page says why.
test("paused terms keep the code and the history, and say no new friends are taken", async () => {
  await setTerms({ ...terms, state: "paused" });
  for (const language of ["en", "fa"]) {
    const { context, page, problems } = await saraInvites(390, language);
    await page.getByTestId("referral-closed").waitFor();
    if (language === "en") {
      assert.match(await page.getByTestId("referral-closed").textContent(), /not taking new friends/);
    }
    assert.equal(await page.getByTestId("referral-code").textContent(), saraReferral.shown_code);
    assert.equal(await page.getByTestId("referral-terms").count(), 0);
    assert.equal(await page.getByTestId("copy-invite").count() + (await page.getByTestId("share-invite").count()), 0);
    await countIs(page, "rewarded", language === "fa" ? "۱" : "1");
    await check(page, `invite-paused-${language}-390`, problems);
    await context.close();
  }
  await setTerms(terms);
});
