// Live updates in a real browser: changes made through the API, or from another page, appear in an
// open page without a reload, and after the server restarts the page says it is reconnecting,
// then catches up with what was written while it was away (from its last cursor, nothing twice).
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openCasebook } from "../../src/api/index.js";
import { dataOf } from "../support/http.js";
import { closeCleanPages, launchChromium, openPage, screenshot, type WatchedPage } from "./support/browser.js";
import { type DashboardServer, startDashboardServer } from "./support/dashboard-server.js";

let server: DashboardServer;
let browser: Browser;
const pages: WatchedPage[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startDashboardServer({ seed: true }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});
afterEach(() => closeCleanPages(pages));

/** Opens a page and marks its document, so that a reload (which would lose the mark) is found out. */
async function open(path: string): Promise<WatchedPage> {
  const watched = await openPage(browser, server.origin);
  pages.push(watched);
  await watched.page.goto(`${server.origin}${path}`);
  await watched.page.evaluate("globalThis.notReloaded = true");
  await expect.poll(() => liveState(watched.page)).toBe("Live");
  return watched;
}

function liveState(page: Page): Promise<string | null> {
  return page.getByTestId("live-state").textContent();
}

async function notReloaded(page: Page): Promise<boolean> {
  return (await page.evaluate("globalThis.notReloaded === true")) === true;
}

async function query<T>(text: string, variables: Record<string, unknown> = {}): Promise<T> {
  return dataOf(await server.request<T>(text, variables));
}

/** A case of the seed in `status` whose id no other test of this file takes. */
const taken = new Set<string>();
async function seededCase(status: string) {
  const { cases } = await query<{ cases: { edges: { node: { id: string; name: string; job: { id: string } } }[] } }>(
    `query ($status: [EntityStatus!]) { cases(first: 500, status: $status) { edges { node { id name job { id } } } } }`,
    { status: [status] },
  );
  const found = cases.edges.map((edge) => edge.node).find((node) => !taken.has(node.id));
  if (!found) throw new Error(`the seed holds no more ${status} cases`);
  taken.add(found.id);
  return found;
}

async function transitionCount(id: string): Promise<number> {
  const { case: found } = await query<{ case: { transitions: { totalCount: number } } }>(
    "query ($id: ID!) { case(id: $id) { transitions { totalCount } } }",
    { id },
  );
  return found.transitions.totalCount;
}

function badge(page: Page): Promise<string | null> {
  return page.getByRole("heading", { level: 1 }).locator(".badge").textContent();
}

describe("live updates", () => {
  it("shows a mission created through the API in the open list, and a case's new status in its page", async () => {
    const list = (await open("/ui/")).page;
    dataOf(
      await server.request(`mutation ($input: CreateMissionInput!) { createMission(input: $input) { id } }`, {
        input: { id: "live-mission", name: "Arrived live" },
      }),
    );
    // Newest first: the new mission leads the list.
    await expect
      .poll(() => list.getByTestId("mission-rows").locator("tr th[scope=row] a").first().textContent())
      .toBe("Arrived live");

    const target = await seededCase("IN_PROGRESS");
    const before = await transitionCount(target.id);
    const detail = (await open(`/ui/cases/${encodeURIComponent(target.id)}`)).page;
    dataOf(
      await server.request(`mutation ($id: ID!) { handleCaseEvent(id: $id, event: AWAITING_ON_INPUT) { status } }`, {
        id: target.id,
      }),
    );
    await expect.poll(() => badge(detail)).toBe("Awaiting");
    await expect.poll(() => detail.getByTestId("transition").count()).toBe(before + 1);
    // The events offered are the new status's.
    await detail.getByRole("button", { name: "Input received" }).waitFor();
    expect(await notReloaded(list)).toBe(true);
    expect(await notReloaded(detail)).toBe(true);
  });

  it("shows in one page an event fired from another", async () => {
    const target = await seededCase("IN_PROGRESS");
    const path = `/ui/cases/${encodeURIComponent(target.id)}`;
    const watching = (await open(path)).page;
    const acting = (await open(path)).page;
    await acting.getByRole("button", { name: "Successfully done" }).click();
    await expect.poll(() => badge(acting)).toBe("Completed");
    await expect.poll(() => badge(watching)).toBe("Completed");
    await expect.poll(() => watching.getByTestId("transition").last().textContent()).toContain("by dashboard");
    expect(await notReloaded(watching)).toBe(true);
  });

  it("says it is reconnecting while the server is away, then catches up with what was written meanwhile", async () => {
    const target = await seededCase("IN_PROGRESS");
    const before = await transitionCount(target.id);
    const watched = await open(`/ui/cases/${encodeURIComponent(target.id)}`);
    const { page } = watched;
    await expect.poll(() => badge(page)).toBe("In progress");

    await server.halt();
    await expect.poll(() => liveState(page)).toBe("Live updates: reconnecting…");
    await screenshot(page, "reconnecting");
    // Written while no server runs: the change feed keeps it for the page to catch up on.
    const casebook = await openCasebook({ databaseUrl: server.databaseUrl, env: { APP_ENV: "test" } });
    try {
      await casebook.cases.handleEvent(target.id, "AWAITING_ON_INPUT", { actor: "while-away" });
    } finally {
      await casebook.close();
    }
    await server.resume();

    await expect.poll(() => liveState(page), { timeout: 30_000 }).toBe("Live");
    await expect.poll(() => badge(page)).toBe("Awaiting");
    await expect.poll(() => page.getByTestId("transition").count()).toBe(before + 1);
    expect(await page.getByTestId("transition").last().textContent()).toContain("by while-away");
    // And it keeps following: a change after the restart arrives too.
    dataOf(
      await server.request(`mutation ($id: ID!) { handleCaseEvent(id: $id, event: INPUT_RECEIVED) { status } }`, {
        id: target.id,
      }),
    );
    await expect.poll(() => badge(page)).toBe("In progress");
    expect(await transitionCount(target.id)).toBe(before + 2);
    await expect.poll(() => page.getByTestId("transition").count()).toBe(before + 2);
    expect(await notReloaded(page)).toBe(true);
    // The console holds the socket attempts that failed while the server was away, and nothing else.
    const others = watched.problems.filter((problem) => !problem.includes("WebSocket connection"));
    expect(others).toEqual([]);
    watched.problems.length = 0;
  });
});
