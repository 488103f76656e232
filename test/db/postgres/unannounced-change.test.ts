// A process that stops between its commit and its notification leaves a change that no process
// was told of: listeners look for changes every few seconds regardless, so subscribers still get
// it without waiting for another write. The change is written straight into the feed here, as
// such a writer leaves it: committed, never announced.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../../../src/db/database.js";
import { openDatabase } from "../../../src/db/open.js";
import type { ChangeRecord } from "../../../src/domain/changes.js";
import { ChangeHub } from "../../../src/services/change-hub.js";
import { createTestDatabase, type TestDatabase, withClient } from "../../support/postgres.js";

let database: TestDatabase;
let db: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ db } = await openDatabase({ database: { engine: "postgresql", url: database.url } }));
});

afterAll(async () => {
  await db.close();
  await database.drop();
});

it("reaches subscribers though no process announced it", async () => {
  const hub = new ChangeHub(db.store, (error) => {
    throw error;
  });
  await hub.start(db, 3_600_000);
  try {
    const after = (await db.store.changes.bounds()).latest;
    const subscriber = hub.subscribe({ after, filter: {}, maxQueued: 10 });
    const next = subscriber.next();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await withClient(database.url, (client) =>
      client.query(
        `INSERT INTO "Change" ("entityType", "entityId", "kind", "at") VALUES ('MISSION', 'unannounced', 'CREATED', now())`,
      ),
    );
    const received = (await next).value as ChangeRecord;
    expect(received).toMatchObject({ entityId: "unannounced", kind: "CREATED" });
    expect(Date.now() - started).toBeLessThan(10_000);
    await subscriber.return?.();
  } finally {
    await hub.close();
  }
});
