// Prize draws in the member portal, in a real Chromium against a real patrond: staff make and
// publish two draws through the API, one open for two hours (entries per purchase from a least
// purchase and per amount spent, codes from packs, caps a member and a purchase, two prizes) and
// one that closes seconds after it is made, and two packaging codes for the first (read from the
// batch's CSV); Sara's purchase at the till enters both. On her "Prize draws" page the open draw
// shows her 3 entries of 10, its prizes, how entries are earned, its commitment and the public
// value it will be run with; a code typed in lower case with dashes adds 3 entries, the same code
// again and a code no draw has are refused beside the field; her history lists what the draws gave
// her (the code's entries and the purchase's in each draw), among the rest and under its own
// filter, in the server's sentences. Once the second draw has closed and staff have run it, her
// page shows her reference and that she won its first prize (the only entrant holds the first
// place), and the proof holds the seed (whose SHA-256 is the commitment), the public value and her
// place, recomputed here as docs/draws.md says. Every page is scanned with axe-core, checked for
// overflow and photographed at 390 and 1280 px in both languages.
import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { baseUrl, check, demo, expectStaff, launch, pos, purchase, rials } from "./patron.mjs";
import { activate, openPortal, persianDigits, sara, signIn, speak, view } from "./portal.mjs";

const hour = 60 * 60 * 1000;
// An instant as the API takes it, in whole seconds.
const instant = (at) => new Date(at).toISOString().replace(/\.\d+Z$/, "Z");

// The open draw: an entry for each purchase of at least 50,000 IRR, one more for every 100,000,
// three for each code from a pack; at most 10 a member and 5 a purchase.
const summer = {
  name: "Summer draw",
  description: "Win a bicycle or a tea set: every purchase counts.",
  prizes: [{ name: "Bicycle", count: 1 }, { name: "Tea set", count: 2 }],
  entries: { per_purchase: 1, per_amount: { amount: 100000, entries: 1 }, min_spend: 50000, per_code: 3 },
  caps: { per_member: 10, per_purchase: 5 },
  public_value: "The first drand round after the close, published at https://drand.love",
};
// The draw that closes seconds after it is made, to be run by the third test.
const flash = {
  name: "Flash draw",
  prizes: [{ name: "Coffee for a year", count: 1 }, { name: "Mug", count: 3 }],
  entries: { per_purchase: 1, per_amount: { amount: 100000, entries: 1 }, min_spend: 50000 },
  caps: { per_member: 10 },
  public_value: "The national lottery's first number on the day after the close",
};
// The value the flash draw is run with, as it came out on the day after the close (Tehran's
// Jalali date: "Lottery draw 1405/09/16: 31 07 22 45 12 09").
const lotteryDay = new Intl.DateTimeFormat("en-u-ca-persian-nu-latn", {
  timeZone: "Asia/Tehran",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
}).formatToParts(Date.now() + 86_400_000);
const flashValue = `Lottery draw ${["year", "month", "day"].map((type) => lotteryDay.find((part) => part.type === type).value).join("/")}: 31 07 22 45 12 09`;

let browser;
let zone; // The programme's time zone: the pages show every time on its clock.
let summerDraw; // Each draw as POST /v1/draws/{id}/publish answered.
let flashDraw;
let codes; // The summer draw's two packaging codes, as the batch's CSV lists them.

// The code as printed on the pack, in groups of four with dashes; as a member might type it, in
// lower case.
const printed = (code) => code.replace(/(.{4})(?=.)/g, "$1-");
const typed = (code) => printed(code).toLowerCase();

