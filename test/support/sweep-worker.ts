// One OS process sweeping wait deadlines on a shared database while others do the same, as
// several casebook processes on one database would, with a clock stopped at a given time.
// Usage: sweep-worker.ts <DATABASE_URL> <now, ISO> <sweeps>
import { openDatabase } from "../../src/db/open.js";
import { loadConfig } from "../../src/server/config.js";
import { createServices } from "../../src/services/services.js";
import { describeError, readyAndWait, report } from "./worker-io.js";

const [databaseUrl, nowArg, sweepsArg] = process.argv.slice(2) as (string | undefined)[];
if (!databaseUrl || !nowArg || !sweepsArg) throw new Error("usage: sweep-worker.ts <DATABASE_URL> <now> <sweeps>");
const now = new Date(nowArg);

const { db } = await openDatabase({ database: loadConfig({ APP_ENV: "test", DATABASE_URL: databaseUrl }).database });
const services = createServices(db.store, () => now);

await readyAndWait();
let moved = 0;
let errors = 0;
for (let i = 0; i < Number(sweepsArg); i++) {
  try {
    moved += await services.sweepDeadlines();
  } catch (error) {
    errors++;
    report({ type: "error", ...describeError(error) });
  }
}
await db.close();
report({ type: "done", moved, errors });
