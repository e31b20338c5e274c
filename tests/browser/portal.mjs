// What the portal's browser tests share: Sara, the demo member they follow, and the steps she
// takes on the portal's pages (open it in a language at a width, activate, sign in, switch
// language, open a view, fill in a receipt to claim).
import { baseUrl, demo, lastCode } from "./patron.mjs";

export const sara = { phone: "09123456789", password: "sara's long secret", card: demo.members[0].card };

export const portal = `${baseUrl}/portal/?program=DEMO`;
export const persianDigits = "۰۱۲۳۴۵۶۷۸۹";

// Persian or Latin digits with any grouping, as a number.
export function numberIn(text) {
  const latin = text.replace(/[۰-۹]/g, (digit) => String(persianDigits.indexOf(digit))).replace(/[^0-9-]/g, "");
  return Number(latin);
}

// The portal in a new context of `browser`, its language chosen; what the page logs as errors
// is collected in `problems`.
export async function openPortal(browser, width, language) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: language === "fa" ? "fa-IR" : "en-GB" });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(portal);
  await page.evaluate((chosen) => localStorage.setItem("patron.language", chosen), language);
  await page.reload();
  return { context, page, problems };
}

// Sara's first time: a one-time code (from the file notifier) and a password.
export async function activate(page) {
  await page.getByRole("button", { name: "First time here, or forgot your password?" }).click();
  await page.getByLabel("Mobile number or email").fill(sara.phone);
  await page.getByRole("button", { name: "Send me a one-time code" }).click();
  await page.getByText("If this phone or email belongs to a member, a code is on its way.").waitFor();
  await page.getByLabel("One-time code").fill(lastCode());
  await page.getByLabel("New password (at least 8 characters)").fill(sara.password);
  await memberLanguageTaken(page, () => page.getByRole("button", { name: "Set password and sign in" }).click());
  await page.getByTestId("points-available").waitFor();
}

export async function signIn(page) {
  await page.getByLabel(/Mobile number or email|تلفن همراه یا ایمیل/).fill(sara.phone);
  await page.getByLabel(/^(Password|گذرواژه)$/).fill(sara.password);
  await memberLanguageTaken(page, () => page.locator("form.sign-in button[type=submit]").click());
  await page.getByTestId("points-available").waitFor();
}

// Signing in (`submit`), the portal reads the member's own language (GET /v1/me) and takes it:
// waited for here, or a test's speak() could switch the language first and be switched back
// under its feet.
async function memberLanguageTaken(page, submit) {
  const read = page.waitForResponse(
    (response) => new URL(response.url()).pathname === "/v1/me" && response.request().method() === "GET");
  await submit();
  const { language } = await (await read).json();
  if (language) await page.waitForFunction((wanted) => document.documentElement.lang === wanted, language);
}

// The portal follows the member's own language once they are in; switch it for the test.
export async function speak(page, language) {
  await page.waitForLoadState("networkidle");
  const dir = language === "fa" ? "rtl" : "ltr";
  if ((await page.getAttribute("html", "dir")) !== dir) {
    await page.getByRole("button", { name: language === "fa" ? "فارسی" : "English" }).click();
    await page.waitForFunction((wanted) => document.documentElement.dir === wanted, dir);
  }
}

export async function view(page, name) {
  await page.goto(`${portal}#${name}`);
  await page.locator("main").waitFor();
}

// The claim form filled in as an English page labels it, for a receipt of today at till T01.
export async function fillClaim(page, { store, receipt, total }) {
  const form = page.locator("form.claim");
  await form.getByLabel("Store").fill(store);
  await form.getByLabel("Till").fill("T01");
  await form.getByLabel(/Receipt date/).fill(new Date().toISOString().slice(0, 10));
  await form.getByLabel("Receipt number").fill(receipt);
  await form.getByLabel("Receipt total").fill(total);
  return form;
}
