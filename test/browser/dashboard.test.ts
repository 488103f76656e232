// The dashboard in a real browser against a real server over `npm run seed`'s data: the first
// screen, mission → job → case → history, firing events (with the confirmation cancels and
// deletes ask for), what a refusal looks like, the lifecycle page and the empty state. Every
// page must leave the console clean and ask nothing of any other origin.
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { dataOf, type TestServer } from "../support/http.js";
import { closeCleanPages, launchChromium, openPage, screenshot, type WatchedPage } from "./support/browser.js";
import { startDashboardServer } from "./support/dashboard-server.js";

type Status = "STOPPED" | "IN_PROGRESS" | "AWAITING" | "CANCELLING" | "COMPLETED" | "FAILED" | "CANCELLED";
interface Row {
  id: string;
  name: string;
  status: Status;
  version: number;
}

let server: TestServer;
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

async function open(path: string, origin = server.origin, { live = true } = {}): Promise<WatchedPage> {
  const watched = await openPage(browser, origin);
  pages.push(watched);
  // A socket that never answers: the page does not follow the live feed, as when its socket lags.
  if (!live) await watched.page.routeWebSocket(/\/graphql$/, () => {});
  await watched.page.goto(`${origin}${path}`);
  return watched;
}

async function query<T>(text: string, variables: Record<string, unknown> = {}): Promise<T> {
  return dataOf(await server.request<T>(text, variables));
}

/** The first case, in list order, of the seeded data in `status`, with its job and mission. */
async function seededCase(status: Status, withSteps = false) {
  const { cases } = await query<{
    cases: { edges: { node: Row & { steps: { totalCount: number }; job: Row & { mission: Row | null } } }[] };
  }>(
    `query ($status: [EntityStatus!]) { cases(first: 500, status: $status) { edges { node {
       id name status version steps { totalCount } job { id name status version mission { id name status version } } } } } }`,
    { status: [status] },
  );
  const found = cases.edges
    .map((e) => e.node)
    .find((c) => c.job.mission !== null && (!withSteps || c.steps.totalCount > 0));
  if (!found) throw new Error(`the seed holds no ${status} case${withSteps ? " with steps" : ""} in a mission`);
  return found;
}

async function caseState(id: string) {
  return (
    await query<{
      case:
        | (Row & { transitions: { edges: { node: { event: string; actor: string | null; reason: string | null } }[] } })
        | null;
    }>(
      `query ($id: ID!) { case(id: $id) { id name status version transitions(first: 500) { edges { node { event actor reason } } } } }`,
      {
        id,
      },
    )
  ).case;
}

