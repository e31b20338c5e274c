// The member portal of a programme in Pakistani rupees, whose two decimals the browser's own
// locale data leave out (Chromium's CLDR gives PKR none; ISO 4217 and Patron give it two): the
// pages show and read amounts with the exponent the API sends beside the currency, so the
// cashback of 12,345 paisa reads 123.45 as the receipt prints it, and a receipt's total typed as
// printed, 123.45, is claimed. The IRR programme of portal.test.mjs keeps its whole rials.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { check, expectStaff, launch, pos, purchase, setUpProgramme } from "./patron.mjs";
import { activate, fillClaim, openPortal, sara, signIn, speak, view } from "./portal.mjs";

let browser;
let till;

before(async () => {
  const settings = await expectStaff("PATCH", "/v1/program/settings", { currency: "PKR" }, 200);
  assert.equal(settings.currency_exponent, 2);
  await expectStaff("POST", "/v1/stores", { code: "K001", name: "Lahore Mall", time_zone: "Asia/Karachi" }, 201);
  const key = await expectStaff("POST", "/v1/stores/K001/terminals", { code: "T01" }, 201);
  till = { ...key, currency: "PKR" };
  await setUpProgramme();
  // A sale's rules are those in force at its till time, which the test's sales give to the
  // second: the next second is surely after the publication.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function sell(receipt, amount, card) {
  const sale = await pos("POST", "/v1/pos/purchases", purchase(receipt, card, amount, till), till);
  assert.equal(sale.status, 201, JSON.stringify(sale.body));
  return sale.body;
}

test("the cashback and a visit's total show paisa, in English and in Persian", async () => {
  // 5% cashback of 2,469.00 PKR: 123.45 PKR.
  const sale = await sell("pkr-1", 246900, sara.card);
  assert.equal(sale.cashback?.earned, 12345, JSON.stringify(sale));
  const { context, page, problems } = await openPortal(browser, 360, "en");
  await activate(page);
  await speak(page, "en");
  await page.getByTestId("cashback").waitFor();
  assert.match(await page.getByTestId("cashback").textContent(), /^123\.45\sPKR$/);
  assert.match(await page.getByTestId("awaiting-ratings").textContent(), /2,469\.00\sPKR/);
  // A card with one stamp says so in the singular.
  const oneStamp = page.locator(".stamp-card ol.stamps[aria-label^='1 ']").first();
  await oneStamp.waitFor({ timeout: 5000 });
  assert.match(await oneStamp.getAttribute("aria-label"), /^1 stamp of \d+$/);
  await check(page, "home-pkr-en-360", problems);
  await speak(page, "fa");
  assert.match(await page.getByTestId("cashback").textContent(), /۱۲۳٫۴۵/);
  await check(page, "home-pkr-fa-360", problems);
  await context.close();
});

test("a receipt's total typed as printed, with its paisa, is claimed", async () => {
  await sell("pkr-anon", 12345, "");
  const { context, page, problems } = await openPortal(browser, 1280, "en");
  await signIn(page);
  await speak(page, "en");
  await view(page, "claim");
  const form = await fillClaim(page, { store: "K001", receipt: "pkr-anon", total: "123.45" });
  await form.getByRole("button", { name: "Get this receipt's points" }).click();
  await page.getByTestId("claim-result").waitFor();
  // One point, in the singular.
  assert.match(await page.getByTestId("claim-result").textContent(), /Receipt credited: 1 point$/);
  await check(page, "claim-pkr-en-1280", problems);
  // A third decimal is more than a rupee has: refused before it is sent.
  await form.getByLabel("Receipt total").fill("123.456");
  await form.getByRole("button", { name: "Get this receipt's points" }).click();
  await page.getByText("Write the amount in digits only.").waitFor();
  await context.close();
});
