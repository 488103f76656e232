// The database a command works on: DATABASE_URL and the other settings exactly as the server
// reads them (src/server/config.ts, a .env file included), opened and migrated as the server
// opens it. Failures the user can act on become CliFailures with the server's exit codes.
import type { Database } from "../db/database.js";
import type { MigrationResult } from "../db/migrations.js";
import { openDatabase } from "../db/open.js";
import { type Config, ConfigError, loadConfig } from "../server/config.js";
import { startupFailure } from "../server/startup-failure.js";
import { CliFailure } from "./command.js";
import { EXIT } from "./exit-codes.js";

export function commandConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliFailure(`invalid configuration: ${error.message}`, EXIT.usage);
    throw error;
  }
}

/** Opens (and migrates) the configured database, runs `work` on it, and closes it. */
export async function withDatabase<R>(work: (db: Database, migrations: MigrationResult) => Promise<R>): Promise<R> {
  const config = commandConfig();
  let db: Database;
  let migrations: MigrationResult;
  try {
    ({ db, migrations } = await openDatabase({ ...config, databasePoolSize: Math.min(config.databasePoolSize, 4) }));
  } catch (error) {
    const failure = startupFailure(error, config);
    if (failure) throw new CliFailure(`cannot open the database: ${failure.message}`, failure.exitCode);
    throw error;
  }
  try {
    return await work(db, migrations);
  } finally {
    await db.close();
  }
}
