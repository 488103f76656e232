// Prisma Client on casebook's own database, for scripts and reports of your own: typed reads of
// every model, with the same rows the service writes. The service itself does not use it (its
// hot paths run prepared SQL); writes that change a status belong to the GraphQL API or the
// services, which keep the lifecycle rules, versions and audit trail that Prisma Client knows
// nothing about.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client.js";
import { loadConfig } from "./server/config.js";

export type CasebookPrismaClient = InstanceType<typeof PrismaClient>;

export interface PrismaClientOptions {
  /** The database the service would open (DATABASE_URL, APP_ENV) when left out. */
  databasePath?: string;
  readonly?: boolean;
}

function configuredSqliteFile(): string {
  const { database } = loadConfig();
  if (database.engine !== "sqlite") {
    throw new Error("createPrismaClient() opens SQLite databases; DATABASE_URL names a PostgreSQL database");
  }
  return database.path;
}

export function createPrismaClient(options: PrismaClientOptions = {}): CasebookPrismaClient {
  const file = options.databasePath ?? configuredSqliteFile();
  return new PrismaClient({
    adapter: new PrismaBetterSqlite3({ url: `file:${file}`, readonly: options.readonly ?? false }),
  });
}
