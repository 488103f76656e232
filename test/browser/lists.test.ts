// The lists in a real browser over seeded data: counts by status and costs as the API gives them,
// each filter (status, running, search, creation days) narrowing the rows to what the API answers
// for the same arguments, the order a person picks, and "load more" walking that order.
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { dataOf, type TestServer } from "../support/http.js";
import { closeCleanPages, launchChromium, openPage, screenshot, type WatchedPage } from "./support/browser.js";
import { startDashboardServer } from "./support/dashboard-server.js";

interface Count {
  status: string;
  count: number;
}
interface MissionRow {
  id: string;
  name: string;
  status: string;
  totalCost: number;
  caseStatusCounts: Count[];
}

let server: TestServer;
let browser: Browser;
const pages: WatchedPage[] = [];

/** Missions the test adds, more than one page of them, named so that a search finds them alone. */
const BATCH = 30;
const BATCH_WORD = "Zebrafish";

beforeAll(async () => {
  [server, browser] = await Promise.all([startDashboardServer({ seed: true }), launchChromium()]);
  for (let index = 0; index < BATCH; index++) {
    dataOf(
      await server.request(`mutation ($input: CreateMissionInput!) { createMission(input: $input) { id } }`, {
        // Created in an order other than their names', so that a name order differs from a time order.
        input: { id: `batch-${index}`, name: `${BATCH_WORD} survey ${String((index * 7) % BATCH).padStart(2, "0")}` },
      }),
    );
  }
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});
afterEach(() => closeCleanPages(pages));

async function open(path: string): Promise<Page> {
  const watched = await openPage(browser, server.origin);
  pages.push(watched);
  await watched.page.goto(`${server.origin}${path}`);
  return watched.page;
}

/** The missions the API lists for these arguments (newest first unless told), with their counts. */
async function missions(args = "") {
  const order = args.includes("orderBy") ? "" : ", orderBy: { field: CREATED_AT, direction: DESC }";
  const text = `{ missions(first: 500${args ? `, ${args}` : ""}${order}) { totalCount statusCounts { status count }
    edges { node { id name status totalCost caseStatusCounts { status count } } } } }`;
  const { missions } = dataOf(
    await server.request<{ missions: { totalCount: number; statusCounts: Count[]; edges: { node: MissionRow }[] } }>(
      text,
    ),
  );
  return { ...missions, nodes: missions.edges.map((edge) => edge.node) };
}

/** The mission names the page shows, in order. */
function shownNames(page: Page): Promise<string[]> {
  return page.getByTestId("mission-rows").locator("tr th[scope=row] a").allTextContents();
}

/** The list's counts by status as the page shows them. */
function shownCounts(page: Page): Promise<Count[]> {
  return countsIn(page.getByTestId("list-status-counts"));
}

/** Counts by status as a StatusCounts list shows them. */
function countsIn(list: Locator): Promise<Count[]> {
  return list.locator("li").evaluateAll((items) =>
    items.map((item) => ({
      status: item.getAttribute("data-status") ?? "",
      count: Number(item.querySelector(".count")?.textContent),
    })),
  );
}

