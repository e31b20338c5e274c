// A marketer configures the programme's rules in the console, in a real Chromium against a real
// patrond: a category bonus made through the form (not the JSON view), a problem the API finds
// shown beside its field, the draft tried on a basket with the rule's receipt line, published,
// and earned by the next signed purchase at the till with that same line; rolled back, the
// following purchase earns it no more. A stamp card that is a collection gets its items in the
// form, a problem with one shown beside it. The JSON view round-trips the document, versions
// compare in words, the Persian screens read right to left with Jalali dates, and a support user gets no
// editor even by its address. Every screen passes axe-core and is photographed in both languages
// at 1280, 768 and 360 px.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";

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
  marketer: { email: "rules.marketer@console.example", password: "a long marketer password", role: "marketer" },
  support: { email: "rules.support@console.example", password: "a long support password", role: "support" },
};
let browser;

before(async () => {
  for (const user of [users.marketer, users.support]) {
    await expectStaff("POST", "/v1/staff/users", { ...user, name: `Rules ${user.role}` }, 201);
  }
  // Tiers, which the rule form offers by name (a programme without them answers 404 there).
  await setUpTiers();
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function openConsole(width, language, role, path = "", beforeSignIn = async () => {}) {
  const { context, page, problems } = await consolePage(browser, width, language, path);
  await beforeSignIn(page);
  await signInToConsole(page, language, users[role]);
  return { context, page, problems };
}


// The browser logs a refused request (422, or a 503 made up here) as a failed resource: expected.
const refusedRequests = (problems) => problems.filter((logged) => !/status of (422|503)/.test(logged));

// The till's answer to a purchase of one coffee line on Sara's card. Its POS time is in whole
// seconds, and a version is in force from the instant it was published: the purchase waits for
// the next second, so that it is rated by what was just published.
async function buyCoffee(receipt) {
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const answer = await pos("POST", "/v1/pos/purchases", purchase(receipt, demo.members[0].card, 100000));
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  return answer.body;
}

test("a category bonus made in the form is previewed, published, earned at the till, and rolled back", async () => {
  const { context, page, problems } = await openConsole(1280, "en", "marketer");
  await page.getByRole("link", { name: "Configure" }).click();
  await page.waitForURL(`${home}configure/rules`);
  await page.getByRole("heading", { name: "Draft rules" }).waitFor();
  // Each list's heading stands apart from the links that end the list before it.
  const bonusLink = await page.getByRole("link", { name: "New bonus" }).boundingBox();
  const cashbackHeading = await page.getByRole("heading", { name: "Cashback rules" }).boundingBox();
  assert.ok(cashbackHeading.y - (bonusLink.y + bonusLink.height) >= 24, JSON.stringify({ bonusLink, cashbackHeading }));
  await check(page, "rules-draft-en-1280", problems);

  // A problem the API finds is shown beside its field: an id with ":" is reserved.
  await page.getByRole("link", { name: "New bonus" }).click();
  await page.waitForURL(`${home}configure/new-rule/bonus`);
  await page.getByLabel("Name", { exact: true }).fill("Coffee bonus");
  await page.getByLabel("Id", { exact: true }).fill("coffee:bonus");
  await page.getByLabel("Points", { exact: true }).fill("50");
  await page.getByLabel("Only these categories").fill("coffee");
  await page.getByRole("button", { name: "Save to the draft" }).click();
  const idField = page.getByLabel("Id", { exact: true });
  await page.locator("input[aria-invalid=true]").first().waitFor();
  assert.equal(await idField.getAttribute("aria-invalid"), "true");
  const describedBy = await idField.getAttribute("aria-describedby");
  const problem = await page.locator(`[id="${describedBy.split(" ").pop()}"]`).textContent();
  assert.match(problem, /:/, problem);
  assert.match(await page.getByRole("alert").textContent(), /Id/);
  // The browser logs the refused save (422) as a failed resource: expected here, and nothing else.
  await check(page, "rules-form-refused-en-1280", problems.filter((logged) => !/status of 422/.test(logged)));
  problems.length = 0;

  await idField.fill("coffee-bonus");
  await page.getByRole("button", { name: "Save to the draft" }).click();
  await page.waitForURL(`${home}configure/rules`);
  const row = page.locator("tbody tr", { hasText: "Coffee bonus" });
  await row.waitFor();
  assert.match(await row.textContent(), /Fixed bonus/);
  assert.match(await page.getByTestId("changes").textContent(), /Coffee bonus: added/);

  // The draft on a basket: the bonus with the line a till would print.
  await page.getByRole("link", { name: "Preview", exact: true }).click();
  await page.waitForURL(`${home}configure/preview`);
  await page.getByLabel("SKU").fill("COF-1");
  await page.getByLabel("Category").fill("coffee");
  await page.getByLabel("Quantity").fill("1");
  await page.getByLabel(/Unit price/).fill("100000");
  await page.getByLabel("Store code").fill(demo.terminal.store);
  await page.getByRole("button", { name: "Preview", exact: true }).click();
  const effect = page.getByTestId("effects").locator("tr", { hasText: "coffee-bonus" });
  await effect.waitFor();
  const previewLine = (await effect.locator("td").nth(4).textContent()).trim();
  assert.ok(previewLine.length > 0 && previewLine.length <= 40, previewLine);
  assert.match(await page.getByTestId("receipt").textContent(), new RegExp(previewLine.replace(/[()+*.?[\]]/g, "\\$&")));
  assert.equal((await effect.locator("td").first().textContent()).trim(), "Points earned");
  await check(page, "rules-preview-en-1280", problems);
  // A quantity with more decimals than the API takes, and a member id that is none, are refused
  // beside their fields rather than rounded or run anonymous.
  await page.getByLabel("Quantity").fill("1.2345");
  await page.getByRole("button", { name: "Preview", exact: true }).click();
  await page.getByLabel("Quantity").and(page.locator("[aria-invalid=true]")).waitFor();
  assert.match(await problemOf(page.getByLabel("Quantity")), /3 decimals/);
  assert.equal(await page.getByLabel(/Unit price/).getAttribute("aria-invalid"), null);
  assert.equal(await page.getByTestId("effects").count(), 0);
  await page.getByLabel("Quantity").fill("1.5");
  await page.getByLabel(/Member id/).fill("12a");
  await page.getByRole("button", { name: "Preview", exact: true }).click();
  await page.getByLabel(/Member id/).and(page.locator("[aria-invalid=true]")).waitFor();
  assert.match(await problemOf(page.getByLabel(/Member id/)), /member id/);
  assert.equal(await page.getByTestId("effects").count(), 0);
  await page.getByLabel(/Member id/).fill("");
  await page.getByRole("button", { name: "Preview", exact: true }).click();
  await page.getByTestId("effects").waitFor();
  problems.splice(0, problems.length, ...refusedRequests(problems));

  // Published, the next purchase at the till earns it with the same receipt line.
  await page.getByRole("link", { name: "Draft rules" }).click();
  await page.getByLabel("Note").fill("coffee push");
  await page.getByRole("button", { name: "Publish the draft" }).click();
  await page.getByRole("status").filter({ hasText: "The draft is published." }).waitFor();
  const earned = await buyCoffee("RULES-1");
  const bonus = earned.effects.find((found) => found.rule_id === "coffee-bonus");
  assert.ok(bonus, JSON.stringify(earned.effects));
  assert.equal(bonus.amount, 50);
  assert.ok(earned.receipt_lines.includes(previewLine), JSON.stringify(earned.receipt_lines));

  // The versions in words, and a rollback to the one before: the following purchase has no bonus.
  await page.getByRole("link", { name: "Versions" }).click();
  await page.waitForURL(`${home}configure/versions`);
  await page.getByTestId("versions").waitFor();
  assert.match(await page.getByTestId("changes").textContent(), /Coffee bonus: added/);
  // The demo's first version applies from the programme's start, not from "1 January 1970".
  const firstVersion = page.getByTestId("versions").locator("tbody tr").filter({ hasText: "Version 1" });
  assert.match(await firstVersion.textContent(), /From the programme's start/);
  assert.doesNotMatch(await page.getByTestId("versions").textContent(), /1970/);
  await check(page, "rules-versions-en-1280", problems);
  await page.getByLabel("Note for a rollback").fill("too generous");
  // Asked first: focus moves into the question, and Escape leaves everything as it was.
  const rollBack = page.getByRole("button", { name: "Roll back to version 1" });
  const asked = await askedFirst(page, rollBack, "Roll back to version 1?", "rules-rollback-asked-en-1280", problems);
  assert.equal((await expectStaff("GET", "/v1/program/rules/versions", undefined, 200)).versions.length, 2);
  await page.getByRole("button", { name: "Roll back to version 1" }).click();
  await asked.getByRole("button", { name: "Roll back to version 1" }).click();
  await page.getByRole("status").filter({ hasText: /Rolled back to version 1 → 3/ }).waitFor();
  await page.getByTestId("changes").filter({ hasText: "Coffee bonus: removed" }).waitFor();
  const after = await buyCoffee("RULES-2");
  assert.equal(after.effects.find((found) => found.rule_id === "coffee-bonus"), undefined, JSON.stringify(after.effects));
  assert.ok(!after.receipt_lines.includes(previewLine));
  await context.close();
});

test("a version opened while an earlier one still loads shows the later one's comparison", async () => {
  const { context, page, problems } = await openConsole(1280, "en", "marketer", "configure/rules");
  await page.getByRole("heading", { name: "Draft rules" }).waitFor();
  // The first list of versions (for version 2) comes late, after the one for version 3.
  let late = true;
  await page.route("**/v1/program/rules/versions", async (route) => {
    if (late) {
      late = false;
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    await route.continue();
  });
  for (const version of [2, 3]) {
    await page.evaluate((to) => {
      history.pushState(null, "", to);
      dispatchEvent(new PopStateEvent("popstate"));
    }, `/console/configure/versions/${version}`);
  }
  await page.getByTestId("versions").waitFor();
  await page.waitForTimeout(2000);
  const pair = page.locator("section", { has: page.getByRole("heading", { name: "Compare two versions" }) }).locator("select");
  assert.deepEqual([await pair.nth(0).inputValue(), await pair.nth(1).inputValue()], ["2", "3"]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("an earn rule's every option goes through the form into the document, and the JSON view round-trips it", async () => {
  const { context, page, problems } = await openConsole(1280, "en", "marketer", "configure/new-rule/earn");
  await page.getByLabel("Name", { exact: true }).fill("Weekend tea");
  await page.getByLabel("Id", { exact: true }).fill("weekend-tea");
  await page.getByLabel("Points", { exact: true }).fill("2");
  await page.getByLabel(/Per amount/).fill("5000");
  await page.getByLabel("Rounding", { exact: true }).selectOption("nearest");
  await page.getByRole("group", { name: "Category multipliers" }).getByRole("button", { name: "Add a multiplier" }).click();
  const category = page.getByRole("group", { name: "Category multipliers" }).getByLabel("Category");
  await category.fill("tea");
  await category.press("Tab");
  await page.getByRole("group", { name: "Category multipliers" }).getByLabel("Times").fill("1.5");
  // x1.2 from the third year of membership, for members of at least one year.
  const years = page.getByRole("group", { name: "Multipliers by years of membership" });
  await years.getByRole("button", { name: "Add a multiplier" }).click();
  await years.getByLabel("From year of membership").fill("3");
  await years.getByLabel("From year of membership").press("Tab");
  await years.getByLabel("Times").fill("1.2");
  await page.getByLabel("At least these years of membership").fill("1");
  await page.getByLabel(/Minimum basket/).fill("20000");
  await page.getByLabel("Except these categories").fill("gift_card, tobacco");
  await page.getByRole("group", { name: "Weekdays" }).getByLabel("Fri").check();
  await page.getByRole("group", { name: "Weekdays" }).getByLabel("Sat").check();
  await page.getByLabel("From", { exact: true }).fill("09:00");
  await page.getByLabel("Until", { exact: true }).fill("13:00");
  await page.getByLabel("Stores").fill(demo.terminal.store);
  await page.getByLabel("Per member per day").fill("200");
  // A whole number beyond 2^53 would be rounded by the page: refused at its field instead.
  await page.getByLabel("Budget in all").fill("9007199254740993");
  assert.match(await problemOf(page.getByLabel("Budget in all")), /too large/);
  await page.getByLabel("Budget in all").fill("100000");
  assert.equal(await page.getByLabel("Budget in all").getAttribute("aria-invalid"), null);
  assert.equal(await page.getByLabel("Minimum quantity").getAttribute("inputmode"), "numeric");
  await page.getByLabel("Exclusivity group").fill("weekend");
  await page.getByLabel("Which of the group").selectOption("first");
  await check(page, "rules-form-earn-en-1280", problems);
  await page.getByRole("button", { name: "Save to the draft" }).click();
  await page.waitForURL(`${home}configure/rules`);

  const draft = await expectStaff("GET", "/v1/program/rules/draft", undefined, 200);
  const rule = draft.document.rules.find((found) => found.id === "weekend-tea");
  assert.deepEqual(rule, {
    id: "weekend-tea",
    name: "Weekend tea",
    kind: "earn",
    points: 2,
    per_amount: 5000,
    rounding: "nearest",
    multipliers: { categories: { tea: 1.5 }, tenure: { 3: 1.2 } },
    conditions: { min_amount: 20000, exclude_categories: ["gift_card", "tobacco"] },
    schedule: { days: ["fri", "sat"], from: "09:00", until: "13:00" },
    scope: { stores: [demo.terminal.store], tenure: { min_years: 1 } },
    limits: { per_day: 200, budget: 100000 },
    group: "weekend",
  });
  assert.equal(draft.document.groups.weekend, "first");

  // The JSON view shows the same document and saves an edit of it back.
  await page.getByText("JSON view for experts").click();
  const text = await page.getByLabel("The rule set (JSON)").inputValue();
  assert.deepEqual(JSON.parse(text), draft.document);
  const edited = JSON.parse(text);
  edited.rules.find((found) => found.id === "weekend-tea").name = "Weekend tea time";
  await page.getByLabel("The rule set (JSON)").fill(JSON.stringify(edited, null, 2));
  await page.getByRole("button", { name: "Save the JSON to the draft" }).click();
  await page.getByRole("status").filter({ hasText: "The draft is saved." }).waitFor();
  const saved = await expectStaff("GET", "/v1/program/rules/draft", undefined, 200);
  assert.deepEqual(saved.document, edited);
  assert.match(await page.locator("tbody").textContent(), /Weekend tea time/);

  // Another marketer saves a rule while this one edits the JSON: the save is refused rather
  // than dropping their rule, and the list shows the draft as it is now.
  await page.getByText("JSON view for experts").click();
  const stale = JSON.parse(await page.getByLabel("The rule set (JSON)").inputValue());
  await expectStaff("PUT", "/v1/program/rules/draft/rules/other-marketer", { name: "Other marketer's bonus", kind: "bonus", points: 4 }, 200);
  stale.rules.find((found) => found.id === "weekend-tea").name = "Renamed in the JSON";
  await page.getByLabel("The rule set (JSON)").fill(JSON.stringify(stale, null, 2));
  await page.getByRole("button", { name: "Save the JSON to the draft" }).click();
  await page.getByRole("alert").filter({ hasText: "Someone changed the draft since you read it" }).waitFor();
  const kept = await expectStaff("GET", "/v1/program/rules/draft", undefined, 200);
  assert.ok(kept.document.rules.some((found) => found.id === "other-marketer"), JSON.stringify(kept.document.rules));
  assert.ok(!kept.document.rules.some((found) => found.name === "Renamed in the JSON"));
  await page.locator("tbody").filter({ hasText: "Other marketer's bonus" }).waitFor();
  await expectStaff("DELETE", "/v1/program/rules/draft/rules/other-marketer", undefined, 200);

  // Opened again, the form shows what was saved.
  await page.getByRole("link", { name: /Edit\s*Weekend tea time/ }).click();
  await page.waitForURL(`${home}configure/rules/weekend-tea`);
  assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), "Weekend tea time");
  assert.equal(await page.getByLabel("Budget in all").inputValue(), "100000");
  assert.equal(await page.getByRole("group", { name: "Weekdays" }).getByLabel("Fri").isChecked(), true);
  await context.close();
});

test("the draft's changes show money in the programme's currency and moments on its clock", async () => {
  const draft = (await expectStaff("GET", "/v1/program/rules/draft", undefined, 200)).document;
  const base = draft.rules.find((rule) => rule.id === "base");
  await expectStaff("PUT", "/v1/program/rules/draft/rules/base", { ...base, per_amount: 7000, valid_from: "2030-01-01T09:00:00+03:30" }, 200);
  for (const language of ["en", "fa"]) {
    const { context, page, problems } = await openConsole(1280, language, "marketer", "configure/rules");
    const changed = page.getByTestId("changes").locator("li li");
    await changed.first().waitFor();
    const text = (await changed.allTextContents()).join("\n");
    if (language === "en") {
      assert.match(text, /Per amount: .*→ 7,000\sIRR/, text);
      assert.match(text, /Valid from: — → 1 January 2030 09:00/, text);
    } else {
      assert.match(text, /۷٬۰۰۰/, text);
      assert.match(text, /۱۲ دی ۱۴۰۸ ۰۹:۰۰/, text);
    }
    await check(page, `rules-changes-${language}-1280`, problems);
    await context.close();
  }
  await expectStaff("PUT", "/v1/program/rules/draft/rules/base", base, 200);
});

test("a cashback rule and a stamp card are made in their forms and land in the draft", async () => {
  const { context, page, problems } = await openConsole(1280, "en", "marketer", "configure/rules");
  await page.getByRole("link", { name: "New cashback rule" }).click();
  await page.waitForURL(`${home}configure/new-cashback`);
  await page.getByLabel("Name", { exact: true }).fill("Cashback 2.5%");
  await page.getByLabel("Id", { exact: true }).fill("back25");
  await page.getByLabel("Cashback percent").fill("2.5");
  await page.getByLabel(/Minimum basket/).fill("200000");
  await page.getByLabel(/Cap per purchase/).fill("50000");
  await check(page, "cashback-form-en-1280", problems);
  await page.getByRole("button", { name: "Save to the draft" }).click();
  await page.waitForURL(`${home}configure/rules`);
  assert.match(await page.getByTestId("cashback").textContent(), /Cashback 2\.5%[\s\S]*2\.5%/);

  await page.getByRole("link", { name: "New stamp card" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Coffee card");
  await page.getByLabel("Id", { exact: true }).fill("coffee-card");
  await page.getByLabel("Stamps that fill the card").fill("9");
  await page.getByLabel("Only these categories").fill("coffee");
  await page.getByLabel("Reward points").fill("300");
  await page.getByLabel("Reward name on the receipt").fill("a free coffee");
  await check(page, "stamp-card-form-en-1280", problems);
  await page.getByRole("button", { name: "Save to the draft" }).click();
  await page.waitForURL(`${home}configure/rules`);
  assert.match(await page.getByTestId("stamp_cards").textContent(), /Coffee card[\s\S]*9 stamps/);

  const draft = await expectStaff("GET", "/v1/program/rules/draft", undefined, 200);
  assert.deepEqual(draft.document.cashback, [
    { id: "back25", name: "Cashback 2.5%", percent: 2.5, conditions: { min_basket: 200000 }, caps: { per_purchase: 50000 } },
  ]);
  assert.deepEqual(draft.document.stamp_cards, [
    { id: "coffee-card", name: "Coffee card", goal: 9, reward: { points: 300, label: "a free coffee" }, conditions: { categories: ["coffee"] } },
  ]);
  // Removed from the draft again, by its own button.
  await page.getByRole("button", { name: /Remove\s*Coffee card/ }).click();
  await page.getByRole("status").filter({ hasText: "The rule is removed from the draft." }).waitFor();
  assert.equal((await expectStaff("GET", "/v1/program/rules/draft", undefined, 200)).document.stamp_cards?.length ?? 0, 0);
  await context.close();
});

// A collection ("three different teas") in the stamp card form: choosing it as the basis takes
// away the goal, stamps per unit and basket conditions (the API refuses them on a collection) and
// brings a list of items, two blank ones to begin with; choosing another basis again takes the
// items away and brings the goal back. A duplicate item id is refused beside that item's field;
// the card saved holds exactly the items typed; the form and the draft's list read well in both
// languages on a phone and a desktop.
test("a collection of three items is made in the stamp card form, a duplicate item id refused beside it", async () => {
  const { context, page, problems } = await openConsole(1280, "en", "marketer", "configure/new-stamp-card");
  const basis = page.getByLabel("Stamps for", { exact: true });
  const items = page.getByRole("group", { name: "Items of the collection" });
  const item = (number) => page.getByRole("group", { name: `Item ${number}`, exact: true });
  await page.getByLabel("Name", { exact: true }).fill("Tea trail");
  await page.getByLabel("Id", { exact: true }).fill("tea-trail");
  await page.getByLabel("Stamps that fill the card").fill("9");
  await page.getByLabel("Only these categories").fill("tea");
  assert.equal(await items.count(), 0);

  await basis.selectOption("collection");
  await items.waitFor();
  assert.equal(await page.getByLabel("Stamps that fill the card").count(), 0);
  assert.equal(await page.getByLabel("Stamps per unit").count(), 0);
  assert.equal(await page.getByLabel("Only these categories").count(), 0);
  assert.equal(await items.locator("fieldset.item-row").count(), 2);
  assert.equal(await item(1).getByLabel("Item id").inputValue(), "");
  // Two items are the fewest a collection has: neither may be removed.
  assert.equal(await items.getByRole("button", { name: /Remove item/ }).count(), 0);
  // Back to units: the items go, the goal comes back as a new card's.
  await basis.selectOption("units");
  await page.getByLabel("Stamps that fill the card").waitFor();
  assert.equal(await page.getByLabel("Stamps that fill the card").inputValue(), "10");
  assert.equal(await items.count(), 0);
  assert.equal(await page.getByLabel("Only these categories").inputValue(), "", "the conditions stayed dropped");
  await basis.selectOption("collection");
  await items.waitFor();

  await item(1).getByLabel("Item id").fill("green");
  await item(1).getByLabel("Item name").fill("Green tea");
  await item(1).getByLabel("SKUs").fill("TEA-G");
  // The second item takes the first's id by mistake.
  await item(2).getByLabel("Item id").fill("green");
  await item(2).getByLabel("Item name").fill("Black tea");
  await item(2).getByLabel("Categories").fill("black_tea");
  await items.getByRole("button", { name: "Add an item" }).click();
  await item(3).getByLabel("Item id").fill("white");
  await item(3).getByLabel("Item name").fill("White tea");
  await item(3).getByLabel("SKUs").fill("TEA-W, TEA-W2");
  // A fourth item added and removed again by its own button.
  await items.getByRole("button", { name: "Add an item" }).click();
  assert.equal(await items.locator("fieldset.item-row").count(), 4);
  await items.getByRole("button", { name: "Remove item 4" }).click();
  assert.equal(await items.locator("fieldset.item-row").count(), 3);
  // A complete set pays cashback into the member's wallet: the points field gives way to money.
  await page.locator("#reward-kind").selectOption("cashback");
  assert.equal(await page.getByLabel("Reward points").count(), 0);
  await page.getByLabel(/Reward cashback/).fill("50000");
  await check(page, "stamp-card-collection-en-1280", problems);
  await page.getByRole("button", { name: "Save to the draft" }).click();
  const duplicate = item(2).getByLabel("Item id");
  await duplicate.and(page.locator("[aria-invalid=true]")).waitFor();
  assert.match(await problemOf(duplicate), /another item of the collection has this id/);
  assert.equal(await item(1).getByLabel("Item id").getAttribute("aria-invalid"), null);
  assert.match(await page.getByRole("alert").textContent(), /Item id \(Item 2\)/);
  await check(page, "stamp-card-collection-refused-en-1280", refusedRequests(problems));
  problems.length = 0;

  await duplicate.fill("black");
  await page.getByRole("button", { name: "Save to the draft" }).click();
  await page.waitForURL(`${home}configure/rules`);
  assert.match(await page.getByTestId("stamp_cards").textContent(), /Tea trail[\s\S]*Collection of 3 items/);
  const draft = await expectStaff("GET", "/v1/program/rules/draft", undefined, 200);
  assert.deepEqual(draft.document.stamp_cards.find((card) => card.id === "tea-trail"), {
    id: "tea-trail",
    name: "Tea trail",
    basis: "collection",
    items: [
      { id: "green", name: "Green tea", skus: ["TEA-G"] },
      { id: "black", name: "Black tea", categories: ["black_tea"] },
      { id: "white", name: "White tea", skus: ["TEA-W", "TEA-W2"] },
    ],
    reward: { cashback: 50000 },
  });
  await context.close();

  // Opened again, in both languages on a phone and a desktop: the items as saved, numbered in the
  // page's digits, and the draft's list saying what the card is.
  for (const [language, width] of [["en", 360], ["fa", 1280], ["fa", 360]]) {
    const opened = await openConsole(width, language, "marketer", "configure/stamp-cards/tea-trail");
    const rows = opened.page.locator("fieldset.item-row");
    await rows.nth(2).waitFor();
    assert.equal(await rows.count(), 3);
    assert.equal(await rows.nth(1).locator("input").first().inputValue(), "black");
    assert.equal(await opened.page.getByLabel({ en: "Stamps that fill the card", fa: "مهرهای لازم برای پر شدن کارت" }[language]).count(), 0);
    if (language === "fa") {
      assert.equal(await opened.page.getAttribute("html", "dir"), "rtl");
      assert.equal((await rows.nth(2).locator("legend").textContent()).trim(), "مورد ۳");
    }
    await opened.page.waitForLoadState("networkidle");
    await check(opened.page, `stamp-card-collection-${language}-${width}`, opened.problems);
    await opened.page.goto(`${home}configure/rules`);
    const listed = opened.page.getByTestId("stamp_cards");
    await listed.waitFor();
    assert.match(await listed.textContent(), { en: /Collection of 3 items/, fa: /مجموعه‌ای از ۳ مورد/ }[language]);
    await opened.page.waitForLoadState("networkidle");
    await check(opened.page, `rules-draft-collection-${language}-${width}`, opened.problems);
    await opened.context.close();
  }

  // Removed from the draft again, as the other stamp card was.
  const last = await openConsole(1280, "en", "marketer", "configure/rules");
  await last.page.getByRole("button", { name: /Remove\s*Tea trail/ }).click();
  await last.page.getByRole("status").filter({ hasText: "The rule is removed from the draft." }).waitFor();
  const after = await expectStaff("GET", "/v1/program/rules/draft", undefined, 200);
  assert.equal((after.document.stamp_cards ?? []).some((card) => card.id === "tea-trail"), false);
  await last.context.close();
});

test("a coupon campaign is made and published, 1,000 codes drawn with progress, downloaded as CSV and counted, one assigned", async () => {
  const { context, page, problems } = await openConsole(1280, "en", "marketer", "configure/coupons");
  await page.getByRole("link", { name: "New campaign" }).click();
  await page.waitForURL(`${home}configure/coupons/new`);
  await page.getByLabel("Campaign name").fill("Autumn");
  await page.getByLabel("Coupon type").selectOption("percent_off_basket");
  await page.getByLabel("Percent off").fill("20");
  await page.getByLabel(/Minimum basket/).fill("100000");
  await page.getByLabel("Redemptions per member").fill("1");
  await page.getByRole("button", { name: "Save the campaign" }).click();
  await page.waitForURL(/configure\/coupons\/\d+$/);
  const id = Number(page.url().split("/").pop());
  await page.getByRole("button", { name: "Publish the campaign" }).click();
  await page.getByRole("status").filter({ hasText: "The campaign is published." }).waitFor();
  const campaign = await expectStaff("GET", `/v1/coupon-campaigns/${id}`, undefined, 200);
  assert.equal(campaign.status, "published");
  assert.deepEqual(campaign.campaign, {
    name: "Autumn",
    type: "percent_off_basket",
    percent: 20,
    conditions: { min_basket: 100000 },
    limits: { per_member: 1 },
  });

  // Drawn in parts, the bar says how far it is.
  await page.getByLabel("Number of codes").fill("1000");
  await page.getByLabel("Prefix").fill("AUT-");
  const parts = [];
  page.on("request", (request) => request.url().endsWith(`/v1/coupon-campaigns/${id}/codes`) && request.method() === "POST" && parts.push(JSON.parse(request.postData()).count));
  await page.getByRole("button", { name: "Generate codes" }).click();
  await page.getByRole("status").filter({ hasText: "The codes are generated." }).waitFor();
  assert.equal(parts.reduce((sum, count) => sum + count, 0), 1000);
  assert.ok(parts.length > 1, `drawn in parts: ${parts}`);
  assert.match(await page.locator(".progress").textContent(), /1,000 \/ 1,000/);
  assert.match(await page.locator("main").textContent(), /Codes: 1,000/);
  assert.equal(await page.locator("progress").getAttribute("value"), "1000");
  await check(page, "coupons-campaign-en-1280", problems);

  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download the codes (CSV)" }).click();
  const file = await (await downloading).path();
  const rows = readFileSync(file, "utf8").trim().split(/\r?\n/);
  assert.equal(rows[0], "code,campaign_id,single_use,member_id,redemptions");
  const codes = rows.slice(1).map((row) => row.split(",")[0]);
  assert.equal(codes.length, 1000);
  assert.equal(new Set(codes).size, 1000);
  assert.ok(codes.every((code) => /^AUT-[2-9A-HJ-NP-Z]{10}$/.test(code)), codes[0]);

  await page.getByLabel("Code", { exact: true }).fill(codes[0]);
  await page.getByLabel("Member id", { exact: true }).fill(String(demo.members[0].id));
  await page.getByRole("button", { name: "Assign", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "The code is assigned to the member." }).waitFor();
  const listed = readFileSync(file, "utf8");
  assert.ok(listed.includes(codes[0]));
  const csv = await fetch(`${baseUrl}/v1/coupon-campaigns/${id}/codes`, { headers: { Authorization: `Bearer ${demo.staff_token}` } });
  assert.match(await csv.text(), new RegExp(`${codes[0]},${id},true,${demo.members[0].id},0`));

  // The list shows it with its codes.
  await page.getByRole("link", { name: "All campaigns" }).click();
  const row = page.getByTestId("campaigns").locator("tr", { hasText: "Autumn" });
  await row.waitFor();
  assert.match(await row.textContent(), /Percent off the basket\s*published\s*0\s*1,000/);
  await check(page, "coupons-en-1280", problems);

  // A count over the API's limit and a length that is not a number go as typed: the API's
  // problems show at their fields.
  await row.getByRole("link", { name: "Autumn" }).click();
  await page.getByLabel("Number of codes").fill("1000001");
  await page.getByRole("button", { name: "Generate codes" }).click();
  await page.getByLabel("Number of codes").and(page.locator("[aria-invalid=true]")).waitFor();
  assert.match(await problemOf(page.getByLabel("Number of codes")), /1000000|1,000,000/);
  await page.getByLabel("Number of codes").fill("10");
  await page.getByLabel("Random part's length").fill("ten");
  await page.getByRole("button", { name: "Generate codes" }).click();
  await page.getByLabel("Random part's length").and(page.locator("[aria-invalid=true]")).waitFor();
  await page.getByLabel("Random part's length").fill("");

  // Stopped while the second part is on its way: that part is kept, and the rest is left to draw.
  let posted = 0;
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route(`**/v1/coupon-campaigns/${id}/codes`, async (route) => {
    if (route.request().method() === "POST" && ++posted === 2) await held;
    await route.continue();
  });
  await page.getByLabel("Number of codes").fill("2000");
  await page.getByRole("button", { name: "Generate codes" }).click();
  while (posted < 2) await page.waitForTimeout(50);
  await page.getByRole("button", { name: "Stop drawing" }).click();
  release();
  await page.getByRole("status").filter({ hasText: "Drawing stopped before the end" }).waitFor();
  assert.equal(posted, 2);
  assert.equal(await page.getByLabel("Codes left to draw").inputValue(), "1600");
  await page.getByRole("button", { name: "Generate the rest" }).waitFor();
  await page.locator("main").filter({ hasText: "Codes: 1,400" }).waitFor();
  await page.unroute(`**/v1/coupon-campaigns/${id}/codes`);
  problems.splice(0, problems.length, ...refusedRequests(problems));
  await check(page, "coupons-stopped-en-1280", problems);

  // Ended only after a yes: Escape leaves it published.
  const end = page.getByRole("button", { name: "End the campaign" });
  const ending = await askedFirst(page, end, "End this campaign?", "coupons-end-asked-en-1280", problems);
  assert.equal((await expectStaff("GET", `/v1/coupon-campaigns/${id}`, undefined, 200)).status, "published");
  await page.getByRole("button", { name: "End the campaign" }).click();
  await ending.getByRole("button", { name: "End the campaign" }).click();
  await page.getByRole("status").filter({ hasText: "The campaign has ended." }).waitFor();
  assert.equal((await expectStaff("GET", `/v1/coupon-campaigns/${id}`, undefined, 200)).status, "ended");
  await context.close();
});

test("tiers and the programme's settings are changed in their forms, and a refused threshold says so beside it", async () => {
  const { context, page, problems } = await openConsole(1280, "en", "marketer", "configure/tiers");
  await page.getByLabel("Tier name 3").waitFor();
  assert.equal(await page.getByLabel("Tier name 2").inputValue(), "Silver");
  await page.getByLabel("Threshold 2").fill("-5");
  await page.getByRole("button", { name: "Save the tiers" }).click();
  const threshold = page.getByLabel("Threshold 2");
  await page.locator("input[aria-invalid=true]").first().waitFor();
  assert.equal(await threshold.getAttribute("aria-invalid"), "true");
  problems.length = 0; // The refused save (422), logged by the browser as a failed resource.
  await threshold.fill("80");
  await page.getByRole("button", { name: "Add a tier" }).click();
  await page.getByLabel("Tier name 4").fill("Platinum");
  await page.getByLabel("Threshold 4").fill("2000");
  await page.getByLabel("Days of grace").fill("15");
  await page.getByRole("button", { name: "Save the tiers" }).click();
  await page.getByRole("status").filter({ hasText: "The tiers are saved." }).waitFor();
  const tiers = await expectStaff("GET", "/v1/program/tiers", undefined, 200);
  assert.deepEqual(tiers.tiers.map((tier) => [tier.name, tier.threshold]), [["Bronze", 0], ["Silver", 80], ["Gold", 500], ["Platinum", 2000]]);
  assert.equal(tiers.grace_days, 15);
  await check(page, "tiers-en-1280", problems);

  await page.getByRole("link", { name: "Programme settings" }).click();
  await page.getByLabel("Days to claim a receipt").fill("10");
  await page.getByLabel("Returns at any store").check();
  await page.getByLabel("Expiry", { exact: true }).selectOption("quarter_end");
  await page.getByRole("button", { name: "Save the settings" }).click();
  await page.getByRole("status").filter({ hasText: "The settings are saved." }).waitFor();
  let settings = await expectStaff("GET", "/v1/program/settings", undefined, 200);
  assert.equal(settings.points.claim_window_days, 10);
  assert.equal(settings.points.returns_any_store, true);
  assert.deepEqual(settings.points.expiry, { mode: "quarter_end" });
  // Turned off again: a setting changed by naming it false.
  await page.getByLabel("Returns at any store").uncheck();
  await page.getByRole("button", { name: "Save the settings" }).click();
  await page.getByRole("status").filter({ hasText: "The settings are saved." }).waitFor();
  settings = await expectStaff("GET", "/v1/program/settings", undefined, 200);
  assert.equal(settings.points.returns_any_store, false);
  assert.equal(settings.name, "Patron Demo Club");
  await check(page, "settings-en-1280", problems);

  // A setting emptied is refused beside its field, and nothing is sent.
  let patches = 0;
  page.on("request", (request) => request.method() === "PATCH" && patches++);
  await page.getByLabel("Days to claim a receipt").fill("");
  await page.getByRole("button", { name: "Save the settings" }).click();
  assert.match(await problemOf(page.getByLabel("Days to claim a receipt")), /cannot be left empty/);
  assert.equal(patches, 0);
  await page.getByLabel("Days to claim a receipt").fill("10");
  // A new name is the console's at once: its header follows the saved settings.
  await page.getByLabel("Programme name").fill("Patron Club Renamed");
  await page.getByRole("button", { name: "Save the settings" }).click();
  await page.getByRole("status").filter({ hasText: "The settings are saved." }).waitFor();
  assert.match(await page.locator("header .program").textContent(), /Patron Club Renamed/);
  await page.getByLabel("Programme name").fill("Patron Demo Club");
  await page.getByRole("button", { name: "Save the settings" }).click();
  await page.getByRole("status").filter({ hasText: "The settings are saved." }).waitFor();
  assert.match(await page.locator("header .program").textContent(), /Patron Demo Club/);
  await context.close();
});

test("a section waits for the programme's settings, says when they could not be loaded, and tries again", async () => {
  for (const [language, width] of [["en", 1280], ["fa", 360]]) {
    let failing = true;
    const { context, page, problems } = await openConsole(width, language, "marketer", "configure/preview", (page) =>
      page.route("**/v1/program/settings", (route) =>
        failing
          ? route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "UNAVAILABLE", message: "down" } }) })
          : route.continue(),
      ),
    );
    const retry = { en: "Try again", fa: "تلاش دوباره" }[language];
    const failed = page.getByRole("alert").filter({ has: page.getByRole("button", { name: retry }) });
    await failed.waitFor();
    assert.equal(await page.locator("form.basket").count(), 0);
    await check(page, `programme-failed-${language}-${width}`, refusedRequests(problems));
    failing = false;
    await failed.getByRole("button", { name: retry }).click();
    await page.locator("form.basket").waitFor();
    assert.equal(await page.getByRole("alert").count(), 0);
    await context.close();
  }
});

test("an admin registers a store and a terminal, whose secret is shown once and signs, then rotates and revokes its keys", async () => {
  const { context, page, problems } = await openConsole(1280, "en", "admin", "configure/stores");
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByLabel("Store code").fill("S777");
  await page.getByLabel("Store name").fill("Karaj Mall");
  await page.getByRole("button", { name: "Register the store" }).click();
  await page.getByRole("status").filter({ hasText: "The store is registered." }).waitFor();
  await page.getByTestId("stores").getByRole("link", { name: "S777" }).click();
  await page.waitForURL(`${home}configure/stores/S777`);
  await page.getByLabel("Terminal code").fill("T9");
  await page.getByRole("button", { name: "Register the terminal" }).click();
  const shown = page.getByTestId("secret");
  await shown.waitFor();
  const secret = (await page.getByTestId("secret-value").textContent()).trim();
  const keyId = (await shown.locator("dd code").nth(1).textContent()).trim();
  await page.getByRole("button", { name: "Copy the secret" }).click();
  await page.getByText("Copied.").waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
  // While it is shown, no other key can take its place.
  assert.ok(await page.getByRole("button", { name: /New key\s*T9/ }).isDisabled());
  assert.ok(await page.getByRole("button", { name: "Register the terminal" }).isDisabled());
  await check(page, "terminal-secret-en-1280", problems);
  // A browser that refuses the clipboard: the panel says to copy it by hand.
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException("refused", "NotAllowedError"));
  });
  await page.getByRole("button", { name: "Copy the secret" }).click();
  await page.getByText("Copying did not work: select the secret and copy it by hand.").waitFor();

  const till = { store: "S777", terminal: "T9", key_id: keyId, secret, currency: "IRR" };
  const sold = await pos("POST", "/v1/pos/purchases", purchase("S777-1", demo.members[0].card, 50000, till), till);
  assert.equal(sold.status, 201, JSON.stringify(sold.body));

  // Closed, or the page left, the secret is not shown again.
  await page.getByRole("button", { name: "I have kept the secret" }).click();
  assert.equal(await page.getByTestId("secret").count(), 0);
  assert.doesNotMatch(await page.locator("body").textContent(), new RegExp(secret));
  await page.reload();
  await page.getByTestId("terminals").waitFor();
  assert.doesNotMatch(await page.locator("body").textContent(), new RegExp(secret));
  assert.match(await page.getByTestId("terminals").textContent(), /T9[\s\S]*active/);

  // A new key with no grace: the old one is refused at once, the new one signs.
  await page.getByLabel("With a new key").selectOption("0");
  await page.getByRole("button", { name: /New key\s*T9/ }).click();
  await page.getByRole("status").filter({ hasText: "A new key is issued." }).waitFor();
  const rotated = { ...till, key_id: (await page.getByTestId("secret").locator("dd code").nth(1).textContent()).trim(), secret: (await page.getByTestId("secret-value").textContent()).trim() };
  assert.notEqual(rotated.secret, secret);
  const refused = await pos("POST", "/v1/pos/purchases", purchase("S777-2", demo.members[0].card, 50000, till), till);
  assert.equal(refused.status, 401, JSON.stringify(refused.body));
  assert.equal((await pos("POST", "/v1/pos/purchases", purchase("S777-3", demo.members[0].card, 50000, till), rotated)).status, 201);

  // Revoked after a yes (Cancel leaves it), the new key is refused too.
  await page.getByRole("button", { name: "I have kept the secret" }).click();
  await page.getByRole("button", { name: new RegExp(`Revoke\\s*${rotated.key_id}`) }).click();
  const revoking = page.getByRole("dialog", { name: "Revoke this key?" });
  await revoking.waitFor();
  assert.ok(await revoking.evaluate((dialog) => dialog.contains(document.activeElement)));
  await check(page, "terminal-revoke-asked-en-1280", problems);
  await revoking.getByRole("button", { name: "Cancel" }).click();
  await revoking.waitFor({ state: "detached" });
  assert.equal((await pos("POST", "/v1/pos/purchases", purchase("S777-3b", demo.members[0].card, 50000, till), rotated)).status, 201);
  await page.getByRole("button", { name: new RegExp(`Revoke\\s*${rotated.key_id}`) }).click();
  await revoking.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("status").filter({ hasText: "The key is revoked." }).waitFor();
  assert.equal((await pos("POST", "/v1/pos/purchases", purchase("S777-4", demo.members[0].card, 50000, till), rotated)).status, 401);
  assert.match(await page.getByTestId("terminals").textContent(), /revoked/);
  problems.length = 0;
  await context.close();

  // A marketer has no such screen.
  const marketer = await openConsole(1280, "en", "marketer", "configure/rules");
  await marketer.page.getByRole("heading", { name: "Draft rules" }).waitFor();
  assert.equal(await marketer.page.getByRole("link", { name: "Stores and terminals" }).count(), 0);
  await marketer.context.close();
});

