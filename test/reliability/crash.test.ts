// Crash safety: the real service takes a stream of lifecycle mutations from several concurrent
// clients and is killed with SIGKILL mid-stream, at several points. After each kill the
// database must hold every mutation that was acknowledged, pass SQLite's own checks and keep the
// lifecycle's bookkeeping exact; the service must start again on it and serve what it holds.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/database.js";
import { codeOf, type GqlResult, gql, health, MUTATIONS } from "../support/reliability/client.js";
import { checkInvariants } from "../support/reliability/invariants.js";
import { type ServerProcess, startServerProcess } from "../support/reliability/server-process.js";

const CLIENTS = 6;
// One round per kill point. Some kill right after the n-th acknowledgement, others on a timer
// that knows nothing of the requests, so the kill also lands inside transactions and fsyncs.
// The rounds alternate SQLite's synchronous setting: both must survive a process crash.
interface KillPoint {
  afterAcks?: number;
  afterMs?: number;
  synchronous: "FULL" | "NORMAL";
}
const KILL_POINTS: KillPoint[] = [
  { afterAcks: 1, synchronous: "FULL" },
  { afterAcks: 60, synchronous: "NORMAL" },
  { afterMs: 700, synchronous: "FULL" },
  { afterAcks: 250, synchronous: "NORMAL" },
  { afterMs: 2500, synchronous: "NORMAL" },
  { afterAcks: 600, synchronous: "FULL" },
];

type Kind = "Mission" | "Job" | "Case";
interface Ack {
  kind: Kind;
  id: string;
  version: number;
  status: string;
  /** A transition (as opposed to a create or an edit) is in the history at exactly this version. */
  transition: boolean;
  /** A delete: the entity and everything under it are gone for good. */
  deleted?: boolean;
}

/** Jobs count their own edits in metadata.edits; a case's edits are its steps. */
function edits(type: string, row: Record<string, any>, db: Database.Database): number {
  if (type === "Job") return Number((JSON.parse(row.metadata) as { edits?: number }).edits ?? 0);
  if (type === "Case")
    return (db.prepare(`SELECT count(*) AS n FROM "CaseUpdate" WHERE "caseId" = ?`).get(row.id) as { n: number }).n;
  return 0;
}

class Round {
  readonly acks: Ack[] = [];
  readonly unexpected: string[] = [];
  inFlight = 0;
  inFlightAtKill = -1;
  sent = 0;
  private killed: Promise<void> | undefined;

  readonly killedAfterMs: Promise<number>;
  private readonly started = Date.now();
  private markKilled!: (ms: number) => void;

  constructor(
    readonly name: string,
    readonly server: ServerProcess,
    readonly point: KillPoint,
  ) {
    this.killedAfterMs = new Promise((resolve) => (this.markKilled = resolve));
    if (point.afterMs !== undefined) setTimeout(() => this.kill(), point.afterMs);
  }

  private kill(): void {
    if (this.killed) return;
    this.inFlightAtKill = this.inFlight;
    this.killed = this.server.crash();
    this.markKilled(Date.now() - this.started);
  }

  /** One mutation; false once the server is gone (the outcome of that request is unknown). */
  async mutate(kind: Kind, query: string, variables: Record<string, unknown>, transition: boolean): Promise<boolean> {
    if (this.killed) return false;
    this.inFlight++;
    this.sent++;
    let result: GqlResult;
    try {
      result = await gql(this.server.url, query, variables);
    } catch {
      return false;
    } finally {
      this.inFlight--;
    }
    const answer =
      result.data &&
      (Object.values(result.data)[0] as { id: string; version: number; status: string } | boolean | undefined);
    if (codeOf(result) !== undefined || !answer) {
      this.unexpected.push(`${JSON.stringify(variables)} → ${JSON.stringify(result)}`);
      return false;
    }
    if (answer === true)
      this.acks.push({ kind, id: String(variables.id), version: -1, status: "", transition: false, deleted: true });
    else this.acks.push({ kind, id: answer.id, version: answer.version, status: answer.status, transition });
    if (this.point.afterAcks !== undefined && this.acks.length >= this.point.afterAcks) this.kill();
    return !this.killed;
  }

