// The console's dashboard in a real Chromium against a real patrond, after signed purchases at the
// till, a redemption and a rating: the points members hold are the figure `patronctl verify` sums
// from the ledger; each chart's table holds the numbers the chart draws; the CSV downloads and
// parses to the same figure; Persian reads right to left with Jalali dates in the range; an
// analyst reads it and support is refused it. Photographed in both languages at 1280, 768 and 360 px.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";

import { baseUrl, check, demo, launch, openConsole as openConsoleIn, pos, purchase, setUpProgramme, staff } from "./patron.mjs";
import { numberIn } from "./portal.mjs";

const home = `${baseUrl}/console/`;
const users = {};
const labels = {
  en: { email: "Email", password: "Password" },
  fa: { email: "ایمیل", password: "گذرواژه" },
};
const charts = [
  "chart-points",
  "chart-outstanding",
  "chart-cashback",
  "chart-enrolled",
  "chart-tiers",
  "chart-coupons",
  "chart-stamps",
  "chart-cost",
  "chart-feedback",
];
let browser;
let verifiedOutstanding;

async function sell(receipt, card, amount, extra = {}) {
  const sale = await pos("POST", "/v1/pos/purchases", { ...purchase(receipt, card, amount), ...extra });
  assert.equal(sale.status, 201, JSON.stringify(sale.body));
  return sale.body;
}