describe("the lists over seeded data", () => {
  it("counts the missions by status and shows each mission's cases by status and cost, as the API does", async () => {
    const all = await missions();
    const page = await open("/ui/");
    await expect.poll(() => shownCounts(page)).toEqual(all.statusCounts);
    // The seeded missions come before the test's own.
    await page.getByLabel("Order", { exact: true }).selectOption("oldest");
    // Seeded missions have cases in several statuses and a cost: every one is shown as the API says.
    const seeded = all.nodes.filter((node) => !node.id.startsWith("batch-"));
    expect(seeded.some((node) => node.totalCost > 0 && node.caseStatusCounts.length > 1)).toBe(true);
    for (const node of seeded) {
      const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: node.name, exact: true }) });
      const cells = row.locator("td");
      await expect.poll(() => row.getByRole("list").locator("li").count()).toBe(node.caseStatusCounts.length);
      expect(await countsIn(row.getByRole("list"))).toEqual(node.caseStatusCounts);
      const costText = (await cells.nth(3).textContent()) ?? "";
      expect(Number(costText.replaceAll(/[^\d.]/g, ""))).toBeCloseTo(node.totalCost, 6);
    }
    await screenshot(page, "missions-counts");

    // A mission's page heads its jobs with the same counts and cost.
    const busiest = seeded.reduce((best, node) =>
      node.caseStatusCounts.length > best.caseStatusCounts.length ? node : best,
    );
    await page.getByRole("link", { name: busiest.name, exact: true }).click();
    const header = page.getByTestId("case-status-counts");
    await expect.poll(() => countsIn(header)).toEqual(busiest.caseStatusCounts);
    const missionCost = (await page.getByTestId("total-cost").textContent()) ?? "";
    expect(Number(missionCost.replaceAll(/[^\d.]/g, ""))).toBeCloseTo(busiest.totalCost, 6);
  });

  it("narrows the list by status, running and name search, with counts of what matches", async () => {
    const page = await open("/ui/");
    await page.getByTestId("mission-rows").waitFor();

    await page.getByLabel("Status", { exact: true }).selectOption("COMPLETED");
    const completed = await missions("status: [COMPLETED]");
    expect(completed.totalCount).toBeGreaterThan(0);
    await expect.poll(() => shownNames(page)).toEqual(completed.nodes.map((node) => node.name));
    await expect.poll(() => shownCounts(page)).toEqual(completed.statusCounts);

    await page.getByLabel("Status", { exact: true }).selectOption("");
    await page.getByLabel("Running", { exact: true }).selectOption("true");
    const running = await missions("running: true");
    await expect.poll(() => shownNames(page)).toEqual(running.nodes.map((node) => node.name));
    expect(running.nodes.every((node) => ["IN_PROGRESS", "AWAITING", "CANCELLING"].includes(node.status))).toBe(true);

    await page.getByLabel("Running", { exact: true }).selectOption("");
    const target = (await missions()).nodes.find((node) => !node.id.startsWith("batch-"))!;
    const word = target.name.split(/\s+/)[0]!;
    await page.getByLabel("Search", { exact: true }).fill(word.toLowerCase());
    const found = await missions(`search: ${JSON.stringify(word.toLowerCase())}`);
    expect(found.totalCount).toBeGreaterThan(0);
    await expect.poll(() => shownNames(page)).toEqual(found.nodes.map((node) => node.name));
    await screenshot(page, "missions-search");

    await page.getByLabel("Search", { exact: true }).fill("no mission is called this");
    await expect.poll(() => page.locator(".empty").textContent()).toBe("No missions match these filters.");
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(async () => (await shownNames(page)).length).toBe(25);
  });

  it("keeps to the creation days chosen", async () => {
    const page = await open("/ui/");
    await page.getByTestId("mission-rows").waitFor();
    const today = await page.evaluate(() => {
      const now = new Date();
      return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
    });
    const tomorrow = await page.evaluate(() => {
      const now = new Date();
      now.setDate(now.getDate() + 1);
      return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
    });
    await page.getByLabel("Search", { exact: true }).fill(BATCH_WORD);
    await expect.poll(async () => (await shownNames(page)).length).toBe(25);
    // Everything was created today: from tomorrow on there is nothing, up to today there is all.
    await page.getByLabel("Created from", { exact: true }).fill(tomorrow);
    await expect.poll(() => page.locator(".empty").textContent()).toBe("No missions match these filters.");
    await page.getByLabel("Created from", { exact: true }).fill("");
    await page.getByLabel("Created to", { exact: true }).fill(today);
    await expect
      .poll(() => page.getByTestId("mission-rows").locator(".load-more span").textContent())
      .toBe(`${BATCH} missions in all`);
  });

  it("orders as chosen and loads more in that order until every match is shown", async () => {
    const page = await open("/ui/");
    await page.getByTestId("mission-rows").waitFor();
    await page.getByLabel("Search", { exact: true }).fill(BATCH_WORD);
    const newest = await missions(`search: "${BATCH_WORD}", orderBy: { field: CREATED_AT, direction: DESC }`);
    expect(newest.totalCount).toBe(BATCH);
    // Newest first is the default.
    await expect.poll(() => shownNames(page)).toEqual(newest.nodes.slice(0, 25).map((node) => node.name));

    await page.getByLabel("Order", { exact: true }).selectOption("name");
    const byName = await missions(`search: "${BATCH_WORD}", orderBy: { field: NAME, direction: ASC }`);
    await expect.poll(() => shownNames(page)).toEqual(byName.nodes.slice(0, 25).map((node) => node.name));
    await page.getByRole("button", { name: "Load more missions" }).click();
    await expect.poll(() => shownNames(page)).toEqual(byName.nodes.map((node) => node.name));
    expect(await page.getByRole("button", { name: "Load more missions" }).count()).toBe(0);
    await screenshot(page, "missions-by-name");
  });
});
