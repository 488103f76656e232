// Migrates a PostgreSQL database at the same moment as other workers do the same.
// Usage: postgres-migrate-worker.ts <database url> [migrations folder]
import pg from "pg";
import { defaultMigrationsDir, readMigrations } from "../../src/db/migrations.js";
import { migratePostgres } from "../../src/db/postgres/migrator.js";
import { describeError, readyAndWait, report } from "./worker-io.js";

const [url, migrationsDir] = process.argv.slice(2);
if (!url) throw new Error("usage: postgres-migrate-worker.ts <database url> [migrations folder]");

const migrations = readMigrations(migrationsDir ?? defaultMigrationsDir("postgresql"));
const pool = new pg.Pool({ connectionString: url, max: 2 });
// Connected before "ready", so that the workers race for the lock and not for connections.
(await pool.connect()).release();
await readyAndWait();
try {
  report({ type: "migrated", ...(await migratePostgres(pool, migrations)) });
} catch (error) {
  report({ type: "error", ...describeError(error) });
} finally {
  await pool.end();
}
