// Opens a database file and migrates it, at the same moment as other workers do the same.
// Usage: migrate-worker.ts <database file> [migrations folder]
import { defaultMigrationsDir, readMigrations } from "../../src/db/migrations.js";
import { migrateSqlite } from "../../src/db/sqlite/migrator.js";
import { SqlDatabase } from "../../src/db/sqlite/sql-database.js";
import { describeError, readyAndWait, report } from "./worker-io.js";

const [file, migrationsDir] = process.argv.slice(2);
if (!file) throw new Error("usage: migrate-worker.ts <database file> [migrations folder]");

const migrations = readMigrations(migrationsDir ?? defaultMigrationsDir("sqlite"));
await readyAndWait();
try {
  const db = new SqlDatabase({ filename: file });
  try {
    report({ type: "migrated", ...migrateSqlite(db, migrations) });
  } finally {
    db.close();
  }
} catch (error) {
  report({ type: "error", ...describeError(error) });
}
