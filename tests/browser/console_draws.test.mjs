// Prize draws in the console, in a real Chromium against a real patrond: a marketer makes a draw in
// its form in the Prize draws section (name, description, two prizes, the entry window on the
// programme's clock, entries per purchase from a least purchase, per amount and per unit of a SKU,
// codes from packs, the caps, a reserve and the public value it will be run with), a window that
// closes before it opens first, refused beside its field with nothing stored; saved, the API holds
// the terms as typed; published after a question, the form is fixed and the commitment shown; three
// packaging codes made and downloaded as CSV, the batch and every code. An analyst, who may only
// read draws, finds them in the same section (an old address under Configure leads there), a
// draft's terms and a published draw's read-only, with no button the API would refuse her. A draw
// that closed seconds after it was made (Sara's and Reza's purchases entered it, for its prize and
// its reserve) is run from its page with the public value as it came out, asked first, and its
// places are shown; support staff at the service desk open it, record the winner's claim, asked
// first, and download its proof, and the reserve's place has nothing to claim. The screens read
// right to left in Persian, and every screen passes axe-core and is photographed in both languages
// at 1280 and 360 px. The tests run in order: the last shows the draws the ones before made.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

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
  setUpTiers,
  signInToConsole,
} from "./patron.mjs";

const home = `${baseUrl}/console/`;
const users = {
  admin: demo.admin,
  marketer: { email: "draws.marketer@console.example", password: "a long marketer password", role: "marketer" },
  support: { email: "draws.support@console.example", password: "a long support password", role: "support" },
  analyst: { email: "draws.analyst@console.example", password: "a long analyst password", role: "analyst" },
};
const sara = demo.members[0];
const reza = demo.members[1];
const hour = 60 * 60 * 1000;
const day = 24 * hour;
let browser;
let zone; // The programme's time zone: the form's window is typed on its clock.
let autumn; // The draw the first test makes in the form, as the API has it after publishing.
let flash; // The draw the run test runs, as the API has it after the run.