  /** Each client drives its own mission, jobs and cases through the lifecycle, step after step. */
  async client(c: number): Promise<void> {
    const prefix = `${this.name}-c${c}`;
    const mission = `${prefix}-m`;
    if (
      !(await this.mutate(
        "Mission",
        MUTATIONS.createMission,
        { input: { id: mission, name: `mission ${prefix}` } },
        false,
      ))
    )
      return;
    if (!(await this.mutate("Mission", MUTATIONS.missionEvent, { id: mission, e: "START_WORK" }, true))) return;
    for (let i = 0; ; i++) {
      const job = `${prefix}-j${i}`;
      const kase = `${prefix}-k${i}`;
      const steps: [Kind, string, Record<string, unknown>, boolean][] = [
        [
          "Job",
          MUTATIONS.createJob,
          { input: { id: job, name: `job ${i}`, agentName: "crash-test", missionId: mission } },
          false,
        ],
        ["Case", MUTATIONS.startCase, { input: { jobId: job, id: kase, name: `case ${i}` } }, true],
        ["Job", MUTATIONS.jobEvent, { id: job, e: "START_WORK" }, true],
        ["Job", MUTATIONS.updateJob, { id: job, input: { metadata: { edits: 1 }, payload: { step: i } } }, false],
        ["Case", MUTATIONS.addCaseUpdate, { id: kase, update: { name: "step", cost: 1.5, payload: { i } } }, false],
        ["Case", MUTATIONS.caseEvent, { id: kase, e: "AWAITING_ON_INPUT" }, true],
        ["Case", MUTATIONS.caseEvent, { id: kase, e: "INPUT_RECEIVED" }, true],
        ["Job", MUTATIONS.updateJob, { id: job, input: { metadata: { edits: 2 }, result: { ok: true } }, v: 2 }, false],
        ["Case", MUTATIONS.caseEvent, { id: kase, e: i % 3 === 0 ? "ERROR_ENCOUNTERED" : "SUCCESSFULLY_DONE" }, true],
        ["Job", MUTATIONS.jobEvent, { id: job, e: "SUCCESSFULLY_DONE" }, true],
      ];
      // Every fourth job is deleted again: its case, steps and history go with it in one transaction.
      if (i % 4 === 3) steps.push(["Job", `mutation($id: ID!) { deleteJob(id: $id) }`, { id: job }, false]);
      for (const [kind, query, variables, transition] of steps) {
        if (!(await this.mutate(kind, query, variables, transition))) return;
      }
    }
  }
}

/** A case belongs to the job of the same client and iteration ("r1-c2-k3" → "r1-c2-j3"). */
const jobOf = (ack: Ack) =>
  ack.kind === "Case" ? ack.id.replace(/-k(\d+)$/, "-j$1") : ack.kind === "Job" ? ack.id : undefined;

/**
 * Every acknowledged mutation is in the database, as the response said or further along; every
 * acknowledged delete took the job's case, steps and history with it.
 */
function missingAcks(file: string, acks: readonly Ack[]): string[] {
  const db = new Database(file, { readonly: true });
  const missing: string[] = [];
  try {
    const column = { Mission: '"missionId"', Job: '"jobId"', Case: '"caseId"' } as const;
    const deletedJobs = new Set(acks.filter((a) => a.deleted).map((a) => a.id));
    for (const job of deletedJobs) {
      const kase = job.replace(/-j(\d+)$/, "-k$1");
      const left = db
        .prepare(
          `SELECT (SELECT count(*) FROM "Job" WHERE id = ?) + (SELECT count(*) FROM "Case" WHERE id = ?)
             + (SELECT count(*) FROM "CaseUpdate" WHERE "caseId" = ?) + (SELECT count(*) FROM "Transition" WHERE "jobId" = ? OR "caseId" = ?) AS n`,
        )
        .get(job, kase, kase, job, kase) as { n: number };
      if (left.n !== 0) missing.push(`job ${job} was deleted, but ${left.n} of its rows remain`);
    }
    for (const ack of acks) {
      const job = jobOf(ack);
      if (job !== undefined && deletedJobs.has(job)) continue;
      const row = db.prepare(`SELECT status, version FROM "${ack.kind}" WHERE id = ?`).get(ack.id) as
        | { status: string; version: number }
        | undefined;
      if (!row) {
        missing.push(`${ack.kind} ${ack.id} is gone`);
      } else if (row.version < ack.version) {
        missing.push(`${ack.kind} ${ack.id} is at version ${row.version}, ${ack.version} was acknowledged`);
      } else if (row.version === ack.version && row.status !== ack.status) {
        missing.push(
          `${ack.kind} ${ack.id} is ${row.status} at version ${ack.version}, ${ack.status} was acknowledged`,
        );
      }
      if (ack.transition) {
        const step = db
          .prepare(`SELECT "toStatus" FROM "Transition" WHERE ${column[ack.kind]} = ? AND "version" = ?`)
          .get(ack.id, ack.version) as { toStatus: string } | undefined;
        if (step?.toStatus !== ack.status)
          missing.push(`${ack.kind} ${ack.id}: no transition to ${ack.status} at version ${ack.version}`);
      }
    }
  } finally {
    db.close();
  }
  return missing;
}

