// Listening processes learn of committed changes from a NOTIFY the writing process sends after
// its commit: a lone write is announced, a burst of writes costs a few notifications rather than
// one each, and a database closed right after a write still announces it.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/database.js";
import { openDatabase } from "../../../src/db/open.js";
import { createServices, type Services } from "../../../src/services/services.js";
import { createTestDatabase, type TestDatabase } from "../../support/postgres.js";

let database: TestDatabase;
let listener: pg.Client;
const notified: number[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  listener = new pg.Client({ connectionString: database.url });
  await listener.connect();
  listener.on("notification", (message) => notified.push(Number(message.payload)));
  // The database is migrated by the first open; the listener may only LISTEN once it is.
  const { db } = await openDatabase({ database: { engine: "postgresql", url: database.url } });
  await db.close();
  await listener.query("LISTEN casebook_changes");
});

afterAll(async () => {
  await listener.end();
  await database.drop();
});

async function open(): Promise<{ db: Database; services: Services }> {
  const { db } = await openDatabase({ database: { engine: "postgresql", url: database.url } });
  return { db, services: createServices(db.store) };
}

/** Resolves once a notification at or past `position` has arrived. */
async function announced(position: number): Promise<void> {
  for (let waited = 0; !notified.some((n) => n >= position); waited += 10) {
    if (waited > 5000) throw new Error(`no notification reached position ${position}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("the change feed's notifications on PostgreSQL", () => {
  it("announce a lone write, and a burst of writes with far fewer notifications than writes", async () => {
    const { db, services } = await open();
    try {
      await services.missions.create({ id: "lone", name: "lone" });
      await announced((await db.store.changes.bounds()).latest);

      notified.length = 0;
      await Promise.all(Array.from({ length: 60 }, (_, i) => services.missions.create({ name: `burst ${i}` })));
      const last = (await db.store.changes.bounds()).latest;
      await announced(last);
      // Settle: a notification asked for during the burst may still be on its way.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(notified.length).toBeGreaterThan(0);
      expect(notified.length).toBeLessThan(60);
    } finally {
      await db.close();
    }
  });

  it("announce a write made just before the database is closed", async () => {
    const { db, services } = await open();
    notified.length = 0;
    await services.missions.create({ id: "before-close-1", name: "one" });
    await services.missions.create({ id: "before-close-2", name: "two" });
    const last = (await db.store.changes.bounds()).latest;
    await db.close();
    await announced(last);
  });

  it("announce a lifecycle event, whose write is one statement outside any transaction", async () => {
    const { db, services } = await open();
    try {
      await services.jobs.create({ id: "event-job", name: "job", agentName: "agent" });
      await announced((await db.store.changes.bounds()).latest);
      notified.length = 0;
      await services.jobs.handleEvent("event-job", "START_WORK");
      await announced((await db.store.changes.bounds()).latest);
    } finally {
      await db.close();
    }
  });
});
