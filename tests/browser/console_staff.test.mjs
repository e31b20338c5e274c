// An admin looks after the staff and reads the audit log in the console, in a real Chromium
// against a real patrond: a support user made through the form (a short password refused beside
// its field first), their role changed, then disabled after a confirmation, after which they
// cannot sign in; the admin's own row offers neither. The audit log shows those changes, newest
// first on the programme's clock; filters by action, member, actor and dates narrow it, pages
// follow each other by "Older entries", and the Persian log reads right to left with Jalali date
// filters. A marketer is refused the section. The tests run in order: the log's test reads what
// the first one did. Every screen passes axe-core and is photographed in both languages at 1280,
// 768 and 360 px.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { baseUrl, check, demo, expectStaff, launch, openConsole as consolePage } from "./patron.mjs";

const home = `${baseUrl}/console/`;
const desk = { name: "Desk Support", email: "desk@staff.example", password: "a long desk password" };
const marketer = { email: "staff.marketer@console.example", password: "a long marketer password" };
let browser;
let adminName;
let timeZone;

before(async () => {
  await expectStaff("POST", "/v1/staff/users", { ...marketer, name: "Staff marketer", role: "marketer" }, 201);
  const { users } = await expectStaff("GET", "/v1/staff/users", undefined, 200);
  adminName = users.find((user) => user.email === demo.admin.email).name;
  timeZone = (await expectStaff("GET", "/v1/program/settings", undefined, 200)).time_zone;
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function openConsole(width, language, user, path = "") {
  const { context, page, problems } = await consolePage(browser, width, language, path);
  const labels = { en: ["Email", "Password"], fa: ["ایمیل", "گذرواژه"] }[language];
  await page.getByLabel(labels[0]).fill(user.email);
  await page.getByLabel(labels[1]).fill(user.password);
  const answered = page.waitForResponse((response) => response.url().endsWith("/v1/staff/sessions"));
  await page.locator("form.sign-in button[type=submit]").click();
  return { context, page, problems, signIn: await answered };
}

// The staff sign-in's answer to `user`'s email and password, asked of the API.
async function signInStatus(user) {
  const response = await fetch(`${baseUrl}/v1/staff/sessions`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  return { status: response.status, body: await response.json() };
}

// The programme's local date `days` from today, as the API reads `from` and `to`.
function programmeDate(days = 0) {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}

const rows = (page) => page.getByTestId("audit-entries").locator("tbody tr");

// Runs the search `act` starts and waits until the page shows the entries the API answered
// (appended to `before` rows for an older page); the answer's entries.
async function searched(page, act, before = 0) {
  const answered = page.waitForResponse((response) => new URL(response.url()).pathname === "/v1/audit-log");
  await act();
  const response = await answered;
  const body = await response.json();
  if (!response.ok()) return { status: response.status(), body };
  const count = before + body.entries.length;
  if (count === 0) {
    await page.getByText(/No entries match|هیچ رویدادی/).waitFor();
  } else {
    await page.waitForFunction(
      (expected) => document.querySelectorAll("[data-testid=audit-entries] tbody tr").length === expected,
      count,
    );
  }
  return { status: response.status(), body };
}

async function cells(page, column) {
  return rows(page).evaluateAll((found, at) => found.map((row) => row.children[at].textContent.trim()), column);
}

test("an admin creates a support user, changes their role and disables them, who then cannot sign in", async () => {
  const { context, page, problems } = await openConsole(1280, "en", demo.admin);
  await page.getByRole("link", { name: "Staff & audit" }).click();
  await page.waitForURL(`${home}staff`);
  const table = page.getByTestId("staff-users");
  await table.waitFor();
  // The admin's own row: marked, with neither a role list nor Disable (the API refuses both).
  const own = table.locator(`tr[data-email="${demo.admin.email}"]`);
  assert.match(await own.textContent(), /\(you\)/);
  assert.equal(await own.locator("select").count(), 0);
  assert.equal(await own.getByRole("button").count(), 0);
  await check(page, "staff-users-en-1280", problems);

  // A password too short is refused beside its field, in the API's words.
  await page.getByLabel("Name", { exact: true }).fill(desk.name);
  await page.getByLabel("Email", { exact: true }).fill(desk.email);
  await page.getByLabel("Role", { exact: true }).selectOption("support");
  const password = page.getByLabel("Password", { exact: true });
  await password.fill("too short");
  await page.getByRole("button", { name: "Create the user" }).click();
  await page.locator("input[aria-invalid=true]").waitFor();
  // The problem describes the field, beside it, and is no part of its name: found by it as before.
  assert.equal(await password.getAttribute("aria-invalid"), "true");
  const problem = page.locator(`[id="${await password.getAttribute("aria-describedby")}"]`);
  assert.match(await problem.textContent(), /12 to 256 characters/);
  assert.equal(await problem.evaluate((shown) => shown.closest("label")), null);
  assert.match(await page.getByRole("alert").textContent(), /Please correct these: Password/);
  assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), desk.name, "what was typed stays");
  // The browser logs the refused creation (422) as a failed resource: expected here, and nothing else.
  await check(page, "staff-user-refused-en-1280", problems.filter((logged) => !/status of 422/.test(logged)));
  problems.length = 0;

  await password.fill(desk.password);
  await page.getByRole("button", { name: "Create the user" }).click();
  await page.getByRole("status").filter({ hasText: `User created: ${desk.name} (${desk.email}, support)` }).waitFor();
  const row = table.locator(`tr[data-email="${desk.email}"]`);
  assert.equal(await row.locator("select").inputValue(), "support");
  assert.equal(await row.locator("td").nth(2).textContent(), "active");
  assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), "", "the form is emptied");
  assert.equal((await signInStatus(desk)).body.role, "support");

  // A new role, applied to their next session.
  await page.getByLabel(`Role of ${desk.name}`).selectOption("analyst");
  await page.getByRole("button", { name: `Change role ${desk.name}` }).click();
  await page.getByRole("status").filter({ hasText: `Role changed: ${desk.name} (analyst, active)` }).waitFor();
  assert.equal(await row.locator("select").inputValue(), "analyst");
  assert.equal(await page.getByRole("button", { name: `Change role ${desk.name}` }).count(), 0);
  assert.equal((await signInStatus(desk)).body.role, "analyst");

  // Disabling asks first; cancelled, nothing changes.
  await page.getByRole("button", { name: `Disable ${desk.name}` }).click();
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /Disable Desk Support \(desk@staff\.example\)\?[\s\S]*sessions end at once/);
  await check(page, "staff-disable-confirm-en-1280", problems);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "hidden" });
  assert.equal(await row.locator("td").nth(2).textContent(), "active");
  await page.getByRole("button", { name: `Disable ${desk.name}` }).click();
  await dialog.getByRole("button", { name: "Disable", exact: true }).click();
  await page.getByRole("status").filter({ hasText: `Disabled: ${desk.name} (analyst, disabled)` }).waitFor();
  assert.equal(await row.locator("td").nth(2).textContent(), "disabled");
  assert.equal(await row.getByRole("button", { name: `Enable ${desk.name}` }).count(), 1);
  assert.deepEqual(problems, []);

  // Disabled, they cannot sign in to the console.
  const refused = await openConsole(1280, "en", desk);
  assert.equal(refused.signIn.status(), 401);
  assert.match(await refused.page.getByRole("alert").textContent(), /The email or password is not right\./);
  assert.equal(await refused.page.locator("nav.sections").count(), 0);
  await refused.context.close();
  await context.close();
});

