// Why a program could not open its database, as one line and an exit code, for the failures a
// user can act on: the schema does not fit this build (3), or PostgreSQL cannot be reached (4).
// Anything else is a fault and keeps its stack trace.
import { MigrationError } from "../db/migrations.js";
import { connectionFailure } from "../db/postgres/pg-errors.js";
import type { Config } from "./config.js";

export interface StartupFailure {
  exitCode: number;
  message: string;
}

export function startupFailure(error: unknown, config: Pick<Config, "database">): StartupFailure | undefined {
  if (error instanceof MigrationError) return { exitCode: 3, message: error.message };
  if (config.database.engine !== "postgresql") return undefined;
  const message = connectionFailure(error, config.database.url);
  return message === undefined ? undefined : { exitCode: 4, message };
}
