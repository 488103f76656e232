// A real, migrated SQLite file in a temporary folder, removed after the test, for tests of
// SQLite itself (suites that hold on either engine use openTestDatabase, test-database.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Database } from "../../src/db/database.js";
import { openSqliteDatabase } from "../../src/db/open.js";
import type { SqlDatabase } from "../../src/db/sqlite/sql-database.js";
import { SqliteDatabase } from "../../src/db/sqlite/sqlite-database.js";
import { createServices, type Services } from "../../src/services/services.js";

export interface TempDatabase {
  dir: string;
  file: string;
  /** The SQLite connection that writes, for tests of raw rows. */
  db: SqlDatabase;
  database: SqliteDatabase;
  services: Services;
  /** Closes and opens the same file again (a restart). */
  reopen(): TempDatabase;
  close(): void;
  /** Closes and deletes the folder. */
  dispose(): void;
}

export function tempDir(prefix = "casebook-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function openTempDatabase(dir: string = tempDir()): TempDatabase {
  const file = path.join(dir, "entities.db");
  const { db } = openSqliteDatabase({ databasePath: file });
  const handle: TempDatabase = {
    dir,
    file,
    db: db.sql,
    database: db,
    services: createServices(db.store),
    reopen() {
      db.closeNow();
      return openTempDatabase(dir);
    },
    close() {
      db.closeNow();
    },
    dispose() {
      db.closeNow();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}

/** The SQLite connection under a database, for tests of SQLite's own rows and settings. */
export function sqliteOf(db: Database | SqlDatabase): SqlDatabase {
  if (!("engine" in db)) return db;
  if (!(db instanceof SqliteDatabase)) throw new Error(`a SQLite database was expected, not ${db.engine}`);
  return db.sql;
}

/** A clock that moves one second forward on every reading, so that every write has its own time. */
export function tickingClock(start = Date.parse("2026-01-01T00:00:00.000Z")): () => Date {
  let now = start;
  return () => {
    now += 1000;
    return new Date(now);
  };
}