before(async () => {
  for (const role of ["marketer", "support", "analyst"]) {
    await expectStaff("POST", "/v1/staff/users", { ...users[role], name: `Draws ${role}` }, 201);
  }
  zone = (await expectStaff("GET", "/v1/program/settings", undefined, 200)).time_zone;
  // Tiers, which the form offers by name (a programme without them answers 404 there).
  await setUpTiers();
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

// An instant as the API writes a draw's terms: whole seconds, UTC.
const instant = (at) => new Date(at).toISOString().replace(/\.\d+Z$/, "Z");
// An instant's date and time of day on the programme's clock, as the form takes them.
function wall(at) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

// Types `at` into the form's date and time of the window's end `name` ("Opens", "Closes").
async function typeInstant(page, name, at) {
  const group = page.getByRole("group", { name, exact: true });
  const { date, time } = wall(at);
  await group.getByLabel("Date", { exact: true }).fill(date);
  await group.getByLabel("Time", { exact: true }).fill(time);
  return group;
}

const persian = (text) => String(text).replace(/[0-9]/g, (digit) => "۰۱۲۳۴۵۶۷۸۹"[digit]);
const cellsOf = async (row) => (await row.locator("td").allTextContents()).map((cell) => cell.trim());
const codePattern = /^[2-9A-HJ-NP-Z]{12}$/;

// A downloaded CSV of draw codes, its rows (CRLF) split into cells after the header is checked.
function codesIn(file) {
  const rows = readFileSync(file, "utf8").split("\r\n").filter(Boolean);
  assert.equal(rows[0], "code,printed,draw_id,batch,used");
  return rows.slice(1).map((row) => row.split(","));
}

test("a marketer makes a draw in its form, a window closing before it opens is refused, and publishing shows the commitment", async () => {
  assert.deepEqual((await expectStaff("GET", "/v1/draws", undefined, 200)).draws, []);
  const { context, page, problems } = await openConsole(1280, "en", "marketer", "configure/rules");
  // Draws are a section of their own, no longer a screen of Configure.
  await page.getByRole("heading", { name: "Draft rules" }).waitFor();
  assert.equal(await page.getByRole("navigation", { name: "Configure screens" }).getByRole("link", { name: "Prize draws" }).count(), 0);
  await page.getByRole("navigation", { name: "Console sections" }).getByRole("link", { name: "Prize draws", exact: true }).click();
  await page.waitForURL(`${home}draws`);
  await page.getByText("No prize draw was made yet.").waitFor();
  assert.match(await page.locator("main section.section").textContent(), /made and changed here[\s\S]*claim is also recorded/);
  assert.match(await page.locator("main").textContent(), /A prize draw gives members entries for their purchases/);
  await page.waitForLoadState("networkidle");
  await check(page, "draws-empty-en-1280", problems);

  await page.getByRole("link", { name: "New prize draw" }).click();
  await page.waitForURL(`${home}draws/new`);
  await page.getByRole("heading", { name: "New prize draw" }).waitFor();
  await page.getByLabel("Name", { exact: true }).fill("Autumn draw");
  await page.getByLabel("Description", { exact: true }).fill("Win a bicycle or a tea set with every purchase.");
  // Two prizes: the form starts with one row.
  const first = page.getByRole("group", { name: "Prize 1", exact: true });
  await first.getByLabel("Prize's name").fill("Bicycle");
  assert.equal(await first.getByLabel("How many").inputValue(), "1");
  await page.getByRole("button", { name: "Add a prize" }).click();
  const second = page.getByRole("group", { name: "Prize 2", exact: true });
  await second.getByLabel("Prize's name").fill("Tea set");
  await second.getByLabel("How many").fill("2");
  // The window, on the programme's clock: from an hour ago, and (wrongly) closing a day before that.
  const minute = Math.floor(Date.now() / 60000) * 60000;
  const opens = minute - hour;
  const closes = minute + 2 * day;
  await typeInstant(page, "Opens", opens);
  const closing = await typeInstant(page, "Closes", opens - day);
  // Entries: one a purchase of at least 50,000, one more for every 100,000, two for each TEA-1,
  // three for each code; at most 10 a member and 5 a purchase; one reserve.
  assert.equal(await page.getByLabel("Entries per purchase", { exact: true }).inputValue(), "1");
  await page.getByLabel("Least purchase (IRR)").fill("50000");
  await page.getByLabel("For every whole amount of (IRR)").fill("100000");
  await page.getByLabel("Entries for each", { exact: true }).fill("1");
  await page.getByLabel("Entries per packaging code", { exact: true }).fill("3");
  const skus = page.getByRole("group", { name: "Entries per unit of a SKU", exact: true });
  await skus.getByRole("button", { name: "Add a SKU" }).click();
  await skus.getByLabel("SKU", { exact: true }).fill("TEA-1");
  await skus.getByLabel("SKU", { exact: true }).press("Tab");
  await skus.getByLabel("Entries per unit", { exact: true }).fill("2");
  await page.getByLabel("Most entries a member holds", { exact: true }).fill("10");
  await page.getByLabel("Most entries one purchase gives", { exact: true }).fill("5");
  await page.getByLabel("Reserve places", { exact: true }).fill("1");
  assert.equal(await page.getByLabel("Days to claim a prize", { exact: true }).inputValue(), "30");
  const publicValue = "The first drand round after the close, published at https://drand.love";
  await page.getByLabel("Public value", { exact: true }).fill(publicValue);
  await check(page, "draw-form-en-1280", problems);

  // Closing before it opens: refused beside the close, and nothing stored.
  await page.getByRole("button", { name: "Save the draft" }).click();
  const closingDate = closing.getByLabel("Date", { exact: true });
  await closingDate.and(page.locator("[aria-invalid=true]")).waitFor();
  assert.match(await problemOf(closingDate), /must be after opens_at/);
  assert.equal(await page.getByRole("group", { name: "Opens", exact: true }).getByLabel("Date", { exact: true }).getAttribute("aria-invalid"), null);
  assert.equal(await page.getByLabel("Name", { exact: true }).getAttribute("aria-invalid"), null);
  assert.match(await page.getByRole("alert").textContent(), /Please correct these: Closes/);
  assert.deepEqual((await expectStaff("GET", "/v1/draws", undefined, 200)).draws, []);
  await check(page, "draw-refused-en-1280", refusedRequests(problems));
  problems.length = 0;

  // Mended and saved: the draft as typed.
  await typeInstant(page, "Closes", closes);
  await page.getByRole("button", { name: "Save the draft" }).click();
  await page.waitForURL(/\/console\/draws\/\d+$/);
  await page.getByRole("status").filter({ hasText: "The draft is saved." }).waitFor();
  const id = Number(page.url().split("/").pop());
  const saved = await expectStaff("GET", `/v1/draws/${id}`, undefined, 200);
  assert.equal(saved.state, "draft");
  assert.deepEqual(saved.terms, {
    name: "Autumn draw",
    description: "Win a bicycle or a tea set with every purchase.",
    prizes: [{ name: "Bicycle", count: 1 }, { name: "Tea set", count: 2 }],
    opens_at: instant(opens),
    closes_at: instant(closes),
    eligibility: { stores: [], tiers: [], segments: [] },
    entries: { per_purchase: 1, min_spend: 50000, per_code: 3, per_amount: { amount: 100000, entries: 1 }, skus: { "TEA-1": 2 } },
    caps: { per_member: 10, per_purchase: 5 },
    reserves: 1,
    claim_days: 30,
    public_value: publicValue,
  });
  assert.equal(await page.getByTestId("draw-state").textContent(), "Draft");
  assert.equal(await page.getByTestId("draw-commitment").count(), 0);
  await page.waitForLoadState("networkidle");
  await check(page, "draw-draft-en-1280", problems);

  // Published after a question: the terms fixed, the commitment shown.
  const asked = await askedFirst(page, page.getByTestId("publish-draw"), "Publish this draw?", "draw-publish-asked-en-1280", problems);
  assert.equal((await expectStaff("GET", `/v1/draws/${id}`, undefined, 200)).state, "draft");
  await page.getByTestId("publish-draw").click();
  await asked.getByRole("button", { name: "Publish", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "The draw is published; its commitment is shown above." }).waitFor();
  autumn = await expectStaff("GET", `/v1/draws/${id}`, undefined, 200);
  assert.equal(autumn.state, "open");
  assert.match(autumn.commitment, /^[0-9a-f]{64}$/);
  assert.equal(await page.getByTestId("draw-commitment").textContent(), autumn.commitment);
  assert.equal(await page.getByTestId("draw-state").textContent(), "Open");
  await page.getByText("The draw is published: its terms are fixed, and shown here as they are.").waitFor();
  assert.equal(await page.getByLabel("Name", { exact: true }).isDisabled(), true);
  assert.equal(await page.getByRole("button", { name: "Save the draft" }).count(), 0);
  assert.equal(await page.getByTestId("publish-draw").count(), 0);

  // Three packaging codes, downloaded as the batch's CSV and as every code of the draw.
  await page.getByLabel("Codes to make", { exact: true }).fill("3");
  await page.getByTestId("make-draw-codes").click();
  await page.getByRole("status").filter({ hasText: "3 codes made as batch 1." }).waitFor();
  await page.getByTestId("draw-codes-count").filter({ hasText: "3 made, 0 used" }).waitFor();
  assert.equal(await page.getByTestId("draw-codes").textContent(), "3 made, 0 used");
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download batch 1 (CSV)" }).click();
  const batch = await downloading;
  assert.equal(batch.suggestedFilename(), `draw-codes-${id}-1.csv`);
  const rows = codesIn(await batch.path());
  assert.equal(rows.length, 3);
  for (const [code, printed, drawId, batchNumber, used] of rows) {
    assert.match(code, codePattern);
    assert.equal(printed, `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`);
    assert.deepEqual([drawId, batchNumber, used], [String(id), "1", "false"]);
  }
  assert.equal(new Set(rows.map(([code]) => code)).size, 3);
  const everything = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download every code (CSV)" }).click();
  const all = await everything;
  assert.equal(all.suggestedFilename(), `draw-codes-${id}.csv`);
  assert.deepEqual(codesIn(await all.path()).map(([code]) => code).sort(), rows.map(([code]) => code).sort());
  assert.deepEqual((await expectStaff("GET", `/v1/draws/${id}`, undefined, 200)).codes, { made: 3, used: 0 });
  await page.waitForLoadState("networkidle");
  await check(page, "draw-published-en-1280", problems);

  // The list shows it open, with its codes.
  await page.getByRole("link", { name: "All prize draws" }).click();
  await page.waitForURL(`${home}draws`);
  const row = page.getByTestId("draws").locator("tbody tr", { hasText: "Autumn draw" });
  await row.waitFor();
  const cells = await cellsOf(row);
  assert.equal(cells[0], "Autumn draw");
  assert.equal(cells[1], "Open");
  assert.equal(cells[3], "0 entries by 0 members");
  assert.equal(cells[4], "3 made, 0 used");
  assert.equal(await row.getByRole("link", { name: "Autumn draw" }).getAttribute("href"), `/console/draws/${id}`);
  await page.waitForLoadState("networkidle");
  await check(page, "draws-en-1280", problems);
  await context.close();
});

test("an analyst reads the draws in their own section, from an old Configure address too, and is offered nothing to change", async () => {
  assert.ok(autumn, "the test before published the autumn draw");
  // A draft, which the API lists to every role that reads draws.
  const now = Date.now();
  const spring = await expectStaff("POST", "/v1/draws", {
    name: "Spring draw",
    prizes: [{ name: "Kettle", count: 1 }],
    opens_at: instant(now + 30 * day),
    closes_at: instant(now + 60 * day),
    entries: { per_purchase: 1 },
    caps: { per_member: 5 },
    public_value: "The first drand round after the close",
  }, 201);
  // A bookmark of the list under Configure leads to the section's.
  const { context, page, problems } = await openConsole(1280, "en", "analyst", "configure/draws");
  await page.waitForURL(`${home}draws`);
  const sectionLinks = page.getByRole("navigation", { name: "Console sections" });
  assert.equal(await sectionLinks.getByRole("link", { name: "Prize draws", exact: true }).getAttribute("aria-current"), "page");
  assert.equal(await sectionLinks.getByRole("link", { name: "Configure" }).count(), 0);
  const row = page.getByTestId("draws").locator("tbody tr", { hasText: "Spring draw" });
  await row.waitFor();
  assert.equal((await cellsOf(row))[1], "Draft");
  assert.doesNotMatch(await page.locator("main section.section").textContent(), /made and changed|recorded/);
  await page.getByText("Your role reads the draws; admins and marketers make and run them.").waitFor();
  assert.equal(await page.getByRole("link", { name: "New prize draw" }).count(), 0);

  // The draft's terms, read in a form that takes no typing, with nothing to save or publish.
  await row.getByRole("link", { name: "Spring draw" }).click();
  await page.waitForURL(`${home}draws/${spring.id}`);
  await page.getByTestId("draw-state").filter({ hasText: "Draft" }).waitFor();
  assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), "Spring draw");
  assert.equal(await page.getByLabel("Name", { exact: true }).isDisabled(), true);
  assert.equal(await page.getByRole("button", { name: "Add a prize" }).isDisabled(), true);
  for (const refused of ["save-draw", "publish-draw", "cancel-draw"]) {
    assert.equal(await page.getByTestId(refused).count(), 0, refused);
  }

  // A published draw by its old address: its commitment, and neither cancelling nor its codes.
  await page.goto(`${home}configure/draws/${autumn.id}`);
  await page.waitForURL(`${home}draws/${autumn.id}`);
  await page.getByTestId("draw-commitment").waitFor();
  assert.equal(await page.getByTestId("draw-commitment").textContent(), autumn.commitment);
  assert.equal(await page.getByLabel("Name", { exact: true }).isDisabled(), true);
  for (const refused of ["save-draw", "publish-draw", "cancel-draw", "make-draw-codes", "download-draw-codes"]) {
    assert.equal(await page.getByTestId(refused).count(), 0, refused);
  }
  await page.waitForLoadState("networkidle");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a closed draw is run from its page with the public value as published, asked first, and shows its places; support records the claim and downloads the proof", async () => {
  // A draw that closes seconds after it is made, with a reserve; Sara's purchase gives her 3
  // entries, Reza's 1.
  const now = Date.now();
  const made = await expectStaff("POST", "/v1/draws", {
    name: "Flash draw",
    prizes: [{ name: "Coffee for a year", count: 1 }],
    opens_at: instant(now - hour),
    closes_at: instant(now + 8000),
    entries: { per_purchase: 1, per_amount: { amount: 100000, entries: 1 }, min_spend: 50000 },
    caps: { per_member: 10 },
    reserves: 1,
    public_value: "The national lottery's first number on the day after the close",
  }, 201);
  const published = await expectStaff("POST", `/v1/draws/${made.id}/publish`, undefined, 200);
  for (const [receipt, member, amount] of [["DRAWS-CONSOLE-1", sara, 250000], ["DRAWS-CONSOLE-2", reza, 60000]]) {
    const sold = await pos("POST", "/v1/pos/purchases", purchase(receipt, member.card, amount));
    assert.equal(sold.status, 201, JSON.stringify(sold.body));
  }
  await sleep(Math.max(0, Date.parse(published.terms.closes_at) - Date.now()) + 1500);

  const { context, page, problems } = await openConsole(1280, "en", "marketer", `draws/${made.id}`);
  await page.getByTestId("draw-state").filter({ hasText: "Closed, to be run" }).waitFor();
  assert.equal(await page.getByTestId("draw-entries").textContent(), "4 entries by 2 members");
  assert.equal(await page.getByTestId("draw-public-value-source").textContent(), published.terms.public_value);
  // No value typed: said beside the field, and nothing asked.
  const value = page.getByLabel("The public value, as published");
  await page.getByTestId("run-draw").click();
  await value.and(page.locator("[aria-invalid=true]")).waitFor();
  assert.equal(await problemOf(value), "Type the public value first.");
  assert.equal(await page.getByRole("dialog").count(), 0);
  await page.waitForLoadState("networkidle");
  await check(page, "draw-closed-en-1280", problems);

  const outcome = "Lottery draw 1404-09-15: 31 07 22 45 12 09";
  await value.fill(outcome);
  const asked = await askedFirst(page, page.getByTestId("run-draw"), "Run the draw", "draw-run-asked-en-1280", problems);
  assert.equal((await expectStaff("GET", `/v1/draws/${made.id}`, undefined, 200)).state, "closed");
  await page.getByTestId("run-draw").click();
  await asked.getByRole("button", { name: "Run it, once and for all" }).click();
  await page.getByRole("status").filter({ hasText: "The draw was run; its places are below." }).waitFor();
  flash = await expectStaff("GET", `/v1/draws/${made.id}`, undefined, 200);
  assert.equal(flash.state, "drawn");
  assert.equal(flash.public_value, outcome);
  assert.equal(flash.places.length, 2, JSON.stringify(flash.places));
  // Whoever the draw took first holds the prize; the other, the reserve place.
  const [place, reserve] = flash.places;
  assert.deepEqual([place.place, place.prize, place.state], [1, "Coffee for a year", "won"]);
  assert.deepEqual([reserve.place, reserve.prize, reserve.state, reserve.claim_by], [2, null, "reserve", null]);
  assert.deepEqual([place.member_id, reserve.member_id].sort(), [sara.id, reza.id].sort());
  assert.equal(await page.getByTestId("draw-state").textContent(), "Drawn");
  assert.equal(await page.getByTestId("draw-public-value").textContent(), outcome);
  assert.equal(await page.getByTestId("draw-digest").textContent(), flash.entries_digest);
  assert.equal(await page.getByTestId("run-draw").count(), 0);
  const rows = page.getByTestId("draw-places").locator("tbody tr");
  const cells = await cellsOf(rows.first());
  assert.deepEqual(cells.slice(0, 5), ["1", "Coffee for a year", place.reference, String(place.member_id), "Won, to be claimed"]);
  assert.match(cells[5], /^\d{1,2} \w+ \d{4}/, cells[5]);
  assert.deepEqual(await cellsOf(rows.nth(1)), ["2", "Reserve", reserve.reference, String(reserve.member_id), "Reserve, waiting", "—", ""]);
  // A reserve's place holds no prize to claim.
  assert.equal(await rows.nth(1).getByRole("button").count(), 0);

  // The marketer may record the winner's claim too; it is support staff who hand prizes over.
  assert.equal(await page.getByTestId("claim-draw-place-1").count(), 1);
  await page.waitForLoadState("networkidle");
  assert.deepEqual(problems, []);
  await context.close();

  // Support staff at the service desk open the drawn draw in its section: its places, the winner's
  // member a link to her page, and nothing of making or running draws.
  const desk = await openConsole(1280, "en", "support", `draws/${made.id}`);
  await desk.page.getByTestId("draw-places").waitFor();
  const deskSections = desk.page.getByRole("navigation", { name: "Console sections" });
  assert.equal(await deskSections.getByRole("link", { name: "Prize draws", exact: true }).getAttribute("aria-current"), "page");
  await desk.page
    .getByText("Your role reads the draws and records a winner's claim when her prize is handed over; admins and marketers make and run them.")
    .waitFor();
  assert.equal(await desk.page.getByLabel("Name", { exact: true }).isDisabled(), true);
  for (const refused of ["save-draw", "publish-draw", "cancel-draw", "run-draw"]) {
    assert.equal(await desk.page.getByTestId(refused).count(), 0, refused);
  }
  const deskRows = desk.page.getByTestId("draw-places").locator("tbody tr");
  const winner = deskRows.first().getByRole("link", { name: String(place.member_id), exact: true });
  assert.equal(await winner.getAttribute("href"), `/console/members/${place.member_id}`);

  // The winner's claim, recorded after a question: the place reads as claimed, with its day.
  await desk.page.getByTestId("claim-draw-place-1").click();
  const claiming = desk.page.getByRole("dialog", { name: "Record the claim?" });
  await claiming.getByRole("button", { name: "Record claim", exact: true }).click();
  await desk.page.getByRole("status").filter({ hasText: "The claim of place 1 is recorded." }).waitFor();
  const claimed = (await expectStaff("GET", `/v1/draws/${made.id}`, undefined, 200)).places[0];
  assert.equal(claimed.state, "claimed");
  assert.match(claimed.claimed_at, /^\d{4}-\d{2}-\d{2}T/);
  const claimedCells = await cellsOf(deskRows.first());
  assert.match(claimedCells[4], /^Claimed on \d{1,2} \w+ \d{4}/, claimedCells[4]);
  assert.equal(claimedCells[6], "");
  assert.equal(await desk.page.getByTestId("claim-draw-place-1").count(), 0);

  // The proof, downloaded: the seed whose SHA-256 is the commitment, and the value it was run with.
  const downloading = desk.page.waitForEvent("download");
  await desk.page.getByTestId("download-draw-proof").click();
  const download = await downloading;
  assert.equal(download.suggestedFilename(), `draw-${made.id}-proof.json`);
  const proof = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(createHash("sha256").update(Buffer.from(proof.seed, "hex")).digest("hex"), published.commitment);
  assert.equal(proof.public_value, outcome);
  const tickets = (entrant) => (entrant.member_id === sara.id ? 3 : 1);
  assert.deepEqual(
    proof.entrants,
    [place, reserve].map((entrant) => ({ reference: entrant.reference, tickets: tickets(entrant) })).sort((a, b) =>
      a.reference < b.reference ? -1 : 1),
  );
  await desk.page.waitForLoadState("networkidle");
  await check(desk.page, "draw-drawn-en-1280", desk.problems);
  await desk.context.close();
});

