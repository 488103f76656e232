// The database a reliability test runs its servers on, whichever the engine: a fresh SQLite file
// in a temporary folder, or a fresh database on a PostgreSQL server (the run's shared one, or a
// private one the test may stop). Servers get `url` as DATABASE_URL and migrate it themselves,
// as they would in production; the test reads what they wrote through `read`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Engine } from "../engine.js";
import { createTestDatabase } from "../postgres.js";
import { type DatabaseReader, openReader } from "./database-reader.js";

export type { Engine };

/**
 * Every reliability suite that is not about one engine's own faults runs on each of these, in
 * one run (where `npm test` runs a project per engine, test/support/engine.ts).
 */
export const ENGINES: readonly Engine[] = ["sqlite", "postgresql"];

export interface TargetDatabase {
  readonly engine: Engine;
  /** What the servers get as DATABASE_URL. */
  readonly url: string;
  /** Runs `fn` on a fresh read connection, closed afterwards. */
  read<T>(fn: (reader: DatabaseReader) => Promise<T> | T): Promise<T>;
  /** Removes the database (the folder, or DROP DATABASE). */
  drop(): Promise<void>;
}

/** An empty database; `postgresServer` names a private PostgreSQL server instead of the run's. */
export async function createTargetDatabase(engine: Engine, postgresServer?: string): Promise<TargetDatabase> {
  if (engine === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "casebook-reliability-"));
    const file = path.join(dir, "entities.db");
    return target(engine, file, async () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  const database = await createTestDatabase(postgresServer);
  return target(engine, database.url, () => database.drop());
}

function target(engine: Engine, url: string, drop: () => Promise<void>): TargetDatabase {
  return {
    engine,
    url,
    drop,
    async read(fn) {
      const reader = await openReader(engine, url);
      try {
        return await fn(reader);
      } finally {
        await reader.close();
      }
    },
  };
}
