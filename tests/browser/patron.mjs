// What the browser tests share: the patrond they were given (by the C++ test that started it),
// the demo's credentials, a signed POS request as a till sends it (docs/integration.md: HMAC-SHA256
// of METHOD, PATH, TIMESTAMP, NONCE and the body's SHA-256, under the terminal's secret), the
// one-time codes the file notifier wrote, and Debian's Chromium driven by playwright-core.
import assert from "node:assert/strict";
import { createHash, createHmac, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { chromium } from "playwright-core";

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the browser tests are started by tests/e2e/portal_pages_test.cpp`);
  return value;
}

export const baseUrl = required("PATRON_URL");
export const demo = JSON.parse(readFileSync(required("PATRON_DEMO"), "utf8"));
const notificationsFile = required("PATRON_NOTIFICATIONS");
export const screenshots = required("PATRON_SCREENSHOTS");
mkdirSync(screenshots, { recursive: true });

// A signed request of `terminal` (the demo's till unless another is given).
export async function pos(method, path, document, terminal = demo.terminal) {
  const body = document === undefined ? "" : JSON.stringify(document);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString("hex");
  const bodyHash = createHash("sha256").update(body).digest("hex");
  const signature = createHmac("sha256", terminal.secret)
    .update(`${method}\n${path}\n${timestamp}\n${nonce}\n${bodyHash}`)
    .digest("hex");
  const response = await fetch(baseUrl + path, {
    method,
    body: body || undefined,
    headers: {
      "Content-Type": "application/json",
      "X-Patron-Key": terminal.key_id,
      "X-Patron-Timestamp": timestamp,
      "X-Patron-Nonce": nonce,
      "X-Patron-Signature": signature,
    },
  });
  return { status: response.status, body: await response.json() };
}

// A purchase at the demo till (or `till`, in its `currency`), now, of one line of `amount`
// minor units on `card`.
export function purchase(receipt, card, amount, till = { ...demo.terminal, currency: "IRR" }) {
  const now = new Date();
  return {
    store: till.store,
    terminal: till.terminal,
    receipt,
    business_day: now.toISOString().slice(0, 10),
    // To the millisecond: a sale is rated by the rules in force at its pos_time, and rules published
    // a moment before must be (cut to the second, the time could fall before their publication).
    pos_time: now.toISOString(),
    currency: till.currency,
    ...(card ? { card } : {}),
    lines: [{ line: 1, sku: "COF-1", category: "coffee", quantity: 1, unit_price: amount, amount, discount: 0 }],
    total: amount,
  };
}

// A staff call with the demo's admin token, as a marketer would configure the programme.
export async function staff(method, path, document) {
  const response = await fetch(baseUrl + path, {
    method,
    body: document === undefined ? undefined : JSON.stringify(document),
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${demo.staff_token}` },
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export async function expectStaff(method, path, document, status) {
  const answer = await staff(method, path, document);
  if (answer.status !== status) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

// Tiers by points over a rolling year: Bronze, Silver from 50 points, Gold from 500.
export async function setUpTiers() {
  await expectStaff("PUT", "/v1/program/tiers", {
    measure: "points",
    window: { kind: "rolling", months: 12 },
    downgrade: "one_step",
    grace_days: 30,
    tiers: [
      { name: "Bronze", threshold: 0 },
      { name: "Silver", threshold: 50 },
      { name: "Gold", threshold: 500 },
    ],
  }, 200);
}

// The tiers, 5% cashback and a coffee stamp card of three whose reward is a free-coffee coupon:
// what the home page draws.
export async function setUpProgramme() {
  await setUpTiers();
  const campaign = await expectStaff("POST", "/v1/coupon-campaigns", {
    name: "Free coffee",
    type: "free_item",
    conditions: { categories: ["coffee"] },
    limits: { per_member: 5 },
  }, 201);
  await expectStaff("POST", `/v1/coupon-campaigns/${campaign.id}/publish`, undefined, 200);
  await expectStaff("PUT", "/v1/program/rules/draft/cashback/back5", { name: "Cashback 5%", percent: 5 }, 200);
  await expectStaff("PUT", "/v1/program/rules/draft/stamp-cards/coffee", {
    name: "Coffee card",
    goal: 3,
    conditions: { categories: ["coffee"] },
    reward: { coupon_campaign: campaign.id, label: "free coffee" },
  }, 200);
  await expectStaff("POST", "/v1/program/rules/publish", {}, 201);
}

export function lastCode() {
  const lines = readFileSync(notificationsFile, "utf8").trim().split("\n");
  return JSON.parse(lines[lines.length - 1]).code;
}

// Debian's Chromium headless shell (scripts/lib.sh); CHROMIUM names another, the full browser
// (/usr/bin/chromium) for one.
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium-headless-shell",
    args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
  });
}

