// PostgreSQL for tests: a fresh database per test (or file) on the run's shared server, and private
// servers that a test may stop and start. The shared server comes from postgres-global-setup.ts.
//
//   const db = await createTestDatabase();        // empty; db.url to connect, await db.drop() after
//   const db = await createMigratedTestDatabase(); // with prisma/postgresql/migrations applied (a copy)
//   const server = await startPrivatePostgres();   // server.url; server.stop() / start() / destroy()
//   const db = await createMigratedTestDatabase(server.url); // a database on that private server
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { migratePostgres } from "../../src/db/postgres/migrator.js";
import { type EmbeddedPostgresServer, startEmbeddedPostgres, TEST_SERVER_TIME_ZONE } from "./embedded-postgres.js";

export type { EmbeddedPostgresServer };
export { TEST_SERVER_TIME_ZONE };

export interface TestDatabase {
  name: string;
  /** Connection URL of this database (the server's URL with its name as the path). */
  url: string;
  /** Drops the database; a connection still open to it after a second is cut off. */
  drop(): Promise<void>;
}

/** The run's shared server, as a URL to its maintenance database. */
export function postgresServerUrl(): string {
  const url = inject("postgresServerUrl") ?? process.env.TEST_POSTGRES_URL;
  if (!url) {
    throw new Error(
      "no PostgreSQL server for this test: run it through vitest.config.ts (whose globalSetup starts one) or set TEST_POSTGRES_URL",
    );
  }
  return url;
}

let created = 0;

/**
 * A new, empty database on the shared server (or on `server`, a private one's URL), or a copy of
 * `options.template` there, under a name no other test uses. Sessions on it run
 * in TEST_SERVER_TIME_ZONE whichever server TEST_POSTGRES_URL names, and text compares byte by
 * byte (collation C), as in SQLite, whatever the server's default locale.
 */
export async function createTestDatabase(
  server: string = postgresServerUrl(),
  options: { template?: string } = {},
): Promise<TestDatabase> {
  created += 1;
  const name = `casebook_test_${process.pid}_${created}_${randomBytes(3).toString("hex")}`;
  const template = options.template ?? "template0";
  await withClient(server, async (client) => {
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}" ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
    // A database's settings are not copied from its template.
    await client.query(`ALTER DATABASE "${name}" SET "TimeZone" TO '${TEST_SERVER_TIME_ZONE}'`);
  });
  return {
    name,
    url: databaseUrl(server, name),
    drop: () => dropDatabase(server, name),
  };
}

// A pool's end() resolves before its connections have closed, so sessions may still be leaving:
// they get a moment to go. Only a connection still open after that (one a test never closed) is
// cut off, and its owner sees the error.
async function dropDatabase(server: string, name: string): Promise<void> {
  await withClient(server, async (client) => {
    const deadline = Date.now() + CLOSING_SESSIONS_GRACE_MS;
    while (Date.now() < deadline && (await sessionsOn(client, name)) > 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

const CLOSING_SESSIONS_GRACE_MS = 1_000;

async function sessionsOn(client: pg.Client, database: string): Promise<number> {
  const result = await client.query<{ count: string }>("SELECT count(*) FROM pg_stat_activity WHERE datname = $1", [
    database,
  ]);
  return Number(result.rows[0]!.count);
}

/**
 * A new database with casebook's PostgreSQL migrations applied. On the run's shared server it is a
 * copy of the migrated template the global setup made (copying is quicker than migrating); on
 * another server the migrations are applied by casebook's own migrator.
 */
export async function createMigratedTestDatabase(server?: string): Promise<TestDatabase> {
  const template = server === undefined ? inject("postgresTemplateDatabase") : undefined;
  if (template) return createTestDatabase(postgresServerUrl(), { template });
  const database = await createTestDatabase(server);
  try {
    await withClient(database.url, (client) => migratePostgres(client));
  } catch (error) {
    await database.drop();
    throw error;
  }
  return database;
}

/**
 * A PostgreSQL server of the test's own (embedded, whatever TEST_POSTGRES_URL says), which it may
 * stop and start to see how code behaves while the database is down. Destroy it in afterAll.
 */
export function startPrivatePostgres(): Promise<EmbeddedPostgresServer> {
  return startEmbeddedPostgres();
}

/** The URL of another database on the same server. */
function databaseUrl(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs fn on a fresh connection to url and closes it afterwards. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