test("the draft is backtested on the window's purchases, and the page shows what the API rated", async () => {
  // Purchases today, and a draft that doubles the base rule's points (the draft holds what the
  // tests before left in it too).
  await buyCoffee("BACKTEST-1");
  const draft = (await expectStaff("GET", "/v1/program/rules/draft", undefined, 200)).document;
  const base = draft.rules.find((rule) => rule.id === "base");
  await expectStaff("PUT", "/v1/program/rules/draft/rules/base", { ...base, points: 2 }, 200);
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tehran" }).format(new Date());
  const yesterday = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tehran" }).format(new Date(Date.now() - 86_400_000));

  const { context, page, problems } = await openConsole(1280, "en", "marketer", "configure/backtest");
  await page.getByLabel("From", { exact: true }).fill(yesterday);
  await page.getByLabel("To", { exact: true }).fill(today);
  await page.getByRole("button", { name: "Run the backtest" }).click();
  const totals = page.getByTestId("backtest-totals");
  await totals.waitFor();
  const expected = await expectStaff("POST", "/v1/program/rules/draft/backtest", { from: yesterday, to: today }, 200);
  assert.ok(expected.result.purchases.rated >= 1, JSON.stringify(expected.result.purchases));
  const row = await totals.locator("tr", { hasText: /^Points/ }).locator("td").allTextContents();
  assert.deepEqual(row, ["draft", "published", "difference"].map((side) => expected.result.totals[side].points.toLocaleString("en-GB")));
  assert.match(await page.getByTestId("backtest-rules").textContent(), /باشگاه مشتریان/);
  await check(page, "backtest-en-1280", problems);
  await context.close();
});

