// The dashboard when the server has API_KEYS: without a key it reads but cannot change anything
// (or, with REQUIRE_AUTH_FOR_QUERIES, asks for a key before anything else); a refused key is
// explained; an accepted one is kept for the tab and sent with every request.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataOf, type TestServer } from "../support/http.js";
import { launchChromium, openPage, screenshot, type WatchedPage } from "./support/browser.js";
import { startDashboardServer } from "./support/dashboard-server.js";

const KEY = "dashboard-test-key";
const AUTHORIZED = { authorization: `Bearer ${KEY}` };

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function createMission(server: TestServer, id: string): Promise<void> {
  dataOf(
    await server.request(
      `mutation ($input: CreateMissionInput!) { createMission(input: $input) { id } }`,
      { input: { id, name: `Mission ${id}` } },
      AUTHORIZED,
    ),
  );
}

async function statusOf(server: TestServer, id: string): Promise<string> {
  const { mission } = dataOf(
    await server.request<{ mission: { status: string } }>(
      `query ($id: ID!) { mission(id: $id) { status } }`,
      { id },
      AUTHORIZED,
    ),
  );
  return mission.status;
}

function expectCleanPage(watched: WatchedPage, allowed: RegExp[] = []): void {
  expect(watched.problems.filter((problem) => !allowed.some((pattern) => pattern.test(problem)))).toEqual([]);
  expect(watched.foreignRequests).toEqual([]);
}

describe("with API_KEYS, reading is open and changes need a key", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startDashboardServer({ env: { API_KEYS: KEY } });
    await createMission(server, "keyed-mission");
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("is read-only without a key, explains a wrong key, and works with the right one", async () => {
    const watched = await openPage(browser, server.origin);
    const { page } = watched;
    try {
      await page.goto(`${server.origin}/ui/missions/keyed-mission`);
      const start = page.getByRole("button", { name: "Start work" });
      await start.waitFor();
      expect(await start.isDisabled()).toBe(true);
      expect(await page.getByText("Read only: enter an API key").count()).toBe(1);
      await screenshot(page, "read-only");

      const keyField = page.getByLabel("API key", { exact: true });
      await keyField.fill("not-the-key");
      await page.getByRole("button", { name: "Use key" }).click();
      await start.click();
      const alert = page.getByRole("alert");
      await expect.poll(() => alert.getAttribute("data-code")).toBe("UNAUTHENTICATED");
      expect(await alert.textContent()).toContain("An API key is needed");
      expect(await statusOf(server, "keyed-mission")).toBe("STOPPED");

      await page.getByRole("button", { name: "Forget key" }).click();
      await keyField.fill(KEY);
      await page.getByRole("button", { name: "Use key" }).click();
      await start.click();
      await expect
        .poll(() => page.getByRole("status").filter({ hasText: "now" }).textContent())
        .toBe("Start work: now In progress.");
      expect(await statusOf(server, "keyed-mission")).toBe("IN_PROGRESS");

      // Kept for this tab across a reload, and only in session storage.
      await page.reload();
      await page.getByText("API key set").waitFor();
      expect(await page.getByRole("button", { name: "Cancel requested" }).isDisabled()).toBe(false);
      expect(await page.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([1, 0]);
      // The browser reports the refused request (HTTP 401) in the console; nothing else may appear.
      expectCleanPage(watched, [/status of 401/]);
    } finally {
      await page.close();
    }
  });
});

describe("with REQUIRE_AUTH_FOR_QUERIES, nothing is shown without a key", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startDashboardServer({ env: { API_KEYS: KEY, REQUIRE_AUTH_FOR_QUERIES: "true" } });
    await createMission(server, "hidden-mission");
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("asks for the key first, then shows the missions", async () => {
    const watched = await openPage(browser, server.origin);
    const { page } = watched;
    try {
      await page.goto(`${server.origin}/ui/`);
      await page.getByRole("heading", { name: "An API key is needed" }).waitFor();
      expect(watched.graphqlRequests).toEqual([]);
      await screenshot(page, "key-required");
      await page.getByLabel("API key", { exact: true }).fill(KEY);
      await page.getByRole("button", { name: "Use key" }).click();
      await page.getByRole("link", { name: "Mission hidden-mission" }).waitFor();
      expectCleanPage(watched);
    } finally {
      await page.close();
    }
  });
});
