// Crash safety, on each engine: the real service takes a stream of lifecycle mutations from
// several concurrent clients and is killed with SIGKILL mid-stream, at several points. After each
// kill the database must hold every mutation that was acknowledged, pass the engine's own checks
// and keep the lifecycle's bookkeeping exact; the service must start again on it and serve what
// it holds.
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { type Ack, ackOf, missingAcks, readBackProblems } from "../support/reliability/acks.js";
import { gql, health } from "../support/reliability/client.js";
import { createTargetDatabase, ENGINES, type TargetDatabase } from "../support/reliability/engines.js";
import { checkInvariants } from "../support/reliability/invariants.js";
import { type Mutation, runStream } from "../support/reliability/lifecycle-stream.js";
import { type ServerProcess, startServerProcess } from "../support/reliability/server-process.js";

const CLIENTS = 6;
// One round per kill point. Some kill right after the n-th acknowledgement, others on a timer
// that knows nothing of the requests, so the kill also lands inside transactions and commits.
// On SQLite the rounds alternate the synchronous setting: both must survive a process crash.
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

class Round {
  readonly acks: Ack[] = [];
  /** Jobs whose deleteJob was sent but never answered: it may or may not have committed. */
  readonly unansweredDeletes = new Set<string>();
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
  readonly send = async (mutation: Mutation): Promise<boolean> => {
    if (this.killed) return false;
    this.inFlight++;
    this.sent++;
    let ack: Ack | undefined;
    try {
      const result = await gql(this.server.url, mutation.query, mutation.variables);
      ack = ackOf(mutation, result);
      if (!ack) this.unexpected.push(`${JSON.stringify(mutation.variables)} → ${JSON.stringify(result)}`);
    } catch {
      if (mutation.deletes) this.unansweredDeletes.add(mutation.variables.id as string);
      return false;
    } finally {
      this.inFlight--;
    }
    if (!ack) return false;
    this.acks.push(ack);
    if (this.point.afterAcks !== undefined && this.acks.length >= this.point.afterAcks) this.kill();
    return !this.killed;
  };
}

describe.each(ENGINES)("%s: a killed server loses nothing it acknowledged", (engine) => {
  let db: TargetDatabase;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.crash();
    await db?.drop();
  });

  it(`survives SIGKILL at ${KILL_POINTS.length} points of a ${CLIENTS}-client mutation stream`, {
    timeout: 180_000,
  }, async () => {
    db = await createTargetDatabase(engine);
    const summary: string[] = [];
    let allAcks: Ack[] = [];
    for (const [r, point] of KILL_POINTS.entries()) {
      const settings: Record<string, string> = engine === "sqlite" ? { SQLITE_SYNCHRONOUS: point.synchronous } : {};
      server = await startServerProcess(db.url, settings);
      expect(await health(server.origin)).toBe(200);
      const round = new Round(`r${r}`, server, point);
      await Promise.all(Array.from({ length: CLIENTS }, (_, c) => runStream(`r${r}-c${c}`, round.send)));
      const exit = await server.exited;
      expect(exit.signal, "the server was killed, not stopped").toBe("SIGKILL");
      expect(round.unexpected, "no mutation in the stream should fail").toEqual([]);
      expect(round.acks.length).toBeGreaterThanOrEqual(point.afterAcks ?? 1);
      const killedAfterMs = await round.killedAfterMs;

      // Before anything else opens the file: what the killed process left behind, most of it
      // still in the write-ahead log that the next open must recover.
      const left =
        engine === "sqlite"
          ? `, ${fs.statSync(`${db.url}-wal`, { throwIfNoEntry: false })?.size ?? 0} bytes of WAL left`
          : "";
      allAcks = allAcks.concat(round.acks);
      const { missing, report } = await db.read(async (reader) => {
        // A delete the server was killed with in flight may have committed: a job it left gone
        // counts as deleted, and must then have taken its case, steps and history with it.
        for (const job of round.unansweredDeletes) {
          if ((await reader.count(`SELECT count(*) AS n FROM "Job" WHERE id = ?`, job)) === 0) {
            allAcks.push({ kind: "Job", id: job, version: 0, status: "", transition: false, deleted: true });
          }
        }
        return { missing: await missingAcks(reader, allAcks), report: await checkInvariants(reader) };
      });
      expect(missing, "acknowledged mutations missing after the kill").toEqual([]);
      expect(report.problems, "invariants after the kill").toEqual([]);
      const trigger = point.afterAcks !== undefined ? `after ack ${point.afterAcks}` : `on a ${point.afterMs} ms timer`;
      const mode = engine === "sqlite" ? `, ${point.synchronous}` : "";
      summary.push(
        `kill ${r + 1} (${trigger}, ${killedAfterMs} ms in${mode}): ${round.sent} sent, ${round.acks.length} acknowledged, ` +
          `${round.inFlightAtKill} in flight at the kill${left}; database: ${report.entities} entities, ${report.transitions} transitions`,
      );
      server = undefined;
    }

    // The service starts again on what the last kill left and serves every acknowledged state.
    server = await startServerProcess(db.url);
    expect(await health(server.origin)).toBe(200);
    const readBack = await readBackProblems(server.url, allAcks);
    expect(readBack.problems, "entities read back through the restarted service").toEqual([]);
    await server.stop();
    server = undefined;
    const report = await db.read((reader) => checkInvariants(reader));
    expect(report.problems, "invariants after a clean stop").toEqual([]);
    const deletes = allAcks.filter((ack) => ack.deleted).length;
    summary.push(
      `${allAcks.length} acknowledged mutations (${deletes} cascading deletes) over ${KILL_POINTS.length} kills, all present; ` +
        `the restarted service read back all ${readBack.read} surviving entities`,
    );
    console.log(`${engine}:\n${summary.join("\n")}`);
  });
});