test("the draws read right to left in Persian, and fit a phone", async () => {
  assert.ok(autumn && flash, "the tests before made the draws");
  for (const [language, width] of [["fa", 1280], ["fa", 360], ["en", 360]]) {
    const fa = language === "fa";
    const { context, page, problems } = await openConsole(width, language, "marketer", "draws");
    await page.getByTestId("draws").waitFor();
    if (fa) assert.equal(await page.getAttribute("html", "dir"), "rtl");
    const row = page.getByTestId("draws").locator("tbody tr", { hasText: "Autumn draw" });
    assert.equal((await cellsOf(row))[1], fa ? "در جریان" : "Open");
    assert.equal((await cellsOf(row))[4], fa ? `${persian(3)} ساخته‌شده، ${persian(0)} استفاده‌شده` : "3 made, 0 used");
    await page.waitForLoadState("networkidle");
    await check(page, `draws-${language}-${width}`, problems);

    // The open draw: its commitment left to right, whole.
    await row.getByRole("link", { name: "Autumn draw" }).click();
    await page.getByTestId("draw-commitment").waitFor();
    assert.equal(await page.getByTestId("draw-commitment").textContent(), autumn.commitment);
    assert.equal(await page.getByTestId("draw-state").textContent(), fa ? "در جریان" : "Open");
    await page.waitForLoadState("networkidle");
    await check(page, `draw-${language}-${width}`, problems);

    // The drawn one: its place, the member in the page's digits, its claim in the page's words.
    await page.goto(`${home}draws/${flash.id}`);
    await page.getByTestId("draw-places").waitFor();
    const cells = await cellsOf(page.getByTestId("draw-places").locator("tbody tr").first());
    const winner = flash.places[0].member_id;
    assert.equal(cells[3], fa ? persian(winner) : String(winner));
    assert.equal(cells[2], flash.places[0].reference);
    assert.match(cells[4], fa ? /^در .+ دریافت شد$/ : /^Claimed on /, cells[4]);
    await page.waitForLoadState("networkidle");
    await check(page, `draw-drawn-${language}-${width}`, problems);

    // A new draw's form.
    await page.goto(`${home}draws/new`);
    await page.locator("form.draw").waitFor();
    if (fa) assert.equal(await page.getByRole("heading", { name: "قرعه‌کشی تازه" }).count(), 1);
    await page.waitForLoadState("networkidle");
    await check(page, `draw-form-${language}-${width}`, problems);
    await context.close();
  }
});