test("the audit log shows those changes and narrows by action, member, actor and dates, a page at a time", async () => {
  // Entries about a member (a point adjustment), and more settings changes than a small page holds.
  const member = demo.members[0].id;
  await expectStaff("POST", `/v1/members/${member}/points/adjustments`, { points: 25, reason: "audit test" }, 201);
  for (let change = 0; change < 12; ++change) {
    await expectStaff("PATCH", "/v1/program/settings", { points: { claim_window_days: 20 + change } }, 200);
  }
  const { context, page, problems } = await openConsole(1280, "en", demo.admin, "staff");
  await page.getByTestId("staff-users").waitFor();
  await searched(page, () => page.getByRole("link", { name: "Audit log" }).click());
  await page.waitForURL(`${home}staff/audit`);

  // Newest first, each with its time on the programme's clock, its actor and action in words.
  const times = await rows(page).locator("time").evaluateAll((found) => found.map((time) => time.dateTime));
  assert.deepEqual(times, [...times].sort().reverse());
  const texts = await rows(page).allTextContents();
  assert.ok(texts.some((text) => text.includes(adminName) && text.includes("Staff user created")), texts.join("\n"));
  assert.ok(texts.some((text) => text.includes("Staff user changed") && /Role/.test(text)), texts.join("\n"));
  assert.ok(texts.some((text) => text.includes("Staff user changed") && /Status/.test(text)), texts.join("\n"));
  // The fields changed in words: a setting as its form labels it.
  assert.ok(texts.some((text) => text.includes("Programme settings changed") && text.endsWith("Days to claim a receipt")), texts.join("\n"));
  assert.ok(texts.some((text) => text.includes(`Staff user ${desk.name}`)), "a staff user's entries name them");
  const shownTime = await rows(page).first().locator("time").textContent();
  const expectedClock = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .format(new Date(times[0]));
  assert.ok(shownTime.includes(expectedClock), `${shownTime} on the programme's clock (${timeZone}) is ${expectedClock}`);
  assert.equal(await page.getByRole("button", { name: /delete|remove|edit/i }).count(), 0, "read-only");
  await check(page, "staff-audit-en-1280", problems);

  // By action: only point adjustments, each linking to its member's page.
  await page.getByLabel("Action", { exact: true }).selectOption({ label: "Points adjusted" });
  await searched(page, () => page.getByRole("button", { name: "Search" }).click());
  assert.match(page.url(), /\/console\/staff\/audit\?action=points\.adjust$/);
  assert.ok((await rows(page).count()) >= 1);
  assert.deepEqual([...new Set(await rows(page).evaluateAll((found) => found.map((row) => row.dataset.action)))], ["points.adjust"]);
  const link = rows(page).first().getByRole("link", { name: `Member ${member}` });
  assert.equal(await link.getAttribute("href"), `/console/members/${member}`);

  // By member: every entry about them, whatever the action.
  await page.getByLabel("Action", { exact: true }).selectOption("");
  await page.getByLabel("Member id", { exact: true }).fill(String(member));
  const byMember = await searched(page, () => page.getByRole("button", { name: "Search" }).click());
  assert.ok(byMember.body.entries.every((entry) => entry.member_id === member));
  assert.equal(await rows(page).getByRole("link", { name: `Member ${member}` }).count(), await rows(page).count());

  // By actor (the admin's email): their changes only, none of the demo token's settings changes.
  await page.getByLabel("Member id", { exact: true }).fill("");
  await page.getByLabel("Actor", { exact: true }).fill(demo.admin.email);
  await searched(page, () => page.getByRole("button", { name: "Search" }).click());
  assert.deepEqual([...new Set(await cells(page, 1))], [adminName]);
  const actions = await rows(page).evaluateAll((found) => found.map((row) => row.dataset.action));
  assert.ok(actions.includes("staff.create") && actions.includes("staff.update"), actions.join());
  assert.ok(!actions.includes("program.settings"), actions.join());

  // A page of ten settings changes, then the older ones, none twice, until all are shown.
  const all = await expectStaff("GET", "/v1/audit-log?action=program.settings&limit=200", undefined, 200);
  assert.ok(all.entries.length >= 12);
  await page.getByLabel("Actor", { exact: true }).fill("");
  await page.getByLabel("Action", { exact: true }).selectOption("program.settings");
  await page.getByLabel("Entries per page", { exact: true }).selectOption("10");
  await searched(page, () => page.getByRole("button", { name: "Search" }).click());
  assert.equal(await rows(page).count(), 10);
  while (await page.getByRole("button", { name: "Older entries" }).count()) {
    await searched(page, () => page.getByRole("button", { name: "Older entries" }).click(), await rows(page).count());
  }
  assert.match(await page.getByRole("status").textContent(), new RegExp(`${all.entries.length} entries shown\\. There are no older ones\\.`));
  const paged = await rows(page).locator("time").evaluateAll((found) => found.map((time) => time.dateTime));
  assert.deepEqual(paged, all.entries.map((entry) => entry.at));
  await check(page, "staff-audit-paged-en-1280", problems);

  // By the programme's days: today has them, a from after to is refused beside From.
  await page.getByLabel("From", { exact: true }).fill(programmeDate());
  await page.getByLabel("To", { exact: true }).fill(programmeDate());
  const today = await searched(page, () => page.getByRole("button", { name: "Search" }).click());
  assert.ok(today.body.entries.length > 0);
  await page.getByLabel("From", { exact: true }).fill(programmeDate(1));
  const wrong = await searched(page, () => page.getByRole("button", { name: "Search" }).click());
  assert.equal(wrong.status, 422);
  const from = page.locator(".audit-search .bound", { has: page.getByLabel("From", { exact: true }) });
  assert.match(await from.locator(".field-problem").textContent(), /from is after to/);
  assert.match(await page.getByRole("alert").textContent(), /Please correct these: From/);
  problems.length = 0;

  // The search is the page's address: a reload shows the same entries.
  await page.getByLabel("From", { exact: true }).fill(programmeDate());
  await searched(page, () => page.getByRole("button", { name: "Search" }).click());
  const address = page.url();
  assert.match(address, /action=program\.settings/);
  assert.match(address, /limit=10/);
  await searched(page, () => page.reload());
  assert.equal(page.url(), address);
  // The list of actions may answer after the search: the select shows the action once it has it.
  const action = page.getByLabel("Action", { exact: true });
  await action.locator('option[value="program.settings"]').waitFor({ state: "attached" });
  assert.equal(await action.inputValue(), "program.settings");
  assert.equal(await rows(page).count(), 10);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the Persian audit log reads right to left, with Jalali date filters on the programme's days", async () => {
  const { context, page, problems } = await openConsole(768, "fa", demo.admin, "staff/audit");
  await page.getByTestId("audit-entries").waitFor();
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  const jalali = Object.fromEntries(
    new Intl.DateTimeFormat("en-US-u-ca-persian-nu-latn", { timeZone, year: "numeric", month: "numeric", day: "numeric" })
      .formatToParts(new Date())
      .map((part) => [part.type, part.value]),
  );
  for (const end of ["از تاریخ", "تا تاریخ"]) {
    const group = page.getByRole("group", { name: end });
    await group.getByLabel("سال").selectOption(jalali.year);
    await group.getByLabel("ماه").selectOption(jalali.month);
    await group.getByLabel("روز").selectOption(jalali.day);
  }
  await page.getByLabel("کار", { exact: true }).selectOption({ label: "تغییر تنظیمات باشگاه" });
  const found = await searched(page, () => page.getByRole("button", { name: "جست‌وجو" }).click());
  assert.ok(found.body.entries.length > 0);
  const query = new URL(page.url()).searchParams;
  assert.equal(query.get("from"), programmeDate());
  assert.equal(query.get("to"), programmeDate());
  const first = await rows(page).first().textContent();
  assert.match(first, /تغییر تنظیمات باشگاه/);
  assert.match(first, /[۰-۹]{2}:[۰-۹]{2}/);
  assert.doesNotMatch(await rows(page).first().locator("time").textContent(), /[0-9]/, "Persian digits");
  await check(page, "staff-audit-jalali-fa-768", problems);
  await context.close();
});