// An amount of the demo's rials as every page writes it (and the receipts): the number, a no-break
// space, then the currency: "50,000 IRR", "۵۰٬۰۰۰ ریال".
export function rials(language, n) {
  const number = new Intl.NumberFormat(language === "fa" ? "fa-IR-u-nu-arabext" : "en-GB").format(n);
  return `${number}\u00a0${language === "fa" ? "ریال" : "IRR"}`;
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

let axeScript;
const axeSource = () =>
  (axeScript ??= readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8"));

// axe-core run inside the page; the violations a person would be stopped by.
export async function seriousViolations(page) {
  // Evaluated through the DevTools protocol: the page's CSP (no inline script) stays in force.
  // Once per document: a page that only changed since keeps it.
  if (!(await page.evaluate(() => "axe" in globalThis))) await page.evaluate(axeSource());
  // Only the violations are gathered: what passed, or could not be decided, is not read.
  const results = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.length})`);
}

// The lists (select) on the page too narrow for the choice they show: its text, in the list's font,
// wider than the list less its padding and Chromium's arrow (20 px).
export async function cutLists(page) {
  return page.evaluate(() => {
    const measure = document.createElement("canvas").getContext("2d");
    return [...document.querySelectorAll("select")]
      .filter((list) => list.getClientRects().length > 0 && list.selectedIndex >= 0)
      .flatMap((list) => {
        const style = getComputedStyle(list);
        measure.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const text = list.options[list.selectedIndex].text;
        const needs = measure.measureText(text).width;
        const room = list.clientWidth - parseFloat(style.paddingInlineStart) - parseFloat(style.paddingInlineEnd) - 20;
        return needs > room ? [`${list.name}: "${text}" needs ${Math.ceil(needs)} px, has ${Math.floor(room)}`] : [];
      });
  });
}

// What every page a test shows must pass: no serious accessibility violation, nothing wider than
// the screen, no list that cuts its choice short, a screenshot for people to look at, and no
// console error or failed request.
export async function check(page, name, problems) {
  assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name} is ${overflow} px wider than the screen`);
  assert.deepEqual(await cutLists(page), [], `lists cut short on ${name}`);
  await screenshot(page, name);
  assert.deepEqual(problems, [], `console on ${name}`);
}

// The staff console at `path` below /console/ in a fresh context of `browser`, `width` px wide, in
// `language` (the choice the page keeps on the device); what the page logs as an error is
// collected in `problems`, for check(); `options` go to the context (acceptDownloads).
export async function openConsole(browser, width, language, path = "", options = {}) {
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    locale: language === "fa" ? "fa-IR" : "en-GB",
    ...options,
  });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(`${baseUrl}/console/${path}`);
  await page.evaluate((chosen) => localStorage.setItem("patron.console.language", chosen), language);
  await page.reload();
  return { context, page, problems };
}

// Signs `user` ({email, password}) in on the console's sign-in form in `language`, and waits for
// the sections the role may use.
export async function signInToConsole(page, language, user) {
  const labels = { en: ["Email", "Password"], fa: ["ایمیل", "گذرواژه"] }[language];
  await page.getByLabel(labels[0]).fill(user.email);
  await page.getByLabel(labels[1]).fill(user.password);
  await page.locator("form.sign-in button[type=submit]").click();
  await page.locator("nav.sections").waitFor();
}

// The problem shown beside a control, read through its aria-describedby (and the control marked invalid).
export async function problemOf(control) {
  assert.equal(await control.getAttribute("aria-invalid"), "true");
  const describedBy = await control.getAttribute("aria-describedby");
  return control.page().locator(`[id="${describedBy.split(" ").pop()}"]`).textContent();
}

// Opens the question `button` asks before what cannot be undone: focus moves into it, and Escape
// closes it again; the dialog, to answer yes in when asked again.
export async function askedFirst(page, button, title, screenshot, problems) {
  await button.click();
  const asked = page.getByRole("dialog", { name: title });
  await asked.waitFor();
  assert.ok(await asked.evaluate((dialog) => dialog.contains(document.activeElement)));
  await check(page, screenshot, problems);
  await page.keyboard.press("Escape");
  await asked.waitFor({ state: "detached" });
  return asked;
}