describe("the dashboard over seeded data", () => {
  it("opens on the missions, in at most 3 GraphQL requests, each with its status", async () => {
    const { missions } = await query<{ missions: { totalCount: number; edges: { node: Row }[] } }>(
      "{ missions(first: 500) { totalCount edges { node { id name status version } } } }",
    );
    expect(missions.totalCount).toBeGreaterThan(0);
    const watched = await open("/");
    const { page } = watched;
    await page.waitForURL(`${server.origin}/ui/`);
    const rows = page.getByTestId("mission-rows").getByRole("row");
    await expect.poll(() => rows.count()).toBe(missions.totalCount + 1); // the "in all" row
    for (const { node } of missions.edges) {
      const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: node.name, exact: true }) });
      // The status cell; the cases column has badges of its own.
      await expect.poll(() => row.locator("td").first().locator(".badge").textContent()).toBe(statusWords(node.status));
    }
    await page.waitForLoadState("networkidle");
    const shownAt = await page.evaluate(() => performance.getEntriesByName("casebook:missions-shown")[0]?.startTime);
    expect(shownAt).toBeTypeOf("number");
    expect(watched.graphqlRequests.length).toBeLessThanOrEqual(3);
    console.log(
      `dashboard first screen: ${watched.graphqlRequests.length} GraphQL request(s), ${missions.totalCount} missions shown ${Math.round(shownAt!)} ms after navigation start`,
    );
    expect(await page.title()).toBe("casebook");
    await screenshot(page, "missions");
  });

  it("goes from a mission to a job to a case, with steps, costs and each one's history", async () => {
    const target = await seededCase("IN_PROGRESS", true);
    const mission = target.job.mission!;
    const { page } = await open("/ui/");
    await page.getByRole("link", { name: mission.name, exact: true }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain(mission.name);
    expect(page.url()).toBe(`${server.origin}/ui/missions/${encodeURIComponent(mission.id)}`);
    const missionHistory = await historyOf("mission", mission.id);
    await expect.poll(() => page.getByTestId("transition").count()).toBe(missionHistory.length);
    await screenshot(page, "mission");

    await page.getByRole("link", { name: target.job.name, exact: true }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain(target.job.name);
    await expect
      .poll(() => page.getByTestId("transition").count())
      .toBe((await historyOf("job", target.job.id)).length);
    await screenshot(page, "job");

    // Cases of a job may share a name: the link is found by where it leads.
    await page.locator(`a[href="/ui/cases/${encodeURIComponent(target.id)}"]`).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain(target.name);
    const { case: detail } = await query<{
      case: {
        totalCost: number;
        steps: { totalCount: number; edges: { node: { name: string | null; cost: number | null } }[] };
      };
    }>(
      "query ($id: ID!) { case(id: $id) { totalCost steps(first: 50) { totalCount edges { node { name cost } } } } }",
      {
        id: target.id,
      },
    );
    await expect.poll(() => page.getByTestId("step-rows").getByRole("row").count()).toBe(detail.steps.edges.length + 1);
    expect(Number(await page.getByTestId("total-cost").textContent())).toBeCloseTo(detail.totalCost, 6);
    const history = await historyOf("case", target.id);
    const entries = page.getByTestId("transition");
    await expect.poll(() => entries.count()).toBe(history.length);
    for (const [index, step] of history.entries()) {
      const text = await entries.nth(index).textContent();
      expect(text).toContain(statusWords(step.event));
      expect(text).toMatch(new RegExp(`${statusWords(step.fromStatus)}\\s*→\\s*to\\s*${statusWords(step.toStatus)}`));
      if (step.actor) expect(text).toContain(`by ${step.actor}`);
    }
    // Back to the job with the breadcrumb, as the browser's history would.
    await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: target.job.name }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain(target.job.name);
    await page.goBack();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain(target.name);
    await screenshot(page, "case");
  });

  it("fires an event the case allows, shows its new status and history, and writes it as the dashboard", async () => {
    const target = await seededCase("IN_PROGRESS");
    const { page } = await open(`/ui/cases/${encodeURIComponent(target.id)}`);
    const before = (await caseState(target.id))!;
    await page.getByRole("button", { name: "Successfully done" }).click();
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "now" }).textContent())
      .toBe("Successfully done: now Completed.");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).locator(".badge").textContent()).toBe("Completed");
    await expect.poll(() => page.getByTestId("transition").count()).toBe(before.transitions.edges.length + 1);
    expect(await page.getByTestId("transition").last().textContent()).toContain("by dashboard");
    // A completed case offers no event any more.
    expect(await page.getByRole("button", { name: "Successfully done" }).count()).toBe(0);
    const after = (await caseState(target.id))!;
    expect(after).toMatchObject({ status: "COMPLETED", version: before.version + 1 });
    expect(after.transitions.edges.at(-1)!.node).toEqual({
      event: "SUCCESSFULLY_DONE",
      actor: "dashboard",
      reason: null,
    });
  });

  it("asks before cancelling: keeping it writes nothing, confirming records the reason", async () => {
    const target = await seededCase("IN_PROGRESS");
    const { page } = await open(`/ui/cases/${encodeURIComponent(target.id)}`);
    const before = (await caseState(target.id))!;
    await page.getByRole("button", { name: "Cancel requested" }).click();
    const dialog = page.getByRole("dialog");
    await expect.poll(() => dialog.getByRole("heading").textContent()).toBe(`Cancel requested on “${target.name}”?`);
    await dialog.getByRole("button", { name: "Keep it" }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect((await caseState(target.id))!.version).toBe(before.version);

    await page.getByRole("button", { name: "Cancel requested" }).click();
    await dialog.getByLabel("Reason (kept in the history)").fill("stopped from the dashboard");
    await dialog.getByRole("button", { name: "Cancel requested" }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).locator(".badge").textContent()).toBe("Cancelling");
    await expect
      .poll(() => page.getByTestId("transition").last().textContent())
      .toContain("stopped from the dashboard");
    const after = (await caseState(target.id))!;
    expect(after.status).toBe("CANCELLING");
    expect(after.transitions.edges.at(-1)!.node).toEqual({
      event: "CANCEL_REQUESTED",
      actor: "dashboard",
      reason: "stopped from the dashboard",
    });
  });

  it("explains a refusal in words and shows the state as it now is, having written nothing", async () => {
    const target = await seededCase("IN_PROGRESS");
    // Live updates would show the other change before the click: this page has not heard of it yet.
    const { page } = await open(`/ui/cases/${encodeURIComponent(target.id)}`, server.origin, { live: false });
    await page.getByRole("button", { name: "Successfully done" }).waitFor();
    // Someone else moves the case on after the page was shown.
    dataOf(
      await server.request(`mutation ($id: ID!) { handleCaseEvent(id: $id, event: AWAITING_ON_INPUT) { status } }`, {
        id: target.id,
      }),
    );
    const moved = (await caseState(target.id))!;
    await page.getByRole("button", { name: "Successfully done" }).click();
    const alert = page.getByRole("alert");
    await expect.poll(() => alert.getAttribute("data-code")).toBe("VERSION_CONFLICT");
    const text = (await alert.textContent()) ?? "";
    expect(text).toContain("Someone changed it in the meantime");
    expect(text).not.toMatch(/[{}]|extensions/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).locator(".badge").textContent()).toBe("Awaiting");
    await page.getByRole("button", { name: "Input received" }).waitFor();
    await screenshot(page, "refused-event");
    expect(await caseState(target.id)).toEqual(moved);
  });

  it("asks before deleting, then removes the case and returns to its job", async () => {
    const target = await seededCase("COMPLETED");
    const { page } = await open(`/ui/cases/${encodeURIComponent(target.id)}`);
    await page.getByRole("button", { name: "Delete case" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Delete" }).click();
    await page.waitForURL(`${server.origin}/ui/jobs/${encodeURIComponent(target.job.id)}`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain(target.job.name);
    expect(await caseState(target.id)).toBeNull();
    // The job's list no longer offers it.
    await page.getByTestId("case-rows").waitFor();
    expect(await page.locator(`a[href="/ui/cases/${encodeURIComponent(target.id)}"]`).count()).toBe(0);
  });

  it("draws the lifecycle from the lifecycle query", async () => {
    const { lifecycle } = await query<{ lifecycle: { transitions: { event: string }[] } }>(
      "{ lifecycle { transitions { event } } }",
    );
    const { page } = await open("/ui/lifecycle");
    const rows = page.getByTestId("lifecycle-table").locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(lifecycle.transitions.length);
    expect(await page.locator("svg.diagram .diagram-edge").count()).toBe(lifecycle.transitions.length);
    await screenshot(page, "lifecycle");
  });

  it("says plainly when an address names nothing", async () => {
    const { page } = await open("/ui/missions/no-such-mission");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("There is no mission no-such-mission");
  });
});

describe("the dashboard over an empty database", () => {
  let empty: TestServer;
  beforeAll(async () => {
    empty = await startDashboardServer();
  });
  afterAll(async () => {
    await empty?.stop();
  });

  it("says there is nothing yet and how to load demo data", async () => {
    const { page } = await open("/ui/", empty.origin);
    await expect.poll(() => page.locator(".empty").textContent()).toContain("No missions yet.");
    expect(await page.locator(".empty").textContent()).toContain("npm run seed");
    await screenshot(page, "empty");
  });
});

async function historyOf(kind: "mission" | "job" | "case", id: string) {
  const data = await query<
    Record<
      string,
      {
        transitions: {
          edges: { node: { event: string; fromStatus: string; toStatus: string; actor: string | null } }[];
        };
      }
    >
  >(
    `query ($id: ID!) { ${kind}(id: $id) { transitions(first: 500) { edges { node { event fromStatus toStatus actor } } } } }`,
    {
      id,
    },
  );
  return data[kind]!.transitions.edges.map((e) => e.node);
}

/** An enum name as the page writes it: IN_PROGRESS → "In progress". */
function statusWords(name: string): string {
  const text = name.toLowerCase().replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