before(async () => {
  zone = (await expectStaff("GET", `/v1/members/${demo.members[0].id}/balance`, undefined, 200)).time_zone;
  const now = Date.now();
  const made = await expectStaff("POST", "/v1/draws", { ...summer, opens_at: instant(now - hour), closes_at: instant(now + hour) }, 201);
  assert.equal(made.state, "draft");
  summerDraw = await expectStaff("POST", `/v1/draws/${made.id}/publish`, undefined, 200);
  assert.equal(summerDraw.state, "open");
  assert.match(summerDraw.commitment, /^[0-9a-f]{64}$/);

  // Two codes, read from the batch's CSV as a printer would (code,printed,draw_id,batch,used; CRLF).
  const batch = await expectStaff("POST", `/v1/draws/${made.id}/codes`, { count: 2 }, 201);
  assert.equal(batch.made, 2);
  const csv = await fetch(baseUrl + batch.export, { headers: { Authorization: `Bearer ${demo.staff_token}` } });
  assert.equal(csv.status, 200);
  const rows = (await csv.text()).split("\r\n").filter(Boolean);
  assert.equal(rows[0], "code,printed,draw_id,batch,used");
  codes = rows.slice(1).map((row) => row.split(",")[0]);
  assert.equal(codes.length, 2);
  assert.ok(codes.every((code) => /^[2-9A-HJ-NP-Z]{12}$/.test(code)), codes.join(" "));

  // The flash draw, then at once Sara's purchase of 250,000 IRR: 1 + 2 entries in each draw.
  const flashNow = Date.now();
  const flashMade = await expectStaff(
    "POST", "/v1/draws", { ...flash, opens_at: instant(flashNow - hour), closes_at: instant(flashNow + 8000) }, 201);
  flashDraw = await expectStaff("POST", `/v1/draws/${flashMade.id}/publish`, undefined, 200);
  const sold = await pos("POST", "/v1/pos/purchases", purchase("DRAWS-1", sara.card, 250000));
  assert.equal(sold.status, 201, JSON.stringify(sold.body));
  for (const draw of [summerDraw, flashDraw]) {
    const entered = await expectStaff("GET", `/v1/draws/${draw.id}`, undefined, 200);
    assert.deepEqual([entered.entries, entered.entrants], [3, 1], `${draw.terms.name}: ${JSON.stringify(entered)}`);
  }
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

// The browser logs a refused request (a used code's 409, an unknown code's 422) as a failed
// resource: expected.
const refusedRequests = (problems) => problems.filter((logged) => !/status of 4(09|22)/.test(logged));

const toPersian = (number) => String(number).replace(/[0-9]/g, (digit) => persianDigits[Number(digit)]);
// A name the club wrote, as the page sets it into its own sentence: isolated (U+2068 … U+2069).
const isolated = (name) => `\u2068${name}\u2069`;

// An instant on the programme's clock as the English page writes it: "5 December 2026, 14:05".
function momentIn(at) {
  const when = new Date(at);
  const day = new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "long", day: "numeric", timeZone: zone }).format(when);
  const time = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone }).format(when);
  return `${day}, ${time}`;
}

const card = (page, draw) => page.getByTestId(`draw-${draw.id}`);
const testIdOf = (page, name, draw) => page.getByTestId(`${name}-${draw.id}`);

async function openDraws(page) {
  await view(page, "draws");
  await page.getByTestId("draws").waitFor();
  await card(page, summerDraw).waitFor();
}

// Sara signed in (activated by the first test), on her Prize draws page in `language` at `width`.
async function saraDraws(width, language) {
  const opened = await openPortal(browser, width, language);
  await signIn(opened.page);
  await speak(opened.page, language);
  await openDraws(opened.page);
  return opened;
}

