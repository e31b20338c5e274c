// The API reference at /docs/ (web/docs: api/openapi.yaml shown by Swagger UI) as an integrator
// reads it, at a desktop's and a phone's width: served with the portal's own security headers, it
// lists the operations (POST /v1/pos/purchases among them) with no console error and no
// Content-Security-Policy violation, asks nothing of any origin but patrond's, keeps an
// operation's address (deep linking) and tries a staff call out against this same patrond.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";

import { baseUrl, check, demo, launch } from "./patron.mjs";

const origin = new URL(baseUrl).origin;
// An operation's block; its id is the page's own operationId (web/docs/src/main.ts).
const purchases = "#operations-pos-post-v1-pos-purchases";
const securityHeaders = [
  "content-security-policy",
  "x-content-type-options",
  "referrer-policy",
  "x-frame-options",
  "cross-origin-opener-policy",
  "cache-control",
];

let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

// /docs/ in a new context `width` px wide. `problems` collects what the page logs as an error,
// what it throws and every CSP violation (the securitypolicyviolation event, listened to before
// any script of the page runs); `requests` every address the page asked for.
async function openDocs(width, hash = "") {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "en-GB" });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) =>
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
        `(${event.sourceFile}:${event.lineNumber}) ${event.sample}`));
  });
  const problems = [];
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  const page = await context.newPage();
  page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("requestfailed", (request) => problems.push(`${request.url()}: ${request.failure()?.errorText}`));
  const response = await page.goto(`${baseUrl}/docs/${hash}`);
  assert.equal(response.status(), 200);
  await page.locator("#app .information-container .title").waitFor();
  return { context, page, problems, requests, response };
}

// Swagger UI draws only the operations near the screen (a virtual list: an operation scrolled past
// is taken off the page again), so a search for one scrolls for it. Each step is half a screen, so
// every operation is on the screen at one of the looks, and a look waits for two frames after its
// step, for the list to draw what the step brought in; on a loaded machine the list may still draw
// late, and a step taken meanwhile would pass the block by, so at the bottom the search goes round
// from the top again rather than waiting there. The bound is time, not a count of steps: a phone's
// width makes the page several times taller than a desktop's. A block drawn and then drawn again
// (React replaces it while the page below it still loads) is looked for again rather than waited on
// where it was.
async function scrollTo(page, selector, seconds = 90) {
  const wanted = page.locator(selector);
  const deadline = Date.now() + seconds * 1000;
  let rounds = 0;
  for (;;) {
    if ((await wanted.count()) > 0) {
      try {
        await wanted.scrollIntoViewIfNeeded({ timeout: 5000 });
        return wanted;
      } catch (error) {
        if (error.name !== "TimeoutError" || Date.now() > deadline) throw error;
      }
    } else if (Date.now() > deadline) {
      const drawn = await page.locator(".opblock").count();
      throw new Error(`${selector} was not drawn within ${seconds} s of scrolling ` +
        `(${rounds} times from the top to the bottom; ${drawn} operations drawn at the end)`);
    }
    const fromTheTop = await page.evaluate(() => new Promise((resolve) => {
      const bottom = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
      window.scrollTo(0, bottom ? 0 : window.scrollY + Math.round(window.innerHeight / 2));
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(bottom)));
    }));
    if (fromTheTop) ++rounds;
  }
}

function offOrigin(requests) {
  return requests.filter((url) => !url.startsWith("data:") && new URL(url).origin !== origin);
}

