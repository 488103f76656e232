// Why a program could not open its database, as one line and an exit code, for the failures a
// user can act on: DATABASE_URL names a SQLite file that cannot be opened as a database (2, as
// for any other bad setting), the schema does not fit this build (3), or PostgreSQL cannot be
// reached (4). Anything else is a fault and keeps its stack trace.
import { MigrationError } from "../db/migrations.js";
import { connectionFailure } from "../db/postgres/pg-errors.js";
import { type Config, INVALID_CONFIGURATION_EXIT_CODE } from "./config.js";

// What SQLite answers when the file cannot be opened, or is not a database.
const SQLITE_OPEN_FAILURES = /^SQLITE_(CANTOPEN|NOTADB|PERM|READONLY|IOERR|CORRUPT|AUTH)/;

export interface StartupFailure {
  exitCode: number;
  message: string;
}

export function startupFailure(error: unknown, config: Pick<Config, "database">): StartupFailure | undefined {
  if (error instanceof MigrationError) return { exitCode: 3, message: error.message };
  if (config.database.engine === "sqlite") {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== "string" || !SQLITE_OPEN_FAILURES.test(code)) return undefined;
    return {
      exitCode: INVALID_CONFIGURATION_EXIT_CODE,
      message: `DATABASE_URL: cannot open the SQLite database ${config.database.path}: ${(error as Error).message} (${code})`,
    };
  }
  const message = connectionFailure(error, config.database.url);
  return message === undefined ? undefined : { exitCode: 4, message };
}