test("a member sees an open draw with her entries and how to earn more, and enters a code from a pack", async () => {
  const { context, page, problems } = await openPortal(browser, 390, "en");
  await activate(page);
  await speak(page, "en");

  // Reached from the portal's navigation like every other section.
  await page.getByRole("link", { name: "Prize draws" }).click();
  await card(page, summerDraw).waitFor();
  assert.equal(await page.getByRole("link", { name: "Prize draws" }).getAttribute("aria-current"), "page");
  const shown = await mine(page, "/v1/me/draws");
  const summerShown = shown.draws.find((draw) => draw.id === summerDraw.id);
  assert.deepEqual(summerShown.earning, { ...summer.entries, per_purchase_cap: 5 }, JSON.stringify(summerShown));
  assert.equal(summerShown.public_value_source, summer.public_value);

  // The open draw: its badge, window, prizes, entries against the cap and how to earn more.
  const open = card(page, summerDraw);
  assert.equal(await open.getAttribute("data-state"), "open");
  assert.equal(await open.locator(".badge").textContent(), "Open");
  assert.equal(await open.locator("h2").textContent(), "Summer draw");
  assert.equal(await open.locator(".draw-description").textContent(), summer.description);
  assert.equal(
    await testIdOf(page, "draw-window", summerDraw).textContent(),
    `Open for entries from ${momentIn(summerDraw.terms.opens_at)} until ${momentIn(summerDraw.terms.closes_at)}.`,
  );
  assert.deepEqual(await testIdOf(page, "draw-prizes", summerDraw).locator("li").allTextContents(), ["Bicycle", "Tea set × 2"]);
  assert.equal(await testIdOf(page, "draw-entries", summerDraw).textContent(), "3 entries of at most 10");
  const earning = testIdOf(page, "draw-earning", summerDraw).locator("li");
  assert.deepEqual(
    await earning.evaluateAll((lines) => lines.map((line) => line.dataset.way)),
    ["per_purchase", "per_amount", "per_code", "per_purchase_cap"],
  );
  const ways = await earning.allTextContents();
  assert.match(ways[0], new RegExp(`^1 entry for each purchase of at least ${rials("en", 50000)}$`), ways[0]);
  assert.match(ways[1], new RegExp(`^1 entry for every ${rials("en", 100000)} spent$`), ways[1]);
  assert.equal(ways[2], "3 entries for each code from a pack");
  assert.equal(ways[3], "At most 5 entries from one purchase");
  assert.equal(await open.getByRole("heading", { name: "How to earn entries" }).count(), 1);

  // The commitment, shortened; opened, whole, with the public value the draw will be run with.
  const commitment = testIdOf(page, "draw-commitment", summerDraw);
  const { commitment: published } = summerDraw;
  assert.equal(await commitment.locator("summary").textContent(), `Commitment: ${published.slice(0, 8)}…${published.slice(-8)}`);
  assert.equal(await testIdOf(page, "draw-public-value", summerDraw).isVisible(), false);
  await commitment.locator("summary").click();
  assert.equal(await testIdOf(page, "draw-commitment-whole", summerDraw).textContent(), published);
  assert.equal(
    await testIdOf(page, "draw-public-value", summerDraw).textContent(),
    `The winners will be drawn with this public value, which nobody can know before entries close: ${isolated(summer.public_value)}`,
  );

  // The flash draw took the same purchase; it gives no entries for codes, so it has no code form.
  assert.equal(await testIdOf(page, "draw-entries", flashDraw).textContent(), "3 entries of at most 10");
  assert.equal(await testIdOf(page, "draw-code-form", flashDraw).count(), 0);
  await page.waitForLoadState("networkidle");
  await check(page, "draws-open-en-390", problems);

  // A code from a pack, typed in lower case with dashes: 3 entries more.
  const form = testIdOf(page, "draw-code-form", summerDraw);
  const field = testIdOf(page, "draw-code", summerDraw);
  const problem = testIdOf(page, "draw-code-problem", summerDraw);
  await field.fill(typed(codes[0]));
  await form.getByRole("button", { name: "Enter code" }).click();
  await testIdOf(page, "draw-code-result", summerDraw)
    .filter({ hasText: `3 entries added to ${isolated("Summer draw")}: you now hold 6 entries.` })
    .waitFor();
  await testIdOf(page, "draw-entries", summerDraw).filter({ hasText: /^6 entries of at most 10$/ }).waitFor();
  assert.equal(await field.inputValue(), "");
  assert.equal(await problem.textContent(), "");
  assert.equal((await mine(page, "/v1/me/draws")).draws.find((draw) => draw.id === summerDraw.id).entries, 6);
  await check(page, "draws-code-entered-en-390", problems);

  // The same code again: refused beside the field, and nothing more held.
  await field.fill(typed(codes[0]));
  await form.getByRole("button", { name: "Enter code" }).click();
  await problem.filter({ hasText: "This code was entered already: each code counts once." }).waitFor();
  assert.equal(await field.getAttribute("aria-invalid"), "true");
  assert.equal(await testIdOf(page, "draw-code-result", summerDraw).textContent(), "");
  assert.equal(await testIdOf(page, "draw-entries", summerDraw).textContent(), "6 entries of at most 10");

  // A code no draw has.
  await field.fill("2222-2222-2222");
  await form.getByRole("button", { name: "Enter code" }).click();
  await problem.filter({ hasText: "No draw has this code: compare it with the code on the pack." }).waitFor();
  assert.equal((await mine(page, "/v1/me/draws")).draws.find((draw) => draw.id === summerDraw.id).entries, 6);
  await check(page, "draws-code-refused-en-390", refusedRequests(problems));
  problems.length = 0;

  // The same in Persian: right to left, Persian digits, the amounts in rials; the code as printed.
  await speak(page, "fa");
  assert.equal(await page.getAttribute("html", "lang"), "fa");
  await testIdOf(page, "draw-entries", summerDraw).filter({ hasText: `${toPersian(6)} شانس از حداکثر ${toPersian(10)}` }).waitFor();
  // The refusal still beside the field is said again in Persian.
  assert.equal(await problem.textContent(), "این کد در هیچ قرعه‌کشی‌ای نیست؛ آن را با کد روی بسته‌بندی مقایسه کنید.");
  assert.equal(await card(page, summerDraw).locator(".badge").textContent(), "در جریان");
  const persianWays = await testIdOf(page, "draw-earning", summerDraw).locator("li").allTextContents();
  assert.equal(persianWays.length, 4);
  assert.match(persianWays[0], /^۱ شانس برای هر خرید دست‌کم /, persianWays[0]);
  // The amount as the receipts write it: the number, then the rial's name.
  assert.ok(persianWays[0].includes(rials("fa", 50000)), persianWays[0]);
  assert.match(persianWays[1], /^۱ شانس به ازای هر /, persianWays[1]);
  assert.ok(persianWays[1].includes(rials("fa", 100000)), persianWays[1]);
  assert.equal(persianWays[2], "۳ شانس برای هر کد روی بسته‌بندی");
  assert.equal(persianWays[3], "حداکثر ۵ شانس از هر خرید");
  assert.doesNotMatch(persianWays.join(" "), /[0-9]/, "no Latin digit in the Persian ways");
  assert.equal(await page.getByRole("link", { name: "قرعه‌کشی‌ها" }).getAttribute("aria-current"), "page");
  await check(page, "draws-fa-390", problems);

  // Her history: the code's entries among the rest, then the draws' entries alone, each in the
  // sentence the API writes in her language (Persian now: the switch told the club).
  await view(page, "history");
  const lines = page.getByTestId("history").locator("li");
  await lines.filter({ hasText: printed(codes[0]) }).waitFor();
  await page.getByRole("button", { name: "شانس‌های قرعه‌کشی", exact: true }).click();
  const listed = await mine(page, "/v1/me/history?kind=draws&limit=20");
  const entered = listed.entries.find((entry) => entry.source === "code");
  assert.deepEqual(
    [entered.draw_id, entered.code, entered.earned, entered.entries, entered.purchase],
    [summerDraw.id, printed(codes[0]), 3, 3, null],
    JSON.stringify(entered),
  );
  assert.equal(
    entered.description,
    listed.language === "fa"
      ? `+۳ شانس در قرعه‌کشی Summer draw با کد ${printed(codes[0])}`
      : `+3 entries in Summer draw for code ${printed(codes[0])}`,
  );
  const bought = listed.entries.filter((entry) => entry.source === "purchase");
  assert.deepEqual(bought.map((entry) => [entry.draw_id, entry.purchase?.receipt, entry.earned]).sort(), [
    [summerDraw.id, "DRAWS-1", 3],
    [flashDraw.id, "DRAWS-1", 3],
  ].sort());
  await page.waitForFunction(
    (count) => document.querySelectorAll("[data-testid=history] li").length === count,
    listed.entries.length,
  );
  assert.deepEqual(await lines.locator("p:first-child").allTextContents(), listed.entries.map((entry) => entry.description));
  await check(page, "history-draws-fa-390", problems);
  await context.close();
});

