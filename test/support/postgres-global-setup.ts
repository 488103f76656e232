// vitest globalSetup: one PostgreSQL server for the whole test run, whose URL test files receive
// through inject("postgresServerUrl") (see postgres.ts). TEST_POSTGRES_URL names a server to use
// instead; otherwise an embedded one is started here and removed when the run ends. On it, a
// migrated database that createMigratedTestDatabase copies (inject("postgresTemplateDatabase")).
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "./embedded-postgres.js";
import { createMigratedTestDatabase } from "./postgres.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A superuser (or CREATEDB) connection URL to the run's PostgreSQL server. */
    postgresServerUrl: string;
    /** A database on that server with the migrations applied, to copy; nothing connects to it. */
    postgresTemplateDatabase: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const configured = process.env.TEST_POSTGRES_URL;
  if (configured) {
    await checkReachable(configured);
    project.provide("postgresServerUrl", configured);
    const template = await createMigratedTestDatabase(configured);
    project.provide("postgresTemplateDatabase", template.name);
    return () => template.drop();
  }
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  try {
    server = await startEmbeddedPostgres();
  } catch (error) {
    throw new Error(
      "The tests need a PostgreSQL server and could not start one from the embedded-postgres package:\n" +
        `${(error as Error).message}\n` +
        "Set TEST_POSTGRES_URL to a server on which the tests may create and drop databases, e.g. " +
        "TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres npm test",
    );
  }
  project.provide("postgresServerUrl", server.url);
  const template = await createMigratedTestDatabase(server.url);
  project.provide("postgresTemplateDatabase", template.name);
  return () => server.destroy();
}

async function checkReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new Error(`TEST_POSTGRES_URL names a server the tests cannot reach: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
