// One OS process writing to a shared database while others do the same: its own jobs and
// cases through their whole lifecycle, and read-modify-write edits and transitions of one shared
// job, retried on VERSION_CONFLICT. Every unexpected error is reported, never thrown away.
// Usage: write-worker.ts <DATABASE_URL> <worker name> <cycles> <shared mission id> <shared job id>
// (DATABASE_URL as the server takes it: a SQLite file, or a PostgreSQL URL.)
import { openDatabase } from "../../src/db/open.js";
import { DomainError } from "../../src/domain/errors.js";
import { loadConfig } from "../../src/server/config.js";
import { createServices } from "../../src/services/services.js";
import { describeError, readyAndWait, report } from "./worker-io.js";

const [databaseUrl, name, cyclesArg, missionId, sharedJobId] = process.argv.slice(2) as (string | undefined)[];
if (!databaseUrl || !name || !cyclesArg || !missionId || !sharedJobId) {
  throw new Error("usage: write-worker.ts <DATABASE_URL> <name> <cycles> <shared mission id> <shared job id>");
}
const worker = { name, missionId, sharedJobId };
const cycles = Number(cyclesArg);

const { db } = await openDatabase({ database: loadConfig({ APP_ENV: "test", DATABASE_URL: databaseUrl }).database });
const s = createServices(db.store);
const tally = { jobs: 0, cases: 0, updates: 0, toggles: 0, edits: 0, conflicts: 0, errors: 0 };

/** Runs `attempt` until it does not fail with VERSION_CONFLICT. */
async function withRetries(attempt: () => Promise<unknown>): Promise<void> {
  for (;;) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (error instanceof DomainError && error.code === "VERSION_CONFLICT") {
        tally.conflicts++;
        continue;
      }
      throw error;
    }
  }
}

async function cycle(i: number): Promise<void> {
  const { name, missionId } = worker;
  const job = await s.jobs.create({ id: `${name}-job-${i}`, name: "job", agentName: name, missionId });
  tally.jobs++;
  await s.jobs.handleEvent(job.id, "START_WORK", { actor: name });
  const c = await s.cases.start({ id: `${name}-case-${i}`, jobId: job.id, name: "case", actor: name });
  tally.cases++;
  await s.cases.addUpdate(c.id, { name: "step", cost: 1 });
  tally.updates++;
  await s.cases.handleEvent(c.id, "SUCCESSFULLY_DONE", { actor: name });
  await s.jobs.transition(job.id, "COMPLETED", { actor: name });

  // The shared job goes back and forth between IN_PROGRESS and AWAITING...
  await withRetries(async () => {
    const shared = (await s.jobs.get(worker.sharedJobId))!;
    const event = shared.status === "IN_PROGRESS" ? "AWAITING_ON_INPUT" : "INPUT_RECEIVED";
    await s.jobs.handleEvent(worker.sharedJobId, event, { expectedVersion: shared.version, actor: name });
  });
  tally.toggles++;
  // ...and counts every edit made to it in its metadata.
  await withRetries(async () => {
    const shared = (await s.jobs.get(worker.sharedJobId))!;
    const edits = (shared.metadata.edits as number | undefined) ?? 0;
    await s.jobs.update(worker.sharedJobId, { metadata: { edits: edits + 1, lastEditor: name } }, shared.version);
  });
  tally.edits++;
}

await readyAndWait();
const startedAt = Date.now();
for (let i = 0; i < cycles; i++) {
  try {
    await cycle(i);
  } catch (error) {
    tally.errors++;
    report({ type: "error", cycle: i, ...describeError(error) });
  }
}
const endedAt = Date.now();
await db.close();
report({ type: "done", ...tally, startedAt, endedAt });
