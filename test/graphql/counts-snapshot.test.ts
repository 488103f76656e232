// A list's page and its counts are read in one snapshot, at the top level and nested under a
// parent: while other requests move jobs from status to status, every answer's statusCounts and
// totalCount are exactly those of the page it holds (the page holding the whole list), never a
// mix of before and after.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITY_STATUSES } from "../../src/domain/lifecycle.js";
import { dataOf, startTestServer, type TestServer } from "../support/http.js";

const JOBS = 60;
const CONNECTION = `jobs(first: 500, orderBy: { field: UPDATED_AT, direction: DESC }) {
  totalCount statusCounts { status count } edges { node { id status } } }`;
const TOP_LEVEL = `query { ${CONNECTION} }`;
const NESTED = `query { missions(first: 1) { edges { node { ${CONNECTION} } } } }`;

interface JobsConnection {
  totalCount: number;
  statusCounts: { status: string; count: number }[];
  edges: { node: { id: string; status: string } }[];
}
interface TopLevelAnswer {
  jobs: JobsConnection;
}
interface NestedAnswer {
  missions: { edges: { node: { jobs: JobsConnection } }[] };
}

describe("a page and its counts under concurrent writes", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ SQLITE_SYNCHRONOUS: "NORMAL", DEADLINE_SWEEP_INTERVAL_MS: "3600000" });
    await server.app.services.missions.create({ id: "mission", name: "the jobs' mission" });
    for (let i = 0; i < JOBS; i++) {
      await server.app.services.jobs.create({ id: `job-${i}`, name: `job ${i}`, agentName: "a", missionId: "mission" });
    }
  });
  afterAll(() => server?.stop());

  /** Each connection `read` answers while a writer moves the jobs on. */
  async function readWhileWriting(read: () => Promise<JobsConnection>): Promise<JobsConnection[]> {
    const s = server.app.services;
    let reading = true;
    const writer = (async () => {
      while (reading) {
        // On SQLite a read settles without I/O: yield, or the requests would never be served.
        await new Promise((resolve) => setImmediate(resolve));
        for (let i = 0; i < JOBS && reading; i++) {
          const id = `job-${i}`;
          const job = await s.jobs.get(id);
          if (job?.status === "STOPPED") await s.jobs.handleEvent(id, "START_WORK");
          else if (job?.status === "IN_PROGRESS")
            await s.jobs.handleEvent(id, i % 2 ? "AWAITING_ON_INPUT" : "SUCCESSFULLY_DONE");
          else if (job?.status === "AWAITING") await s.jobs.handleEvent(id, "INPUT_RECEIVED");
        }
      }
    })();
    const answers: JobsConnection[] = [];
    const readers = Array.from({ length: 3 }, async () => {
      for (let i = 0; i < 15; i++) answers.push(await read());
    });
    await Promise.all(readers);
    reading = false;
    await writer;
    return answers;
  }

  function expectAgreement(answers: JobsConnection[]): void {
    expect(answers).toHaveLength(45);
    const distinct = new Set<string>();
    for (const jobs of answers) {
      const statuses = jobs.edges.map((e) => e.node.status);
      const tally = ENTITY_STATUSES.flatMap((status) => {
        const count = statuses.filter((st) => st === status).length;
        return count > 0 ? [{ status, count }] : [];
      });
      expect(jobs.edges).toHaveLength(JOBS);
      expect(jobs.statusCounts).toEqual(tally);
      expect(jobs.totalCount).toBe(JOBS);
      distinct.add(JSON.stringify(tally));
    }
    // The answers saw the writes happen, not one state only.
    expect(distinct.size).toBeGreaterThan(1);
  }

  it("agree in every answer while jobs start, wait and finish", async () => {
    expectAgreement(await readWhileWriting(async () => dataOf(await server.request<TopLevelAnswer>(TOP_LEVEL)).jobs));
  });

  it("agree in every answer of a nested list (a mission's jobs) too", async () => {
    expectAgreement(
      await readWhileWriting(
        async () => dataOf(await server.request<NestedAnswer>(NESTED)).missions.edges[0]!.node.jobs,
      ),
    );
  });
});