test("a support user gets no rules editor, even by its address", async () => {
  const { context, page } = await openConsole(1280, "en", "support", "configure/rules/base");
  await page.getByRole("heading", { name: "This section is not for your role" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Configure" }).count(), 0);
  assert.equal(await page.getByLabel("Points", { exact: true }).count(), 0);
  await context.close();
});

test("the screens in Persian read right to left with Jalali dates, and every width fits", async () => {
  for (const [language, width] of [["fa", 1280], ["fa", 768], ["fa", 360], ["en", 768], ["en", 360]]) {
    const { context, page, problems } = await openConsole(width, language, "marketer", "configure/rules");
    await page.locator("table.list, main .card p").first().waitFor();
    if (language === "fa") assert.equal(await page.getAttribute("html", "dir"), "rtl");
    await page.waitForLoadState("networkidle");
    await check(page, `rules-draft-${language}-${width}`, problems);
    await page.goto(`${home}configure/rules/base`);
    await page.locator("form.rule").waitFor();
    if (language === "fa") {
      // Validity in the Jalali calendar: its months by their Persian names.
      const months = await page.getByTestId("valid_from-jalali").locator("select").nth(1).textContent();
      assert.match(months, /فروردین/);
      // The weekdays in the Iranian week, Saturday to Friday.
      const days = await page.getByRole("group", { name: "روزهای هفته" }).locator("label").allTextContents();
      assert.deepEqual(days, ["شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه"]);
      // A schedule's hours run to ۲۴ (24:00, the end of the day), and the lists are described by the hint.
      const until = page.getByTestId("schedule.until-clock").getByLabel("ساعت");
      assert.match(await until.textContent(), /۲۳۲۴$/);
      const hint = (await until.getAttribute("aria-describedby")).split(" ")[0];
      assert.equal(await page.locator(`[id="${hint}"]`).textContent(), "به وقت محلی صندوق.");
    }
    await check(page, `rules-form-${language}-${width}`, problems);
    await page.goto(`${home}configure/versions`);
    await page.getByTestId("versions").waitFor();
    if (language === "fa") assert.match(await page.getByTestId("versions").textContent(), /نسخهٔ ۱/);
    await page.waitForLoadState("networkidle");
    await check(page, `rules-versions-${language}-${width}`, problems);
    await page.getByTestId("versions").locator("tbody button").first().click();
    await page.getByRole("dialog").waitFor();
    // The question ends with the language's own question mark.
    const question = language === "fa" ? /^بازگشت به نسخهٔ [۰-۹]+؟$/ : /^Roll back to version \d+\?$/;
    await page.getByRole("dialog", { name: question }).waitFor({ timeout: 5000 });
    await check(page, `rules-rollback-asked-${language}-${width}`, problems);
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await page.goto(`${home}configure/preview`);
    await page.locator("form.basket").waitFor();
    await check(page, `rules-preview-${language}-${width}`, problems);
    await page.locator("form.basket input").nth(0).fill("COF-1");
    await page.locator("form.basket input").nth(2).fill("1.2345");
    await page.locator("form.basket input").nth(3).fill("1000");
    await page.getByLabel({ en: "Store code", fa: "کد فروشگاه" }[language]).fill(demo.terminal.store);
    if (language === "fa") {
      // The time as lists in Persian digits (the browser's input wrote "05:11 AM"): ۱۴:۳۰ on the
      // programme's clock is what the API is sent.
      const clock = page.getByTestId("at-clock");
      assert.doesNotMatch(await clock.textContent(), /[0-9]/);
      await clock.getByLabel("ساعت").selectOption("14");
      await clock.getByLabel("دقیقه").selectOption("30");
    }
    const sent = page.waitForRequest((request) => request.url().endsWith("/v1/program/rules/draft/preview"));
    await page.locator("form.basket button[type=submit]").click();
    if (language === "fa") assert.match(JSON.parse((await sent).postData()).purchase.pos_time, /T14:30:00\+03:30$/);
    await page.locator("form.basket input[aria-invalid=true]").waitFor();
    // The sentence under the form names the field as the form does, not by its path in the API.
    const refused = await page.locator("form.basket p.message").textContent();
    assert.ok(refused.includes({ en: "Quantity (Line 1)", fa: "تعداد (قلم ۱)" }[language]), refused);
    await check(page, `rules-preview-refused-${language}-${width}`, refusedRequests(problems));
    problems.length = 0;
    await page.goto(`${home}configure/coupons/new`);
    await page.locator("fieldset.campaign").waitFor();
    await check(page, `coupons-new-${language}-${width}`, problems);
    for (const screen of ["tiers", "settings", "backtest"]) {
      await page.goto(`${home}configure/${screen}`);
      await page.locator("form.rule").waitFor();
      // Each tier's level in the page's digits: "نام سطح ۲", not "نام سطح 2".
      if (screen === "tiers" && language === "fa") assert.equal(await page.getByLabel("نام سطح ۲").inputValue(), "Silver");
      await check(page, `${screen}-${language}-${width}`, problems);
    }
    await context.close();
  }
});
