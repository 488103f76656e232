// The engine a test run holds its data in: CASEBOOK_TEST_ENGINE, set per project by
// vitest.config.ts ("sqlite" when unset). Suites that hold on either engine get their databases
// from here, and so run unchanged on both.
import fs from "node:fs";
import path from "node:path";
import type { Database, DatabaseTarget } from "../../src/db/database.js";
import { tempDir } from "./database.js";
import { createMigratedTestDatabase } from "./postgres.js";

export type Engine = Database["engine"];

function engineOfRun(value = "sqlite"): Engine {
  if (value === "sqlite" || value === "postgresql") return value;
  throw new Error(`CASEBOOK_TEST_ENGINE must be sqlite or postgresql, not ${JSON.stringify(value)}`);
}

const TEST_ENGINE: Engine = engineOfRun(process.env.CASEBOOK_TEST_ENGINE);

/**
 * A new database of the run's engine: a SQLite file yet to be created, or a PostgreSQL database
 * with the migrations applied (createMigratedTestDatabase copies a migrated one, which is quicker
 * than migrating each). Whoever opens it migrates it as a server would, a no-op on PostgreSQL.
 */
export interface EngineDatabase {
  readonly engine: Engine;
  /** What DATABASE_URL takes: the SQLite file's path, or the PostgreSQL database's URL. */
  readonly url: string;
  /** The same place, as openDatabase() takes it. */
  readonly target: DatabaseTarget;
  /** Removes it: the SQLite file's folder, or DROP DATABASE. Close what is open on it first. */
  drop(): Promise<void>;
}

export async function createEngineDatabase(prefix = "casebook-test-"): Promise<EngineDatabase> {
  if (TEST_ENGINE === "postgresql") {
    const database = await createMigratedTestDatabase();
    return {
      engine: TEST_ENGINE,
      url: database.url,
      target: { engine: TEST_ENGINE, url: database.url },
      drop: () => database.drop(),
    };
  }
  const dir = tempDir(prefix);
  const file = path.join(dir, "entities.db");
  return {
    engine: TEST_ENGINE,
    url: file,
    target: { engine: TEST_ENGINE, path: file },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
