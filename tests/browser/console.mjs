// What the console's browser tests share: the console opened in a new context of `browser` at
// `width` pixels, its language chosen; what the page logs as errors is collected in `problems`.
import { baseUrl } from "./patron.mjs";

export const consoleHome = `${baseUrl}/console/`;

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
  await page.goto(consoleHome + path);
  await page.evaluate((chosen) => localStorage.setItem("patron.console.language", chosen), language);
  await page.reload();
  return { context, page, problems };
}
