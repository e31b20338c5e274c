// The member portal in a real Chromium against a real patrond: a member activates with a code
// from the file notifier, signs in, sees a purchase the till just made, switches to Persian
// (right to left, Persian digits) and signs out leaving nothing readable. Every page is scanned
// with axe-core and photographed at phone and desktop widths in both languages.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { baseUrl, demo, launch, lastCode, pos, purchase, screenshot, seriousViolations } from "./patron.mjs";

const portal = `${baseUrl}/portal/?program=DEMO`;
const sara = { phone: "09123456789", password: "sara's long secret" };
let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function openPortal(width, locale) {
  const context = await browser.newContext({ viewport: { width, height: 800 }, locale });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(portal);
  return { context, page, problems };
}

async function activate(page) {
  await page.getByRole("button", { name: "First time here, or forgot your password?" }).click();
  await page.getByLabel("Mobile number or email").fill(sara.phone);
  await page.getByRole("button", { name: "Send me a one-time code" }).click();
  await page.getByText("If this phone or email belongs to a member, a code is on its way.").waitFor();
  await page.getByLabel("One-time code").fill(lastCode());
  await page.getByLabel("New password (at least 8 characters)").fill(sara.password);
  await page.getByRole("button", { name: "Set password and sign in" }).click();
}

test("a member activates, sees the till's purchase, reads it in Persian and signs out", async () => {
  const { context, page, problems } = await openPortal(360, "en-GB");
  assert.equal(await page.getAttribute("html", "dir"), "ltr");
  assert.deepEqual(await seriousViolations(page), []);
  await screenshot(page, "sign-in-en-360");

  await activate(page);
  await page.getByTestId("points-available").waitFor();
  const before = Number(await page.getByTestId("points-available").textContent());

  const sale = await pos("POST", "/v1/pos/purchases", purchase("web-1", demo.members[0].card, 330000));
  assert.equal(sale.status, 201, JSON.stringify(sale.body));
  const earned = sale.body.points.earned;
  assert.ok(earned > 0);
  await page.reload();
  const shown = page.getByTestId("points-available");
  await shown.waitFor();
  assert.equal(Number(await shown.textContent()), before + earned);
  assert.deepEqual(await seriousViolations(page), []);
  await screenshot(page, "home-en-360");

  await page.getByRole("button", { name: "فارسی" }).click();
  await page.waitForFunction(() => document.documentElement.dir === "rtl");
  assert.equal(await page.getAttribute("html", "lang"), "fa");
  const persian = await page.getByTestId("points-available").textContent();
  assert.match(persian, /^[۰-۹٬]+$/, `Persian digits: ${persian}`);
  assert.equal(Number(persian.replace(/[۰-۹]/g, (d) => "۰۱۲۳۴۵۶۷۸۹".indexOf(d)).replace(/٬/g, "")), before + earned);
  assert.deepEqual(await seriousViolations(page), []);
  await screenshot(page, "home-fa-360");

  await page.getByRole("button", { name: "خروج" }).click();
  await page.getByRole("button", { name: "ورود" }).first().waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, "no token left behind");
  await page.goBack().catch(() => undefined);
  assert.equal(await page.getByTestId("points-available").count(), 0, "nothing of the member's after sign-out");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the pages read well at desktop width in both languages", async () => {
  for (const [locale, language] of [
    ["en-GB", "en"],
    ["fa-IR", "fa"],
  ]) {
    const { context, page, problems } = await openPortal(1280, locale);
    await page.evaluate((chosen) => localStorage.setItem("patron.language", chosen), language);
    await page.reload();
    await screenshot(page, `sign-in-${language}-1280`);
    assert.equal(await page.getAttribute("html", "dir"), language === "fa" ? "rtl" : "ltr");
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test("a wrong password is refused in words a person understands", async () => {
  const { context, page } = await openPortal(360, "en-GB");
  await page.evaluate(() => localStorage.setItem("patron.language", "en"));
  await page.reload();
  await page.getByLabel("Mobile number or email").fill(sara.phone);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).first().click();
  await page.getByRole("alert").waitFor();
  assert.match(await page.getByRole("alert").textContent(), /not right/);
  await context.close();
});
