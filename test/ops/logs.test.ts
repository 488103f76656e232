// What an operator reads: JSON lines on stdout. Start-up names the database, the migrations it
// applied and what is running; every GraphQL request gets one line with its request id,
// operation, duration and error codes.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/package-root.js";
import { tempDir } from "../support/database.js";
import { type Child, startChild } from "../support/service-process.js";

const TSX = pathToFileURL(path.join(PACKAGE_ROOT, "node_modules/tsx/dist/loader.mjs")).href;
const dir = tempDir("casebook-logs-");
const file = path.join(dir, "entities.db");
const migrations = fs
  .readdirSync(path.join(PACKAGE_ROOT, "prisma/migrations"))
  .filter((f) => /^\d+_/.test(f))
  .sort();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function start(): Promise<{ child: Child; url: string; startup: Record<string, unknown> }> {
  const child = startChild(process.execPath, ["--import", TSX, "src/server/main.ts"], {
    APP_ENV: "production",
    LOG_LEVEL: "info",
    PORT: "0",
    DATABASE_URL: `file:${file}`,
  });
  const listening = await child.waitForLog((l) => typeof l.url === "string");
  const startup = child.logs().find((l) => l.database !== undefined)!;
  return { child, url: listening.url as string, startup };
}

async function stop(child: Child): Promise<void> {
  child.signal("SIGTERM");
  expect((await child.exited).code).toBe(0);
}

async function post(url: string, query: string, requestId?: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(requestId ? { "x-request-id": requestId } : {}) },
    body: JSON.stringify({ query }),
  });
  return { requestId: response.headers.get("x-request-id"), body: (await response.json()) as { errors?: unknown[] } };
}

describe("logs", () => {
  it("start-up, one line per request, shutdown; and the next start-up counts what is running", async () => {
    const first = await start();
    try {
      expect(first.startup).toMatchObject({
        level: 30,
        service: "casebook",
        database: file,
        migrationsApplied: migrations,
        migrationsAlreadyApplied: 0,
        running: { missions: 0, jobs: 0, cases: 0 },
      });
      expect(first.startup.msg).toBe("database ready: 0 missions, 0 jobs, 0 cases running");

      const created = await post(
        first.url,
        `mutation Setup {
          createMission(input: { id: "m-log", name: "Logged" }) { id }
          startMission: handleMissionEvent(id: "m-log", event: START_WORK) { status }
          createJob(input: { id: "j-log", name: "Logged job", agentName: "writer", missionId: "m-log" }) { id }
          startJob: handleJobEvent(id: "j-log", event: START_WORK) { status }
          startCase(input: { id: "c-log", jobId: "j-log", name: "Logged case" }) { status }
        }`,
        "setup-1",
      );
      expect(created.body.errors).toBeUndefined();
      expect(created.requestId).toBe("setup-1");
      const missing = await post(
        first.url,
        `mutation Missing { handleJobEvent(id: "nope", event: START_WORK) { id } }`,
      );
      const invalid = await post(
        first.url,
        `mutation Invalid { handleCaseEvent(id: "c-log", event: START_WORK) { id } }`,
      );
      await post(first.url, `{ lifecycle { runningStatuses } }`);

      const line = (id: string | null) =>
        first.child.waitForLog((l) => l.requestId === id && l.msg === "graphql request", 10_000);
      expect(await line("setup-1")).toMatchObject({
        operationName: "Setup",
        operationType: "mutation",
        durationMs: expect.any(Number),
      });
      expect((await line("setup-1")).errorCodes).toBeUndefined();
      expect(await line(missing.requestId)).toMatchObject({
        operationName: "Missing",
        errorCodes: ["NOT_FOUND"],
        durationMs: expect.any(Number),
      });
      expect(await line(invalid.requestId)).toMatchObject({
        operationName: "Invalid",
        errorCodes: ["INVALID_TRANSITION"],
      });
      const anonymous = await first.child.waitForLog(
        (l) => l.msg === "graphql request" && l.operationType === "query",
        10_000,
      );
      expect(anonymous).toMatchObject({ operationName: null, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    } finally {
      await stop(first.child);
    }
    expect(first.child.logs().map((l) => l.msg)).toEqual(
      expect.arrayContaining(["shutting down: finishing in-flight requests", "stopped cleanly"]),
    );
    // Every stdout line is JSON: nothing else mixes into the stream a collector reads.
    expect(
      first.child
        .stdout()
        .trimEnd()
        .split("\n")
        .every((l) => l.startsWith("{")),
    ).toBe(true);

    const second = await start();
    try {
      expect(second.startup).toMatchObject({
        database: file,
        migrationsApplied: [],
        migrationsAlreadyApplied: migrations.length,
        running: { missions: 1, jobs: 1, cases: 1 },
      });
    } finally {
      await stop(second.child);
    }
  });
});