describe("a killed server loses nothing it acknowledged", () => {
  const dir = tempDir("casebook-crash-");
  const file = path.join(dir, "entities.db");
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.crash();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`survives SIGKILL at ${KILL_POINTS.length} points of a ${CLIENTS}-client mutation stream`, {
    timeout: 180_000,
  }, async () => {
    const summary: string[] = [];
    let allAcks: Ack[] = [];
    for (const [r, point] of KILL_POINTS.entries()) {
      server = await startServerProcess(file, { SQLITE_SYNCHRONOUS: point.synchronous });
      expect(await health(server.origin)).toBe(200);
      const round = new Round(`r${r}`, server, point);
      await Promise.all(Array.from({ length: CLIENTS }, (_, c) => round.client(c)));
      const exit = await server.exited;
      expect(exit.signal, "the server was killed, not stopped").toBe("SIGKILL");
      expect(round.unexpected, "no mutation in the stream should fail").toEqual([]);
      expect(round.acks.length).toBeGreaterThanOrEqual(point.afterAcks ?? 1);
      const killedAfterMs = await round.killedAfterMs;

      // Before anything else opens the file: what the killed process left behind, most of it
      // still in the write-ahead log that the next open must recover.
      const walBytes = fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
      allAcks = allAcks.concat(round.acks);
      expect(missingAcks(file, allAcks), "acknowledged mutations missing after the kill").toEqual([]);
      const report = checkInvariants(file, edits);
      expect(report.problems, "invariants after the kill").toEqual([]);
      const trigger = point.afterAcks !== undefined ? `after ack ${point.afterAcks}` : `on a ${point.afterMs} ms timer`;
      summary.push(
        `kill ${r + 1} (${trigger}, ${killedAfterMs} ms in, ${point.synchronous}): ${round.sent} sent, ${round.acks.length} acknowledged, ` +
          `${round.inFlightAtKill} in flight at the kill, ${walBytes} bytes of WAL left; database: ${report.entities} entities, ${report.transitions} transitions`,
      );
      server = undefined;
    }

    // The service starts again on what the last kill left and serves every acknowledged state.
    server = await startServerProcess(file);
    expect(await health(server.origin)).toBe(200);
    const latest = new Map<string, Ack>();
    for (const ack of allAcks) latest.set(`${ack.kind}:${ack.id}`, ack);
    const deletedJobs = new Set(allAcks.filter((a) => a.deleted).map((a) => a.id));
    for (const ack of latest.values()) {
      const job = jobOf(ack);
      if (job !== undefined && deletedJobs.has(job)) continue;
      const field = ack.kind.toLowerCase();
      const read = await gql(server.url, `query($id: ID!) { ${field}(id: $id) { id status version } }`, { id: ack.id });
      const entity = read.data?.[field] as { version: number } | null | undefined;
      expect(entity?.version, `${ack.kind} ${ack.id} read back`).toBeGreaterThanOrEqual(ack.version);
    }
    await server.stop();
    server = undefined;
    expect(checkInvariants(file, edits).problems, "invariants after a clean stop").toEqual([]);
    summary.push(
      `${allAcks.length} acknowledged mutations (${deletedJobs.size} cascading deletes) over ${KILL_POINTS.length} kills, all present; ` +
        `the restarted service read back every surviving entity`,
    );
    console.log(summary.join("\n"));
  });
});