test("the reference comes with the portal's security headers and the contract of this build", async () => {
  const [docs, portal] = await Promise.all([fetch(`${baseUrl}/docs/`), fetch(`${baseUrl}/portal/`)]);
  assert.equal(docs.status, 200);
  assert.equal(portal.status, 200);
  for (const name of securityHeaders) assert.equal(docs.headers.get(name), portal.headers.get(name), name);
  assert.doesNotMatch(docs.headers.get("content-security-policy"), /unsafe-inline|unsafe-eval/);
  const page = await docs.text();
  assert.match(page, /<title>Patron API reference<\/title>/);
  assert.doesNotMatch(page, /<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=/, "no inline script or style");
  assert.doesNotMatch(page, /(src|href)="(https?:)?\/\//, "nothing from another origin");
  const contract = await fetch(`${baseUrl}/docs/openapi.yaml`);
  assert.equal(contract.status, 200);
  assert.equal(await contract.text(), readFileSync(new URL("../../api/openapi.yaml", import.meta.url), "utf8"));
});

for (const width of [1280, 390]) {
  test(`the operations are listed at ${width} px with nothing blocked and nothing from elsewhere`, async () => {
    const { context, page, problems, requests, response } = await openDocs(width);
    const portal = await fetch(`${baseUrl}/portal/`);
    assert.equal(response.headers()["content-security-policy"], portal.headers.get("content-security-policy"));
    assert.equal(await page.title(), "Patron API reference");
    assert.match(await page.locator(".docs-header").textContent(), /Patron API reference/);
    // No list of servers: "Try it out" goes to this patrond, whatever server the contract names.
    assert.equal(await page.locator(".servers select").count(), 0);
    await page.locator('.opblock-get .opblock-summary-path[data-path="/healthz"]').waitFor();
    const operation = await scrollTo(page, purchases);
    assert.match(await operation.locator(".opblock-summary-control").textContent(),
      /^POST\s*\/v1\/pos\/purchases\s*Commit a purchase once/);
    await page.waitForLoadState("networkidle");
    await page.evaluate(() => window.scrollTo(0, 0));
    await check(page, `docs-${width}`, problems);
    assert.deepEqual(offOrigin(requests), []);
    assert.ok(requests.includes(`${baseUrl}/docs/openapi.yaml`), requests.join("\n"));
    await context.close();
  });
}

test("an operation's address opens it, and a staff call is tried out against this patrond", async () => {
  const first = await openDocs(1280);
  const operation = await scrollTo(first.page, purchases);
  await operation.locator(".opblock-summary-control").click();
  await first.page.waitForFunction(() => window.location.hash === "#/pos/post-v1-pos-purchases");
  const address = first.page.url();
  await first.context.close();

  // Deep linking: the address opens the reference at that operation, expanded.
  const { context, page, problems, requests } = await openDocs(1280, new URL(address).hash);
  const opened = page.locator(`${purchases}.is-open`);
  await opened.waitFor();
  assert.match(await opened.textContent(), /Commit a purchase once/);
  await check(page, "docs-deep-link-1280", problems);

  // Authorize with the demo's staff token, then GET /v1/program/settings through "Try it out".
  await page.getByRole("button", { name: /Authorize/ }).first().click();
  const dialog = page.locator(".auth-container").filter({ hasText: /^staff/ });
  await dialog.locator("input").fill(demo.staff_token);
  await dialog.getByRole("button", { name: "Apply credentials" }).click();
  await dialog.getByText("Authorized").waitFor();
  await page.locator(".dialog-ux .close-modal").click();
  const block = await scrollTo(page, "#operations-program-get-v1-program-settings");
  await block.locator(".opblock-summary-control").click();
  await block.getByRole("button", { name: "Try it out" }).click();
  const [call] = await Promise.all([
    page.waitForRequest((request) => new URL(request.url()).pathname === "/v1/program/settings"),
    block.getByRole("button", { name: "Execute" }).click(),
  ]);
  assert.equal(call.url(), `${baseUrl}/v1/program/settings`);
  assert.equal(call.headers().authorization, `Bearer ${demo.staff_token}`);
  const status = block.locator(".live-responses-table .response .response-col_status").first();
  await status.waitFor();
  assert.equal((await status.textContent()).trim(), "200");
  assert.match(await block.locator(".curl-command").textContent(), new RegExp(`${baseUrl}/v1/program/settings`));
  await page.waitForLoadState("networkidle");
  await check(page, "docs-try-it-out-1280", problems);
  assert.deepEqual(offOrigin(requests), []);
  await context.close();
});
