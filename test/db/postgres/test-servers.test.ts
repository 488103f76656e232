// What the PostgreSQL suites stand on: a fresh database per test on the run's server, and private
// servers that outage tests stop and start.
import fs from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createMigratedTestDatabase,
  createTestDatabase,
  type EmbeddedPostgresServer,
  postgresServerUrl,
  startPrivatePostgres,
  withClient,
} from "../../support/postgres.js";

const databaseNames = () =>
  withClient(postgresServerUrl(), async (client) =>
    (await client.query<{ datname: string }>("SELECT datname FROM pg_database")).rows.map((r) => r.datname),
  );

describe("createTestDatabase", () => {
  it("creates an empty database under a new name each time, and drop() removes it", async () => {
    const [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      expect(first.name).not.toBe(second.name);
      expect(await databaseNames()).toEqual(expect.arrayContaining([first.name, second.name]));
      const tables = await withClient(first.url, async (client) => {
        const result = await client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'`);
        return result.rowCount;
      });
      expect(tables).toBe(0);
    } finally {
      await first.drop();
      await second.drop();
    }
    expect(await databaseNames()).not.toContain(first.name);
    expect(await databaseNames()).not.toContain(second.name);
  });

  it("drops a database even while a connection to it is still open", async () => {
    const database = await createTestDatabase();
    const forgotten = new pg.Client({ connectionString: database.url });
    // It hears of it twice: the server's message, then the closed socket.
    const cutOff = new Promise<Error>((resolve) => forgotten.on("error", resolve));
    await forgotten.connect();

    await database.drop();

    expect((await cutOff).message).toMatch(/terminating connection/);
    expect(await databaseNames()).not.toContain(database.name);
  }, 20_000);
});

describe("startPrivatePostgres", () => {
  let server: EmbeddedPostgresServer;
  beforeAll(async () => {
    server = await startPrivatePostgres();
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it("can be stopped and started again on the same URL, keeping its databases and rows", async () => {
    const database = await createMigratedTestDatabase(server.url);
    await withClient(database.url, (client) =>
      client.query(`INSERT INTO "Mission" ("id", "name", "metadata", "updatedAt") VALUES ('m1', 'kept', '{}', now())`),
    );

    await server.stop();
    const refused = await withClient(database.url, (client) => client.query("SELECT 1")).then(
      () => undefined,
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(refused).toBe("ECONNREFUSED");

    await server.start();
    const rows = await withClient(
      database.url,
      async (client) => (await client.query(`SELECT "name" FROM "Mission"`)).rows,
    );
    expect(rows).toEqual([{ name: "kept" }]);
    await database.drop();
  });

  it("leaves nothing on disk once destroyed", async () => {
    const other = await startPrivatePostgres();
    const entries = () => fs.readdirSync(other.directory, { withFileTypes: true }).length;
    expect(entries()).toBeGreaterThan(0);
    await other.destroy();
    expect(fs.existsSync(other.directory)).toBe(false);
  });
});
