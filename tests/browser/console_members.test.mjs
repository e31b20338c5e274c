// The console's members section in a real Chromium against a real patrond, as the support desk
// uses it: a member found by phone, their card blocked with a reason (the till then refuses it
// with CARD_BLOCKED) and unblocked again, points adjusted with a reason (a reason left out gets
// the API's message beside its field; one whose answer the network lost is sent again under its
// Idempotency-Key and made once), a receipt bought without the card claimed, a duplicate
// record merged after a side-by-side look, the export downloaded and read, and erasure, an
// admin's alone, confirmed by typing the member's number. An answer that comes late (a merge's
// look-up, a history page) never overwrites what was asked for since. Persian reads right to left
// with Jalali dates, and its arrows point to the left. Every screen is scanned with axe-core and
// photographed in both languages at 1280, 768 and 360 px.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";

import { baseUrl, check, demo, expectStaff, launch, openConsole as consolePage, pos, purchase, staff } from "./patron.mjs";

const home = `${baseUrl}/console/`;
const users = { admin: demo.admin };
const sara = { ...demo.members[0], phone: "0912 345 6789" };
const reza = { ...demo.members[1], phone: "+98 935 111 2233" };
const neda = demo.members[2];
const signInWords = {
  en: { email: "Email", password: "Password" },
  fa: { email: "ایمیل", password: "گذرواژه" },
};
let browser;

