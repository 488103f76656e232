// Debian's Chromium driven by playwright-core (no browser is downloaded): headless, and without
// the sandbox, which cannot start as root. Each page records what a person would not want to
// see: console errors, uncaught exceptions, and requests to anywhere but the server.
import fs from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import { PACKAGE_ROOT } from "../../../src/package-root.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Screenshots of the main views (git ignores test-results/). */
const SCREENSHOTS = path.join(PACKAGE_ROOT, "test-results/dashboard");

export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions, in order. */
  problems: string[];
  /** Every URL the page asked for outside `origin`. */
  foreignRequests: string[];
  /** Bodies of the GraphQL requests, in order. */
  graphqlRequests: string[];
}

export async function openPage(browser: Browser, origin: string): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
  const watched: WatchedPage = { page, problems: [], foreignRequests: [], graphqlRequests: [] };
  page.on("console", (message) => {
    if (message.type() === "error") watched.problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => watched.problems.push(`exception: ${error.message}`));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin !== origin && url.protocol !== "data:") watched.foreignRequests.push(request.url());
    if (url.pathname === "/graphql") watched.graphqlRequests.push(request.postData() ?? "");
  });
  return watched;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Closes every page opened since the last call and fails on what a person would not want to see
 * on any of them: console errors, uncaught exceptions, requests to another origin.
 */
export async function closeCleanPages(pages: WatchedPage[]): Promise<void> {
  for (const watched of pages.splice(0)) {
    await watched.page.close();
    expect(watched.problems, "console errors and exceptions").toEqual([]);
    expect(watched.foreignRequests, "requests to other origins").toEqual([]);
  }
}
