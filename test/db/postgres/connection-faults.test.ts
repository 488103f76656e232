// The PostgreSQL store, in this process, when the database fails under it: a session the server
// ends while a transaction holds it between two statements, and a statement held up past the
// statement timeout. Each comes back as SERVICE_UNAVAILABLE, never as the driver's own error, and
// the process lives on (an ended session used to surface as an 'error' event nobody listened to,
// which ends a process). test/reliability/postgres-outage.test.ts does the same to real servers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgDatabase } from "../../../src/db/postgres/pg-database.js";
import { ServiceUnavailableError } from "../../../src/domain/errors.js";
import { createMigratedTestDatabase, type TestDatabase, withClient } from "../../support/postgres.js";

const STATEMENT_TIMEOUT_MS = 300;

let database: TestDatabase;
let db: PgDatabase;

beforeAll(async () => {
  database = await createMigratedTestDatabase();
  db = new PgDatabase({ url: database.url, statementTimeoutMs: STATEMENT_TIMEOUT_MS, connectTimeoutMs: 2000 });
});
afterAll(async () => {
  await db?.close();
  await database?.drop();
});

/** Ends every other session on the test database, and waits until they are gone. */
async function endOtherSessions(): Promise<void> {
  await withClient(database.url, async (client) => {
    const others = `FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
    await client.query(`SELECT pg_terminate_backend(pid) ${others}`);
    while (Number((await client.query<{ n: string }>(`SELECT count(*) AS n ${others}`)).rows[0]!.n) > 0);
  });
}

describe("PostgreSQL connection faults", () => {
  it("a session ended while a transaction holds it: SERVICE_UNAVAILABLE, then the next call works", async () => {
    const outcome = db.store.transaction(async (tx) => {
      await tx.entities.Mission.findById("m-none");
      await endOtherSessions();
      return tx.entities.Mission.findById("m-none");
    });
    await expect(outcome).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(await db.store.entities.Mission.count({})).toBe(0);
  });

  it("a statement held up by a row lock past the statement timeout: SERVICE_UNAVAILABLE", async () => {
    await withClient(database.url, async (client) => {
      await client.query(
        `INSERT INTO "Mission" ("id", "name", "metadata", "updatedAt") VALUES ('m-locked', 'm', '{}', now())`,
      );
      await client.query("BEGIN");
      await client.query(`SELECT 1 FROM "Mission" WHERE "id" = 'm-locked' FOR UPDATE`);
      const edit = db.store.entities.Mission.update("m-locked", { name: "renamed" }, new Date());
      const error = await edit.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect((error as Error).message).toMatch(/did not answer in time/);
      await client.query("ROLLBACK");
    });
    expect(await db.store.entities.Mission.update("m-locked", { name: "renamed" }, new Date())).toBe(true);
  });
});