test("a marketer is refused the staff section, by its link and its address", async () => {
  const { context, page, problems } = await openConsole(1280, "en", marketer, "staff");
  await page.getByRole("alert").waitFor();
  assert.match(await page.getByRole("alert").textContent(), /may not use this section: Staff & audit \(marketer\)/);
  assert.equal(await page.getByRole("link", { name: "Staff & audit" }).count(), 0);
  await page.goto(`${home}staff/audit`);
  await page.getByRole("alert").waitFor();
  assert.match(await page.getByRole("alert").textContent(), /This section is not for your role/);
  assert.equal(await page.getByTestId("audit-entries").count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the staff screens pass axe-core, fit the screen and are photographed in both languages", async () => {
  const names = {
    en: { section: "Staff & audit", audit: "Audit log" },
    fa: { section: "کارکنان و حسابرسی", audit: "گزارش حسابرسی" },
  };
  for (const language of ["en", "fa"]) {
    for (const width of [1280, 768, 360]) {
      const { context, page, problems } = await openConsole(width, language, demo.admin);
      await page.getByRole("link", { name: names[language].section }).click();
      await page.getByTestId("staff-users").waitFor();
      await page.waitForLoadState("networkidle");
      await check(page, `staff-users-${language}-${width}`, problems);
      await searched(page, () => page.getByRole("link", { name: names[language].audit }).click());
      // The fields changed in the page's words, listed as the language lists.
      // (Persian lists mark each comma right to left, U+200F, which the comparison leaves out.)
      const changed = (await page.getByTestId("audit-entries").locator("td.fields").allTextContents()).map((text) =>
        text.replaceAll("\u200f", ""),
      );
      for (const expected of { en: ["Email, Name, Role and Password", "Days to claim a receipt"], fa: ["ایمیل، نام، نقش، و گذرواژه", "روزهای ثبت رسید بی‌کارت"] }[language]) {
        assert.ok(changed.includes(expected), `${expected} in ${changed.join(" | ")}`);
      }
      await check(page, `staff-audit-${language}-${width}`, problems);
      if (width === 360) {
        await page.getByRole("link", { name: names[language].section }).click();
        await page.locator("tr", { hasText: "Staff marketer" }).getByRole("button").click();
        await page.getByRole("dialog").waitFor();
        await check(page, `staff-disable-confirm-${language}-${width}`, problems);
      }
      await context.close();
    }
  }
});