before(async () => {
  users.support = { email: "support@members.example", password: "a long support password" };
  const created = await staff("POST", "/v1/staff/users", { ...users.support, name: "Desk Support", role: "support" });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// The browser logs every refused call as a failed resource; a test that provokes refusals lets
// those through and nothing else.
function unexpected(problems, ...statuses) {
  return problems.filter((problem) => !statuses.some((status) => problem.includes(`status of ${status}`)));
}

const openConsole = (width, language, path = "") => consolePage(browser, width, language, path);

async function signIn(page, language, role) {
  await page.getByLabel(signInWords[language].email).fill(users[role].email);
  await page.getByLabel(signInWords[language].password).fill(users[role].password);
  const answered = page.waitForResponse((response) => response.url().endsWith("/v1/staff/sessions"));
  await page.locator("form.sign-in button[type=submit]").click();
  assert.equal((await answered).status(), 201);
  await page.locator("nav.sections").waitFor();
}

// The member's page once everything on it has loaded.
async function memberPage(page, id) {
  // Reached through the page's own history (pushState): no load event comes.
  await page.waitForURL(`${home}members/${id}`, { waitUntil: "commit" });
  await page.getByTestId("history").waitFor();
  await page.waitForLoadState("networkidle");
}

async function find(form, by, value) {
  await form.getByRole("radio", { name: by }).check();
  await form.getByRole("textbox", { name: by }).fill(value);
  await form.getByRole("button", { name: /^(Find|پیدا کن)$/ }).click();
}

async function balanceOf(member) {
  return expectStaff("GET", `/v1/members/${member.id}/balance`, undefined, 200);
}

let receipts = 0;
function sale(card, amount) {
  return pos("POST", "/v1/pos/purchases", purchase(`MEM-${++receipts}`, card, amount));
}

// A card's state on the member's page changes through a dialog asking for the reason.
async function changeCard(page, number, action, reason) {
  const card = page.getByTestId(`card-${number}`);
  await card.getByRole("button", { name: new RegExp(`^${action}`) }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(/^Reason/).fill(reason);
  await dialog.getByRole("button", { name: action, exact: true }).click();
  await dialog.waitFor({ state: "detached" });
}

test("support finds a member by phone, blocks the card with a reason, and the till refuses it until unblocked", async () => {
  const { context, page, problems } = await openConsole(1280, "en", "members");
  await signIn(page, "en", "support");
  await find(page.getByTestId("find-member"), "Phone", sara.phone);
  await memberPage(page, sara.id);
  assert.equal(await page.getByTestId("member-name").textContent(), "سارا کریمی");
  assert.match(await page.getByTestId("profile").textContent(), /sara\.karimi@example\.ir/);

  // No reason: the API's own words, beside the field.
  const card = page.getByTestId(`card-${sara.card}`);
  await card.getByRole("button", { name: /^Block/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Block", exact: true }).click();
  const problem = dialog.locator(".field-problem").filter({ hasText: "give a reason of 1 to 200 characters" });
  await problem.waitFor();
  // The problem describes the field and is no part of its name.
  const reason = dialog.getByRole("textbox", { name: "Reason", exact: true });
  assert.equal(await reason.getAttribute("aria-invalid"), "true");
  const describedBy = await reason.getAttribute("aria-describedby");
  assert.match(await page.locator(`[id="${describedBy}"]`).textContent(), /give a reason/);
  assert.equal(await problem.evaluate((shown) => shown.closest("label")), null);
  await reason.fill("reported stolen on the phone");
  await dialog.getByRole("button", { name: "Block", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
  await card.getByTestId("card-state").filter({ hasText: "blocked" }).waitFor();
  assert.match(await card.textContent(), /reported stolen on the phone/);
  assert.match(await page.getByTestId("said").textContent(), new RegExp(`Blocked: ${sara.card}`));

  const refused = await sale(sara.card, 100000);
  assert.equal(refused.status, 403, JSON.stringify(refused.body));
  assert.equal(refused.body.error.code, "CARD_BLOCKED");

  await changeCard(page, sara.card, "Unblock", "found it in her bag");
  await card.getByTestId("card-state").filter({ hasText: "active" }).waitFor();
  const accepted = await sale(sara.card, 100000);
  assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
  assert.deepEqual(unexpected(problems, 422), []);
  await context.close();
});

test("support adjusts points with a reason and the balance shown changes; no reason is refused at its field", async () => {
  const { context, page, problems } = await openConsole(1280, "en", `members/${sara.id}`);
  await signIn(page, "en", "support");
  await memberPage(page, sara.id);
  const before = (await balanceOf(sara)).points.available;
  assert.equal(await page.getByTestId("points-available").textContent(), before.toLocaleString("en-GB"));

  const adjust = page.getByTestId("adjust");
  await adjust.getByRole("textbox", { name: /^Points/ }).fill("50");
  await adjust.getByRole("button", { name: "Adjust" }).click();
  const reason = adjust.getByRole("textbox", { name: /^Reason/ });
  await adjust.locator(".field-problem").filter({ hasText: "give a reason of 1 to 500 characters" }).waitFor();
  assert.equal(await reason.getAttribute("aria-invalid"), "true");
  assert.match(await adjust.getByRole("alert").textContent(), /Please correct these: Reason/);
  assert.equal((await balanceOf(sara)).points.available, before, "nothing was adjusted");

  await reason.fill("goodwill: the coffee machine was broken");
  await adjust.getByRole("button", { name: "Adjust" }).click();
  const after = (before + 50).toLocaleString("en-GB");
  await page.getByTestId("points-available").filter({ hasText: new RegExp(`^${after}$`) }).waitFor();
  assert.equal((await balanceOf(sara)).points.available, before + 50);
  assert.equal(await reason.inputValue(), "", "the form is emptied for the next one");
  // The adjustment is in the history, in the API's sentence in the member's language.
  await page.getByTestId("history").getByText(/goodwill: the coffee machine was broken/).waitFor();
  // And in the audit log, on the member's own page: support, the adjustment, the balance it changed.
  const logged = page.getByTestId("member-audit").locator('tr[data-action="points.adjust"]').first();
  await logged.waitFor();
  assert.match(await logged.textContent(), /Desk Support[\s\S]*Points adjusted[\s\S]*Points available/);
  assert.deepEqual(unexpected(problems, 422), []);
  await context.close();
});

test("an adjustment whose answer the network lost is sent again under its Idempotency-Key and made once", async () => {
  const { context, page, problems } = await openConsole(1280, "en", `members/${sara.id}`);
  await signIn(page, "en", "support");
  await memberPage(page, sara.id);
  const before = (await balanceOf(sara)).points.available;
  const keys = [];
  const replayed = [];
  let made = null;
  // patrond makes the first adjustment, and its answer never reaches the page.
  await page.route(/\/points\/adjustments$/, async (route) => {
    keys.push(route.request().headers()["idempotency-key"]);
    if (keys.length > 1) return route.continue();
    made = (await route.fetch()).status();
    await route.abort("connectionreset");
  });
  page.on("response", (response) => {
    if (/\/points\/adjustments$/.test(response.url())) replayed.push(response.headers()["idempotent-replayed"]);
  });
  const adjust = page.getByTestId("adjust");
  await adjust.getByRole("textbox", { name: /^Points/ }).fill("30");
  await adjust.getByRole("textbox", { name: /^Reason/ }).fill("the answer of this one is lost");
  await adjust.getByRole("button", { name: "Adjust" }).click();
  const after = (before + 30).toLocaleString("en-GB");
  await page.getByTestId("points-available").filter({ hasText: new RegExp(`^${after}$`) }).waitFor();
  assert.equal(made, 201, "the first attempt made it");
  assert.equal(keys.length, 2, "sent again once");
  assert.match(keys[0], /^[0-9a-f]{32}$/);
  assert.equal(keys[1], keys[0], "under the same key");
  assert.deepEqual(replayed, ["true"], "answered with the first attempt's answer");
  assert.equal((await balanceOf(sara)).points.available, before + 30, "made once");
  await page.getByTestId("history").getByText(/the answer of this one is lost/).waitFor();
  assert.equal(await page.getByTestId("history").getByText(/the answer of this one is lost/).count(), 1);
  assert.deepEqual(problems.filter((problem) => !problem.includes("ERR_CONNECTION_RESET")), []);
  await context.close();
});

test("support claims a receipt bought without the card for the member, once", async () => {
  const anonymous = purchase("ANON-7", undefined, 250000);
  const sold = await pos("POST", "/v1/pos/purchases", anonymous);
  assert.equal(sold.status, 201, JSON.stringify(sold.body));
  const { context, page, problems } = await openConsole(1280, "en", `members/${sara.id}`);
  await signIn(page, "en", "support");
  await memberPage(page, sara.id);
  const before = (await balanceOf(sara)).points.available;

  const claim = page.getByTestId("claim");
  await claim.getByRole("textbox", { name: "Store" }).fill(anonymous.store);
  await claim.getByRole("textbox", { name: "Terminal" }).fill(anonymous.terminal);
  await claim.getByLabel("Business day").fill(anonymous.business_day);
  await claim.getByRole("textbox", { name: "Receipt number" }).fill(anonymous.receipt);
  await claim.getByRole("textbox", { name: /^Total/ }).fill("250,000");
  await claim.getByRole("button", { name: "Claim" }).click();
  await page.getByTestId("said").filter({ hasText: "Claimed receipt ANON-7: 25 points" }).waitFor();
  assert.equal((await balanceOf(sara)).points.available, before + 25);
  await page.getByTestId("points-available").filter({ hasText: new RegExp(`^${(before + 25).toLocaleString("en-GB")}$`) }).waitFor();

  // Twice: the API's refusal in words.
  await claim.getByRole("textbox", { name: "Receipt number" }).fill(anonymous.receipt);
  await claim.getByRole("button", { name: "Claim" }).click();
  assert.equal(await claim.getByRole("alert").textContent(), "This purchase was credited to a member already.");
  assert.deepEqual(unexpected(problems, 409), []);
  await context.close();
});

test("support merges a duplicate record after seeing both side by side", async () => {
  const duplicate = await expectStaff("POST", "/v1/members", {
    full_name: "Sara Karimi (again)",
    email: "sara.again@example.com",
  }, 201);
  const duplicateCard = duplicate.cards[0].number;
  assert.equal((await sale(duplicateCard, 300000)).status, 201);
  const before = (await balanceOf(sara)).points.available;

  const { context, page, problems } = await openConsole(1280, "en", `members/${sara.id}`);
  await signIn(page, "en", "support");
  await memberPage(page, sara.id);
  await find(page.getByTestId("find-duplicate"), "Email", "sara.again@example.com");
  const dialog = page.getByRole("dialog", { name: "Merge the two records" });
  await dialog.waitFor();
  const survivor = dialog.getByTestId("merge-survivor");
  const absorbed = dialog.getByTestId("merge-absorbed");
  assert.match(await survivor.textContent(), /سارا کریمی/);
  assert.match(await survivor.textContent(), new RegExp(sara.card));
  assert.match(await absorbed.textContent(), /Sara Karimi \(again\)/);
  assert.match(await absorbed.textContent(), new RegExp(duplicateCard));
  assert.match(await absorbed.textContent(), /Points available30/);
  // Side by side on a wide screen.
  const [left, right] = [await survivor.boundingBox(), await absorbed.boundingBox()];
  assert.equal(Math.round(left.y), Math.round(right.y), "the two records are side by side");
  await dialog.getByRole("button", { name: "Merge", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
  await page.getByTestId("said").filter({ hasText: `Merged: ${duplicate.id} → ${sara.id}: 30 points` }).waitFor();
  await page.getByTestId(`card-${duplicateCard}`).waitFor();

  assert.equal((await expectStaff("GET", `/v1/members/${duplicate.id}`, undefined, 200)).status, "merged");
  assert.equal((await balanceOf(sara)).points.available, before + 30);
  assert.deepEqual(problems, []);
  await context.close();
});

// Playwright has the answer once the browser has it; the page reads and draws it a moment later.
const settled = (page) => page.evaluate(() => new Promise((done) => setTimeout(done, 200)));

// Holds the browser's requests that `matches` picks until `release` is called.
async function holdRequests(page, matches) {
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await page.route(
    (address) => matches(address),
    async (route) => {
      await released;
      await route.continue();
    },
  );
  return release;
}

test("of two quick look-ups for a merge, the later one is confirmed and merged, whichever answers last", async () => {
  const keeper = await expectStaff("POST", "/v1/members", { full_name: "Keeper One", email: "keeper.one@example.com" }, 201);
  const [first, second] = [
    await expectStaff("POST", "/v1/members", { full_name: "Asked First", email: "asked.first@example.com" }, 201),
    await expectStaff("POST", "/v1/members", { full_name: "Asked Second", email: "asked.second@example.com" }, 201),
  ];
  const { context, page, problems } = await openConsole(1280, "en", `members/${keeper.id}`);
  await signIn(page, "en", "support");
  await memberPage(page, keeper.id);

  // The first record's balance is slow to come: the second is looked up meanwhile.
  const isFirstBalance = (address) => new URL(address).pathname === `/v1/members/${first.id}/balance`;
  const release = await holdRequests(page, isFirstBalance);
  const asked = page.waitForRequest((request) => isFirstBalance(request.url()));
  const form = page.getByTestId("find-duplicate");
  await find(form, "Email", "asked.first@example.com");
  await asked;
  await find(form, "Email", "asked.second@example.com");
  const dialog = page.getByRole("dialog", { name: "Merge the two records" });
  const absorbed = dialog.getByTestId("merge-absorbed");
  await absorbed.filter({ hasText: "Asked Second" }).waitFor();

  const answered = page.waitForResponse((response) => isFirstBalance(response.url()));
  release();
  await answered;
  await settled(page);
  assert.match(await absorbed.textContent(), /Asked Second/, "the first look-up's late answer changes nothing");
  await dialog.getByRole("button", { name: "Merge", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
  await page.getByTestId("said").filter({ hasText: `Merged: ${second.id} → ${keeper.id}` }).waitFor();
  assert.equal((await expectStaff("GET", `/v1/members/${second.id}`, undefined, 200)).status, "merged");
  assert.equal((await expectStaff("GET", `/v1/members/${first.id}`, undefined, 200)).status, "active");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the history shows the kind chosen last, and a list loaded again takes no older page that answers late", async () => {
  const member = await expectStaff("POST", "/v1/members", { full_name: "Hana Late", email: "hana.late@example.com" }, 201);
  // One more adjustment than a page holds, and a purchase.
  for (let count = 1; count <= 21; ++count) {
    await expectStaff("POST", `/v1/members/${member.id}/points/adjustments`, { points: count, reason: `goodwill ${count}` }, 201);
  }
  assert.equal((await sale(member.cards[0].number, 100000)).status, 201);
  const { context, page, problems } = await openConsole(1280, "en", `members/${member.id}`);
  await signIn(page, "en", "support");
  await memberPage(page, member.id);
  const history = page.getByTestId("history");
  const shown = history.locator("ol.entries > li");
  const descriptions = history.locator("ol.entries > li > p[dir=auto]");
  const isHistory = (address, test) => {
    const url = new URL(address);
    return url.pathname === `/v1/members/${member.id}/history` && test(url.searchParams);
  };

  // Earned chosen, slow to answer; Adjusted chosen meanwhile answers first.
  const isEarned = (address) => isHistory(address, (query) => query.get("kind") === "earned");
  const releaseEarned = await holdRequests(page, isEarned);
  const askedEarned = page.waitForRequest((request) => isEarned(request.url()));
  await history.locator("select").selectOption("earned");
  await askedEarned;
  const isAdjusted = (address) => isHistory(address, (query) => query.get("kind") === "adjusted");
  const adjustedAnswered = page.waitForResponse((response) => isAdjusted(response.url()));
  await history.locator("select").selectOption("adjusted");
  await adjustedAnswered;
  await settled(page);
  const earnedAnswered = page.waitForResponse((response) => isEarned(response.url()));
  releaseEarned();
  await earnedAnswered;
  await settled(page);
  assert.equal(await history.locator("select").inputValue(), "adjusted");
  const adjustments = await descriptions.allTextContents();
  assert.equal(adjustments.length, 20, adjustments.join("\n"));
  assert.ok(adjustments.every((entry) => /goodwill \d+$/.test(entry)), adjustments.join("\n"));

  // Older entries asked for, slow to answer; an adjustment made meanwhile loads the list again.
  const isOlder = (address) => isHistory(address, (query) => query.has("before"));
  const releaseOlder = await holdRequests(page, isOlder);
  const askedOlder = page.waitForRequest((request) => isOlder(request.url()));
  await history.getByRole("button", { name: "Older" }).click();
  await askedOlder;
  const adjust = page.getByTestId("adjust");
  await adjust.getByRole("textbox", { name: /^Points/ }).fill("5");
  await adjust.getByRole("textbox", { name: "Reason", exact: true }).fill("while older entries load");
  await adjust.getByRole("button", { name: "Adjust" }).click();
  await shown.first().filter({ hasText: "while older entries load" }).waitFor();
  const olderAnswered = page.waitForResponse((response) => isOlder(response.url()));
  releaseOlder();
  await olderAnswered;
  await settled(page);
  const reloaded = await descriptions.allTextContents();
  assert.equal(reloaded.length, 20, "the newest page alone, without the older page asked for before");
  assert.match(reloaded[0], /while older entries load$/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("support downloads the member's export as a JSON file", async () => {
  const { context, page, problems } = await openConsole(1280, "en", `members/${sara.id}`);
  await signIn(page, "en", "support");
  await memberPage(page, sara.id);
  const downloading = page.waitForEvent("download");
  await page.getByTestId("export").getByRole("button", { name: "Download the file" }).click();
  const download = await downloading;
  assert.equal(download.suggestedFilename(), `member-${sara.id}.json`);
  const exported = JSON.parse(await readFile(await download.path(), "utf8"));
  assert.equal(exported.member.id, sara.id);
  assert.equal(exported.member.profile.full_name, "سارا کریمی");
  assert.ok(exported.cards.some((card) => card.number === sara.card), JSON.stringify(exported.cards));
  assert.ok(exported.ledger_entries.length > 0);
  await page.getByTestId("said").filter({ hasText: "The export was downloaded." }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("only an admin erases, and only once the member's number is typed", async () => {
  const support = await openConsole(1280, "en", `members/${neda.id}`);
  await signIn(support.page, "en", "support");
  await memberPage(support.page, neda.id);
  assert.equal(await support.page.getByTestId("erase").count(), 0);
  assert.equal(await support.page.getByRole("button", { name: "Erase" }).count(), 0);
  await support.context.close();

  const { context, page, problems } = await openConsole(1280, "en", `members/${neda.id}`);
  await signIn(page, "en", "admin");
  await memberPage(page, neda.id);
  await page.getByTestId("erase").getByRole("button", { name: "Erase" }).click();
  const dialog = page.getByRole("dialog", { name: "Erase the member" });
  const confirm = dialog.getByRole("button", { name: "Erase", exact: true });
  const typed = dialog.getByRole("textbox", { name: /^To confirm, type the member number/ });
  await typed.fill(String(neda.id + 1));
  assert.equal(await confirm.isDisabled(), true);
  await typed.fill(String(neda.id));
  await confirm.click();
  await dialog.waitFor({ state: "detached" });
  await page.getByTestId("said").filter({ hasText: "The member was erased." }).waitFor();
  await page.getByTestId("member-summary").filter({ hasText: "erased" }).waitFor();
  assert.match(await page.getByTestId("profile").textContent(), /personal data has been erased/);
  assert.equal(await page.getByTestId("erase").count(), 0);
  const erased = await expectStaff("GET", `/v1/members/${neda.id}`, undefined, 200);
  assert.equal(erased.status, "erased");
  assert.equal(erased.full_name, undefined);
  assert.deepEqual(problems, []);
  await context.close();
});

test("Persian reads right to left with Jalali dates and Persian digits", async () => {
  const member = await expectStaff("GET", `/v1/members/${reza.id}`, undefined, 200);
  const { context, page, problems } = await openConsole(768, "fa", "members");
  await signIn(page, "fa", "support");
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  await find(page.getByTestId("find-member"), "تلفن", reza.phone);
  await memberPage(page, reza.id);
  const jalali = new Intl.DateTimeFormat("fa-IR-u-ca-persian-nu-arabext", {
    year: "numeric",
    month: "long",
    day: "numeric",
    timeZone: "Asia/Tehran",
  }).format(new Date(member.created_at));
  const summary = await page.getByTestId("member-summary").textContent();
  assert.ok(summary.includes(jalali), `${summary} has ${jalali}`);
  assert.match(summary, /عضو از/);
  assert.match(await page.getByTestId("points-available").textContent(), /^[۰-۹٬]+$/);
  assert.equal(await page.locator("h2").textContent(), "Reza Ahmadi");
  assert.deepEqual(problems, []);
  await context.close();
});

test("in Persian a replaced card's arrow points from the old number to the new the way the sentence reads", async () => {
  const member = await expectStaff("POST", "/v1/members", { full_name: "Mina Rahimi", email: "mina.rahimi@example.com" }, 201);
  const old = member.cards[0].number;
  const { context, page, problems } = await openConsole(768, "fa", `members/${member.id}`);
  await signIn(page, "fa", "support");
  await memberPage(page, member.id);
  await page.getByTestId(`card-${old}`).getByRole("button", { name: /^جایگزین کن/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox", { name: "دلیل", exact: true }).fill("کارت شکسته بود");
  await dialog.getByRole("button", { name: "جایگزین کن", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
  const cards = await expectStaff("GET", `/v1/members/${member.id}/cards`, undefined, 200);
  const replacement = cards.cards.find((card) => card.number !== old && card.state === "active");
  assert.ok(replacement, JSON.stringify(cards));
  await page.getByTestId("said").filter({ hasText: `${old} ← ${replacement.number}` }).waitFor();
  assert.doesNotMatch(await page.getByTestId("said").textContent(), /→/);
  assert.deepEqual(problems, []);
  await context.close();
});

// Every screen of the section: the look-up, a member's page, a card's reason, the merge's two
// records side by side and the erasure's confirmation.
test("every members screen passes axe-core, fits the screen, and is photographed in both languages", async () => {
  const words = {
    en: { block: /^Block/, phone: "Phone", merge: "Merge the two records", erase: "Erase", cancel: "Cancel" },
    fa: { block: /^مسدود کن/, phone: "تلفن", merge: "ادغام دو پرونده", erase: "پاک کن", cancel: "انصراف" },
  };
  for (const language of ["en", "fa"]) {
    for (const width of [1280, 768, 360]) {
      const said = words[language];
      const { context, page, problems } = await openConsole(width, language, "members");
      await signIn(page, language, "admin");
      await page.getByTestId("find-member").waitFor();
      await page.waitForLoadState("networkidle");
      await check(page, `members-look-up-${language}-${width}`, problems);

      await find(page.getByTestId("find-member"), said.phone, sara.phone);
      await memberPage(page, sara.id);
      await check(page, `members-member-${language}-${width}`, problems);

      await page.getByTestId(`card-${sara.card}`).getByRole("button", { name: said.block }).click();
      await page.getByRole("dialog").waitFor();
      await check(page, `members-card-${language}-${width}`, problems);
      await page.getByRole("dialog").getByRole("button", { name: said.cancel }).click();

      await find(page.getByTestId("find-duplicate"), said.phone, reza.phone);
      const merge = page.getByRole("dialog", { name: said.merge });
      await merge.waitFor();
      await check(page, `members-merge-${language}-${width}`, problems);
      await merge.getByRole("button", { name: said.cancel }).click();

      await page.getByTestId("erase").getByRole("button", { name: said.erase }).click();
      await page.getByRole("dialog").waitFor();
      await check(page, `members-erase-${language}-${width}`, problems);
      await context.close();
    }
  }
});