test("the page reads well on phones and desktops in both languages", async () => {
  for (const [language, width] of [["en", 390], ["en", 1280], ["fa", 1280]]) {
    const { context, page, problems } = await saraDraws(width, language);
    await testIdOf(page, "draw-entries", summerDraw).filter({ hasText: language === "fa" ? toPersian(6) : "6" }).waitFor();
    await testIdOf(page, "draw-earning", summerDraw).waitFor();
    await page.waitForLoadState("networkidle");
    await check(page, `draws-${language}-${width}`, problems);
    await context.close();
  }
});

// docs/draws.md, "The draw, and how to check it": place p's ticket and attempt.
function recomputed(proof, place) {
  const seed = Buffer.from(proof.seed, "hex");
  const pool = BigInt(proof.tickets);
  const span = 1n << 64n;
  for (let attempt = 0; attempt < 64; ++attempt) {
    const message = `patron-draw-v1\n${proof.entries_digest}\n${proof.public_value}\n${place}\n${attempt}`;
    const x = createHmac("sha256", seed).update(message).digest().readBigUInt64BE(0);
    if (x >= span - (span % pool)) continue;
    return { ticket: Number(x % pool), attempt };
  }
  throw new Error("no attempt was taken");
}

test("after the close the draw is run, and she finds her reference, her prize and the proof", async () => {
  // Run by staff once it has closed, with the public value as it came out.
  await sleep(Math.max(0, Date.parse(flashDraw.terms.closes_at) - Date.now()) + 1500);
  const run = await expectStaff("POST", `/v1/draws/${flashDraw.id}/run`, { public_value: flashValue }, 200);
  assert.equal(run.state, "drawn");
  // Every entrant is placed up to the draw's places: Sara, the only one, holds the first.
  assert.equal(run.places.length, 1, JSON.stringify(run.places));
  const [first] = run.places;
  assert.deepEqual([first.place, first.prize, first.member_id, first.state], [1, "Coffee for a year", demo.members[0].id, "won"]);
  const proof = await expectStaff("GET", `/v1/draws/${flashDraw.id}/proof`, undefined, 200);

  // What anyone can check: the seed's SHA-256 is the commitment published before; the digest is of
  // the entrants' lines; her place's ticket and attempt follow from the seed and the public value.
  assert.equal(createHash("sha256").update(Buffer.from(proof.seed, "hex")).digest("hex"), flashDraw.commitment);
  assert.deepEqual(proof.entrants, [{ reference: first.reference, tickets: 3 }]);
  assert.equal(proof.entries_digest, createHash("sha256").update(`${first.reference},3\n`).digest("hex"));
  assert.equal(proof.public_value, flashValue);
  assert.deepEqual(
    proof.places.map(({ place, ticket, attempt }) => ({ place, ticket, attempt })),
    [{ place: 1, ...recomputed(proof, 0) }],
  );

  const { context, page, problems } = await saraDraws(390, "en");
  const drawn = card(page, flashDraw);
  await drawn.waitFor();
  assert.equal(await drawn.getAttribute("data-state"), "drawn");
  assert.equal(await drawn.locator(".badge").textContent(), "Drawn");
  assert.equal(await testIdOf(page, "draw-reference", flashDraw).textContent(), first.reference);
  assert.equal(await testIdOf(page, "draw-held", flashDraw).textContent(), "You held 3 entries in this draw.");
  const places = testIdOf(page, "draw-places", flashDraw).locator("li");
  assert.equal(await places.count(), 1);
  assert.equal(await places.first().getAttribute("data-state"), "won");
  assert.equal(
    await places.first().textContent(),
    `You won ${isolated("Coffee for a year")}! Claim it by ${momentIn(first.claim_by)}; the club will be in touch.`,
  );
  // A drawn draw says nothing more of entries to earn, nor takes codes.
  assert.equal(await testIdOf(page, "draw-earning", flashDraw).count(), 0);
  assert.equal(await testIdOf(page, "draw-entries", flashDraw).count(), 0);
  await testIdOf(page, "draw-commitment", flashDraw).locator("summary").click();
  assert.equal(
    await testIdOf(page, "draw-public-value", flashDraw).textContent(),
    `The winners were drawn with the public value announced with the draw: ${isolated(flash.public_value)}`,
  );
  await page.waitForLoadState("networkidle");
  await check(page, "draws-drawn-en-390", problems);

  // The proof: the seed and the public value whole, and her place marked.
  await testIdOf(page, "draw-proof-button", flashDraw).click();
  const shownProof = testIdOf(page, "draw-proof", flashDraw);
  await shownProof.getByTestId("proof-seed").waitFor();
  assert.equal(await shownProof.getByTestId("proof-seed").textContent(), proof.seed);
  assert.equal(await shownProof.getByTestId("proof-public-value").textContent(), flashValue);
  assert.equal(await shownProof.getByTestId("proof-commitment").textContent(), flashDraw.commitment);
  assert.equal(await shownProof.getByTestId("proof-digest").textContent(), proof.entries_digest);
  assert.equal(await shownProof.getByTestId("proof-algorithm").textContent(), "patron-draw-v1");
  assert.equal(await shownProof.getByTestId("proof-tickets").textContent(), "3 entries held by 1 entrant");
  const row = shownProof.getByTestId("proof-places").locator("tbody tr");
  assert.equal(await row.count(), 1);
  assert.equal(await row.getAttribute("class"), "hers");
  assert.deepEqual(
    (await row.locator("td").allTextContents()).map((cell) => cell.trim()),
    ["1", "Coffee for a year", `${first.reference} (you)`, String(proof.places[0].ticket), String(proof.places[0].attempt)],
  );
  assert.equal(await page.getByTestId("draw-proof-button-" + flashDraw.id).getAttribute("aria-expanded"), "true");
  await check(page, "draws-proof-en-390", problems);

  // Kept as a file: the API's proof as it came.
  const downloading = page.waitForEvent("download");
  await shownProof.getByTestId("proof-download").click();
  const download = await downloading;
  assert.equal(download.suggestedFilename(), `draw-${flashDraw.id}-proof.json`);
  assert.deepEqual(JSON.parse(readFileSync(await download.path(), "utf8")), await mine(page, `/v1/me/draws/${flashDraw.id}/proof`));

  // In Persian: her prize in Persian words and digits; her reference and the hashes as they are.
  await speak(page, "fa");
  await drawn.locator(".badge").filter({ hasText: "قرعه‌کشی شد" }).waitFor();
  const won = await places.first().textContent();
  assert.ok(won.startsWith(`شما برندهٔ ${isolated("Coffee for a year")} شدید!`), won);
  assert.doesNotMatch(won.replace("Coffee for a year", ""), /[0-9]/, "no Latin digit in the Persian place");
  assert.equal(await testIdOf(page, "draw-reference", flashDraw).textContent(), first.reference);
  assert.equal(await shownProof.getByTestId("proof-seed").textContent(), proof.seed);
  await check(page, "draws-drawn-fa-390", problems);
  await context.close();

  // Drawn, at desktop width in both languages, the proof open.
  for (const language of ["en", "fa"]) {
    const desktop = await saraDraws(1280, language);
    await testIdOf(desktop.page, "draw-reference", flashDraw).waitFor();
    await testIdOf(desktop.page, "draw-proof-button", flashDraw).click();
    await testIdOf(desktop.page, "draw-proof", flashDraw).getByTestId("proof-seed").waitFor();
    await desktop.page.waitForLoadState("networkidle");
    await check(desktop.page, `draws-drawn-${language}-1280`, desktop.problems);
    await desktop.context.close();
  }
});
