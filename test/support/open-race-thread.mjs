// A worker thread of test/db/sql-database.test.ts: in step with the other threads (a barrier on
// shared memory), opens one new database file per round through SqlDatabase, so that every file
// is opened by all threads at the same moment. Reports each failure to the parent.

import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { SqlDatabase } = await import("../../src/db/sqlite/sql-database.ts");

const { dir, rounds, threads, barrier } = workerData;
const arrived = new Int32Array(barrier);
for (let round = 0; round < rounds; round++) {
  const everyone = (round + 1) * threads;
  if (Atomics.add(arrived, 0, 1) + 1 === everyone) Atomics.notify(arrived, 0);
  else while (Atomics.load(arrived, 0) < everyone) Atomics.wait(arrived, 0, Atomics.load(arrived, 0), 20);
  try {
    const db = new SqlDatabase({ filename: path.join(dir, `round-${round}.db`) });
    const mode = db.pragma("journal_mode")[0].journal_mode;
    db.close();
    if (mode !== "wal") parentPort.postMessage({ round, code: "NOT_WAL", message: `journal_mode is ${mode}` });
  } catch (error) {
    parentPort.postMessage({ round, code: error.code, message: error.message });
  }
}
