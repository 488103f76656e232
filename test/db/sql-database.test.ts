// The connection every part of casebook shares: its settings must hold however many processes
// or threads open the same file, including a file nobody has opened before.
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqlDatabase } from "../../src/db/sqlite/sql-database.js";
import { tempDir } from "../support/database.js";

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

interface OpenFailure {
  round: number;
  code?: string;
  message: string;
}

describe("opening new files from many threads at once", () => {
  it("switches each to WAL without ever failing with SQLITE_BUSY", async () => {
    // SQLite switches a file to WAL without calling the busy handler, so this race is where a
    // plain `PRAGMA journal_mode = WAL` fails now and then; many rounds make it show.
    const threads = 6;
    const rounds = 400;
    const barrier = new SharedArrayBuffer(4);
    const failures: OpenFailure[] = [];

    await Promise.all(
      Array.from(
        { length: threads },
        () =>
          new Promise<void>((resolve, reject) => {
            const worker = new Worker(path.join(import.meta.dirname, "../support/open-race-thread.mjs"), {
              workerData: { dir, rounds, threads, barrier },
            });
            worker.on("message", (failure: OpenFailure) => failures.push(failure));
            worker.on("error", reject);
            worker.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`thread exited with ${code}`))));
          }),
      ),
    );

    expect(failures).toEqual([]);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".db"))).toHaveLength(rounds);
  });

  it("an in-memory database still opens (it has no WAL)", () => {
    const db = new SqlDatabase({ filename: ":memory:" });
    try {
      expect(db.pragma<{ journal_mode: string }[]>("journal_mode")[0]!.journal_mode).toBe("memory");
      expect(db.pragma<{ foreign_keys: number }[]>("foreign_keys")[0]!.foreign_keys).toBe(1);
    } finally {
      db.close();
    }
  });
});