// What `patronctl verify` prints the demo programme holds, summed from the ledger's entries.
function patronctlOutstanding() {
  const printed = execFileSync(process.env.PATRONCTL, ["verify"], { encoding: "utf8" });
  assert.match(printed, /the ledger, the balances and the lots agree/, printed);
  const found = /: (-?\d+) points outstanding \(/.exec(printed);
  assert.ok(found, printed);
  return Number(found[1]);
}

before(async () => {
  for (const role of ["analyst", "support"]) {
    users[role] = { email: `${role}@dashboard.example`, password: `a long ${role} password` };
    const created = await staff("POST", "/v1/staff/users", { ...users[role], name: `Test ${role}`, role });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  }
  await setUpProgramme();
  const [sara, reza] = demo.members.map((member) => member.card);
  // Three coffees complete Sara's stamp card (its reward is a free-coffee code); Reza buys once;
  // then Sara pays 20 points of a basket, and rates her visit.
  // Rules apply by the till's time, which purchase() writes in whole seconds: the first sale must
  // not fall in the second before the programme was published.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  for (const receipt of ["dash-1", "dash-2", "dash-3"]) await sell(receipt, sara, 500000);
  await sell("dash-4", reza, 200000);
  const paid = await sell("dash-5", sara, 300000, { redeem_points: 20 });
  assert.equal(paid.points.redeemed, 20, JSON.stringify(paid.points));
  const token = new URL(paid.feedback.url, baseUrl).hash.replace(/^#rate=/, "");
  const rated = await fetch(`${baseUrl}/v1/feedback/${token}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ nps: 9, csat: 5 }),
  });
  assert.equal(rated.status, 201, await rated.text());
  verifiedOutstanding = patronctlOutstanding();
  assert.ok(verifiedOutstanding > 0);
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function openConsole(width, language, path = "") {
  return openConsoleIn(browser, width, language, path, { acceptDownloads: true });
}

async function signIn(page, language, role) {
  await page.getByLabel(labels[language].email).fill(users[role].email);
  await page.getByLabel(labels[language].password).fill(users[role].password);
  await page.locator("form.sign-in button[type=submit]").click();
  await page.locator("nav.sections").waitFor();
}

// The analyst on the dashboard, every chart drawn.
async function dashboard(width, language) {
  const opened = await openConsole(width, language, "dashboard");
  await signIn(opened.page, language, "analyst");
  await opened.page.getByTestId("tile-points-outstanding").waitFor();
  await opened.page.waitForFunction(
    (count) => document.querySelectorAll("figure canvas[width]").length === count,
    charts.length,
  );
  await opened.page.waitForLoadState("networkidle");
  return opened;
}

// A chart's figures as drawn, and its table's cells as numbers.
async function chartAndTable(page, id) {
  const card = page.getByTestId(id);
  const figures = JSON.parse(await card.locator("figure").getAttribute("data-figures"));
  await card.locator("summary").click();
  const rows = await card.locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("th, td")].map((cell) => cell.textContent)),
  );
  return { figures, rows };
}

// A table's cell as the number it shows ("۱۲٫۵٪" is 12.5, "۴۵۰٬۰۰۰ ریال" 450000); null for "—".
function cellNumber(text) {
  if (text === "—") return null;
  const latin = text.replace(/[۰-۹]/g, (digit) => String("۰۱۲۳۴۵۶۷۸۹".indexOf(digit))).replace("٫", ".");
  const number = latin.replace(/[^0-9.-]/g, "");
  return Number(number);
}

// RFC 4180: quoted fields may hold commas, quotes (doubled) and line breaks.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let at = 0; at < text.length; ++at) {
    const character = text[at];
    if (quoted) {
      if (character === '"' && text[at + 1] === '"') {
        field += '"';
        ++at;
      } else if (character === '"') {
        quoted = false;
      } else {
        field += character;
      }
    } else if (character === '"') {
      quoted = true;
    } else if (character === ",") {
      row.push(field);
      field = "";
    } else if (character === "\n" || character === "\r") {
      if (character === "\r" && text[at + 1] === "\n") ++at;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else {
      field += character;
    }
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  const [header, ...records] = rows;
  return records.map((record) => Object.fromEntries(header.map((name, index) => [name, record[index]])));
}

test("the points members hold on the dashboard are what patronctl verify sums from the ledger", async () => {
  const { context, page, problems } = await dashboard(1280, "en");
  assert.equal(await page.getAttribute("html", "dir"), "ltr");
  assert.equal(numberIn(await page.getByTestId("tile-points-outstanding").textContent()), verifiedOutstanding);
  // The last period's outstanding points, drawn and in the table.
  const { figures, rows } = await chartAndTable(page, "chart-outstanding");
  const drawn = figures.series.find((series) => series.label === "Points outstanding").values;
  assert.equal(drawn.at(-1), verifiedOutstanding);
  assert.equal(cellNumber(rows.at(-1)[1]), verifiedOutstanding);
  // The same figure in the API's own answer to the analyst's query.
  const token = await page.evaluate(() => sessionStorage.getItem("patron.staff.token"));
  const from = await page.locator("input[name=from]").inputValue();
  const to = await page.locator("input[name=to]").inputValue();
  const answer = await fetch(`${baseUrl}/v1/reports/points?from=${from}&to=${to}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal((await answer.json()).total.points.outstanding, verifiedOutstanding);
  await check(page, "dashboard-table-en-1280", problems);
  await context.close();
});

test("every chart's table holds the numbers the chart draws", async () => {
  for (const language of ["en", "fa"]) {
    const { context, page, problems } = await dashboard(1280, language);
    for (const id of charts) {
      const { figures, rows } = await chartAndTable(page, id);
      assert.ok(figures.categories.length > 0, `${id} in ${language} has figures`);
      assert.deepEqual(
        rows.map((row) => row[0]),
        figures.categories,
        `${id} in ${language}: the rows are the chart's categories`,
      );
      figures.series.forEach((series, column) => {
        assert.deepEqual(
          rows.map((row) => cellNumber(row[column + 1])),
          series.values,
          `${id} in ${language}: ${series.label}`,
        );
      });
      if (language === "fa") {
        // The figures, not the names staff gave rules ("Cashback 5%").
        const figures = rows.flatMap((row) => row.slice(1)).join(" ");
        assert.doesNotMatch(figures, /[0-9]/, `${id}: Persian digits only`);
      }
    }
    // What was sold shows: Sara's stamp card completed once, her coffee bonus and the tiers.
    const stamps = JSON.parse(await page.getByTestId("chart-stamps").locator("figure").getAttribute("data-figures"));
    assert.deepEqual(stamps.series[0].values, [1]);
    const tiers = JSON.parse(await page.getByTestId("chart-tiers").locator("figure").getAttribute("data-figures"));
    const members = numberIn(await page.getByTestId("tile-members").textContent());
    assert.equal(tiers.series[0].values.reduce((sum, value) => sum + value, 0), members);
    const feedback = JSON.parse(await page.getByTestId("chart-feedback").locator("figure").getAttribute("data-figures"));
    assert.deepEqual(feedback.series[0].values.filter((value) => value !== null), [100], "one promoter");
    assert.deepEqual(problems, [], language);
    await context.close();
  }
});

test("a chart's CSV downloads and holds the same figures", async () => {
  const { context, page, problems } = await dashboard(1280, "en");
  const card = page.getByTestId("chart-outstanding");
  const downloaded = page.waitForEvent("download");
  await card.getByRole("button", { name: "Download CSV" }).click();
  const download = await downloaded;
  assert.match(download.suggestedFilename(), /^patron-points-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
  const records = parseCsv(readFileSync(await download.path(), "utf8"));
  const programme = records.filter((record) => record.scope === "all");
  assert.ok(programme.length > 1, "a row per day");
  assert.equal(Number(programme.at(-1).points_outstanding), verifiedOutstanding);
  const { figures } = await chartAndTable(page, "chart-points");
  const issued = figures.series.find((series) => series.label === "Issued").values;
  assert.deepEqual(programme.map((record) => Number(record.points_issued)), issued);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the Persian dashboard reads right to left, with the range in the Jalali calendar", async () => {
  const { context, page, problems } = await dashboard(1280, "fa");
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  assert.equal(await page.locator("main h2").textContent(), "داشبورد");
  const outstanding = await page.getByTestId("tile-points-outstanding").textContent();
  assert.match(outstanding, /^[۰-۹٬]+$/);
  assert.equal(numberIn(outstanding), verifiedOutstanding);
  // The range's fields are Jalali lists: this month starts on its first day.
  const from = page.getByTestId("from-jalali");
  await from.waitFor();
  assert.ok(Number(await from.locator("select[name=from-year]").inputValue()) >= 1405);
  await page.getByRole("button", { name: "این ماه" }).click();
  await page.waitForFunction(
    () => document.querySelector("select[name=from-day]")?.value === "1",
  );
  assert.equal(await page.getByRole("button", { name: "این ماه" }).getAttribute("aria-pressed"), "true");
  const to = page.getByTestId("to-jalali");
  assert.equal(await to.locator("select[name=to-month]").inputValue(), await from.locator("select[name=from-month]").inputValue());
  await page.getByTestId("tile-points-outstanding").waitFor();
  await page.waitForLoadState("networkidle");
  // A range the reports refuse (more than 366 days) is said so at the range.
  await from.locator("select[name=from-year]").selectOption(String(Number(await from.locator("select[name=from-year]").inputValue()) - 2));
  await page.getByRole("button", { name: "نمایش" }).click();
  await page.getByRole("alert").filter({ hasText: "۳۶۶" }).waitFor();
  // The browser logs the refused reports (422) as failed resources: expected here.
  assert.deepEqual(problems.filter((problem) => !/status of 422/.test(problem)), []);
  await context.close();
});

test("an analyst sees the dashboard, support is refused it", async () => {
  const analyst = await openConsole(1280, "en");
  await signIn(analyst.page, "en", "analyst");
  await analyst.page.waitForURL(`${home}dashboard`);
  assert.deepEqual(await analyst.page.locator("nav.sections a").allTextContents(), ["Dashboard", "Prize draws", "Fraud signals"]);
  await analyst.page.getByTestId("tile-members").waitFor();
  assert.equal(numberIn(await analyst.page.getByTestId("tile-members").textContent()), demo.members.length);
  await analyst.context.close();

  const support = await openConsole(1280, "en", "dashboard");
  await signIn(support.page, "en", "support");
  await support.page.getByRole("alert").waitFor();
  assert.equal(await support.page.locator("main h2").textContent(), "This section is not for your role");
  assert.equal(await support.page.getByRole("link", { name: "Dashboard" }).count(), 0);
  assert.equal(await support.page.getByTestId("tile-members").count(), 0);
  const token = await support.page.evaluate(() => sessionStorage.getItem("patron.staff.token"));
  const refused = await fetch(`${baseUrl}/v1/reports/members`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(refused.status, 403);
  assert.deepEqual(support.problems, []);
  await support.context.close();
});

test("the dashboard passes axe-core, fits the screen, and is photographed in both languages", async () => {
  for (const language of ["en", "fa"]) {
    for (const width of [1280, 768, 360]) {
      const { context, page, problems } = await dashboard(width, language);
      await check(page, `dashboard-analyst-${language}-${width}`, problems);
      await context.close();
    }
  }
});
