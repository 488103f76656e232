// The service as the README starts it, in a real process: the quick start (npm start, the
// README's curl commands, stop, start again, the data is there) and a graceful shutdown under
// load (SIGTERM while clients write; exit code 0; every acknowledged write survives).
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/package-root.js";
import { freeLoopbackPort } from "../../src/server/network.js";
import { tempDir } from "../support/database.js";
import { buildOnce, type Child, graphql, startChild } from "../support/service-process.js";

const dir = tempDir("casebook-shutdown-");
const running: Child[] = [];
afterEach(() => {
  for (const child of running.splice(0)) child.kill();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const listening = (l: Record<string, unknown>) =>
  typeof l.url === "string" && String(l.msg).startsWith("casebook listening");

async function startBuilt(env: Record<string, string>): Promise<{ child: Child; url: string }> {
  const child = startChild(process.execPath, ["dist/src/server/main.js"], env);
  running.push(child);
  const line = await child.waitForLog(listening, 60_000);
  return { child, url: line.url as string };
}

async function stop(child: Child): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  child.signal("SIGTERM");
  const { code } = await child.exited;
  return { code, ms: Date.now() - started };
}

/** The README's ```sh blocks of one section. */
function readmeCommands(section: string): string[] {
  const readme = fs.readFileSync(path.join(PACKAGE_ROOT, "README.md"), "utf8");
  const body = readme.split(`\n## ${section}\n`)[1]?.split(/\n## /)[0];
  if (!body) throw new Error(`README.md has no section "${section}"`);
  return [...body.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
}

const execFileAsync = promisify(execFile);
async function sh(command: string): Promise<Record<string, any>> {
  const { stdout } = await execFileAsync("sh", ["-c", command], { cwd: PACKAGE_ROOT });
  return JSON.parse(stdout) as Record<string, any>;
}

describe("quick start, as the README says", () => {
  it("npm start serves the README's requests; after SIGTERM and a restart the data is still there", async () => {
    expect(readmeCommands("Quick start")).toEqual(["npm install && npm start", "npm test"]);
    const port = String(await freeLoopbackPort());
    // The README's defaults, except for a port and a database of the test's own.
    const env = { PORT: port, DATABASE_URL: `file:${path.join(dir, "quickstart.db")}` };
    const first = startChild("npm", ["start"], env);
    running.push(first);
    await first.waitForLog(listening, 180_000);

    const commands = readmeCommands("First requests").map((c) =>
      c.replaceAll("http://localhost:4000", `http://127.0.0.1:${port}`),
    );
    expect(commands.length).toBeGreaterThanOrEqual(4);
    expect(commands.every((c) => c.startsWith("curl "))).toBe(true);
    const results = [];
    for (const command of commands) results.push(await sh(command));
    const refused = results.pop()!;
    for (const result of results) expect(result.errors, JSON.stringify(result)).toBeUndefined();
    expect(refused.errors?.[0]?.extensions?.code).toBe("INVALID_TRANSITION");
    const readBack = results[results.length - 1]!;
    expect(readBack.data.job).toMatchObject({ status: "IN_PROGRESS", version: 1, cases: { totalCount: 1 } });

    const stopped = await stop(first);
    expect(stopped.code).toBe(0);
    expect(first.logs().some((l) => l.msg === "stopped cleanly")).toBe(true);

    const second = await startBuilt(env);
    expect(await sh(commands[commands.length - 2]!)).toEqual(readBack);
    expect((await stop(second.child)).code).toBe(0);
    // npm start compiles the server and builds the dashboard first: on a busy machine that alone
    // can take a minute, which the wait for its first log line above allows for.
  }, 240_000);
});

interface Acknowledged {
  status: string;
  version: number;
}

describe("graceful shutdown", () => {
  it("SIGTERM during a stream of mutations: exit 0, and every acknowledged mutation is there after a restart", async () => {
    await buildOnce();
    const env = {
      PORT: String(await freeLoopbackPort()),
      DATABASE_URL: `file:${path.join(dir, "shutdown.db")}`,
      LOG_LEVEL: "info",
    };
    const { child, url } = await startBuilt(env);

    const jobs = new Map<string, Acknowledged>();
    const cases = new Map<string, Acknowledged>();
    const failures: string[] = [];
    let acknowledged = 0;
    let acknowledgedAfterSigterm = 0;
    let sigtermAt: number | undefined;
    let reachedLoad!: () => void;
    const loaded = new Promise<void>((resolve) => (reachedLoad = resolve));

    /** One mutation; false once the server no longer takes requests. */
    const send = async (
      query: string,
      variables: Record<string, unknown>,
      record: (data: Record<string, any>) => void,
    ) => {
      let result: Awaited<ReturnType<typeof graphql>>;
      try {
        result = await graphql(url, query, variables);
      } catch (error) {
        // Connection refused or closed: the server stopped accepting, nothing was acknowledged.
        const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code ?? (error as Error).message;
        if (sigtermAt === undefined) failures.push(`before SIGTERM: ${String(code)}`);
        return false;
      }
      if (result.errors || result.status !== 200) {
        failures.push(`HTTP ${result.status}: ${JSON.stringify(result.errors)}`);
        return false;
      }
      record(result.data!);
      acknowledged++;
      if (sigtermAt !== undefined) acknowledgedAfterSigterm++;
      if (acknowledged >= 120) reachedLoad();
      return true;
    };

    const client = async (n: number) => {
      for (let i = 0; ; i++) {
        const jobId = `job-${n}-${i}`;
        const caseId = `case-${n}-${i}`;
        const ok =
          (await send(
            `mutation ($id: ID!) { createJob(input: { id: $id, name: "load", agentName: "shutdown-test" }) { id status version } }`,
            { id: jobId },
            (d) => jobs.set(jobId, d.createJob),
          )) &&
          (await send(
            `mutation ($id: ID!) { handleJobEvent(id: $id, event: START_WORK) { status version } }`,
            { id: jobId },
            (d) => jobs.set(jobId, d.handleJobEvent),
          )) &&
          (await send(
            `mutation ($id: ID!, $job: ID!) { startCase(input: { id: $id, jobId: $job, name: "step" }) { status version } }`,
            { id: caseId, job: jobId },
            (d) => cases.set(caseId, d.startCase),
          )) &&
          (await send(
            `mutation ($id: ID!) { addCaseUpdate(caseId: $id, update: { name: "work", cost: 0.01 }) { status version } }`,
            { id: caseId },
            (d) => cases.set(caseId, d.addCaseUpdate),
          ));
        if (!ok) return;
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    await loaded;
    sigtermAt = Date.now();
    child.signal("SIGTERM");
    const [{ code }] = await Promise.all([child.exited, ...clients]);
    const shutdownMs = Date.now() - sigtermAt;

    expect(failures).toEqual([]);
    expect(code).toBe(0);
    expect(child.logs().map((l) => l.msg)).toEqual(
      expect.arrayContaining(["shutting down: finishing in-flight requests", "stopped cleanly"]),
    );
    expect(child.stderr()).toBe("");
    // Requests already on the wire are answered, then the process ends well within the timeout.
    expect(shutdownMs).toBeLessThan(8000);

    const restarted = await startBuilt(env);
    const listed = await graphql(
      restarted.url,
      `{ jobs(first: 500) { totalCount edges { node { id status version } } } cases(first: 500) { totalCount edges { node { id status version } } } }`,
    );
    expect(listed.errors).toBeUndefined();
    const stored = (connection: { edges: { node: { id: string } & Acknowledged }[] }) =>
      new Map(connection.edges.map((e) => [e.node.id, e.node]));
    const storedJobs = stored(listed.data!.jobs);
    const storedCases = stored(listed.data!.cases);
    expect(listed.data!.jobs.totalCount).toBe(storedJobs.size);
    const lost: string[] = [];
    for (const [kind, acked, found] of [
      ["job", jobs, storedJobs],
      ["case", cases, storedCases],
    ] as const) {
      for (const [id, state] of acked) {
        const now = found.get(id);
        // A mutation whose answer never arrived may still have been applied: the version can
        // only be ahead of what was acknowledged, never behind.
        if (!now || now.version < state.version || (now.version === state.version && now.status !== state.status)) {
          lost.push(`${kind} ${id}: acknowledged ${JSON.stringify(state)}, stored ${JSON.stringify(now)}`);
        }
      }
    }
    expect(lost).toEqual([]);
    expect(jobs.size).toBeGreaterThanOrEqual(30);
    expect((await stop(restarted.child)).code).toBe(0);
    console.info(
      `graceful shutdown: ${acknowledged} mutations acknowledged (${acknowledgedAfterSigterm} after SIGTERM), ${jobs.size} jobs and ${cases.size} cases checked, exit after ${shutdownMs} ms`,
    );
  });
});
