// The dashboard for people who use a keyboard or assistive technology: axe-core (run in the page)
// finds no WCAG 2.1 A or AA violation on the main views (labels, names, contrast, structure), and
// the keyboard alone reaches a mission and lands on its content.
import axe from "axe-core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataOf, type TestServer } from "../support/http.js";
import { launchChromium, openPage } from "./support/browser.js";
import { startDashboardServer } from "./support/dashboard-server.js";

interface Violation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startDashboardServer({ seed: true }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The ids of a mission, one of its jobs and one of that job's cases with steps. */
async function seededPath() {
  const { cases } = dataOf(
    await server.request<{
      cases: { edges: { node: { id: string; job: { id: string; missionId: string | null } } }[] };
    }>(`{ cases(first: 100, status: [COMPLETED]) { edges { node { id job { id missionId } } } } }`),
  );
  const found = cases.edges.map((e) => e.node).find((c) => c.job.missionId !== null)!;
  return { mission: found.job.missionId!, job: found.job.id, case: found.id };
}

// The test code is not compiled for the DOM, so what runs in the page is written as text.
const RUN_AXE = `axe
  .run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
  .then((result) => result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`;

async function violations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ content: axe.source });
  return page.evaluate<Violation[]>(RUN_AXE);
}

const focusedHref = (page: Page) => page.evaluate<string>(`document.activeElement?.getAttribute("href") ?? ""`);
const focusedId = (page: Page) => page.evaluate<string | undefined>("document.activeElement?.id");

describe("accessibility", () => {
  it("has no WCAG 2.1 A or AA violation axe-core can find on the main views", async () => {
    const ids = await seededPath();
    // The page's policy allows no injected script, axe-core included: this context sets it aside.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1366, height: 860 } });
    try {
      const page = await context.newPage();
      const views: [string, string][] = [
        ["/ui/", "mission-rows"],
        [`/ui/missions/${encodeURIComponent(ids.mission)}`, "job-rows"],
        [`/ui/jobs/${encodeURIComponent(ids.job)}`, "case-rows"],
        [`/ui/cases/${encodeURIComponent(ids.case)}`, "step-rows"],
        ["/ui/lifecycle", "lifecycle-table"],
      ];
      for (const [path, ready] of views) {
        await page.goto(`${server.origin}${path}`);
        await page.getByTestId(ready).waitFor();
        await page.waitForLoadState("networkidle");
        expect(await violations(page), path).toEqual([]);
      }
    } finally {
      await context.close();
    }
  });

  it("reaches a mission with the keyboard alone and starts on its content", async () => {
    const watched = await openPage(browser, server.origin);
    const { page } = watched;
    try {
      await page.goto(`${server.origin}/ui/`);
      await page.getByTestId("mission-rows").waitFor();
      // Skip link, brand, three sections, the filters (search, status, running, two days, order,
      // clear), then the first mission.
      let presses = 0;
      while (!(await focusedHref(page)).startsWith("/ui/missions/") && presses < 25) {
        await page.keyboard.press("Tab");
        presses += 1;
      }
      const href = await focusedHref(page);
      expect(href).toMatch(/^\/ui\/missions\//);
      await page.keyboard.press("Enter");
      await page.waitForURL(`${server.origin}${href}`);
      await expect.poll(() => focusedId(page)).toBe("main");
      expect(watched.problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
