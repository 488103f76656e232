// PostgreSQL hands out sequence numbers in the order statements ask for them, not in the order
// their transactions commit. The change feed must not let a reader that resumes after position N
// miss a change numbered below N that commits later: two transactions are overlapped on purpose.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../src/db/database.js";
import { openDatabase } from "../../../src/db/open.js";
import { createServices, type Services } from "../../../src/services/services.js";
import { createTestDatabase, type TestDatabase, withClient } from "../../support/postgres.js";

let database: TestDatabase;
let db: Database;
let services: Services;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ db } = await openDatabase({ database: { engine: "postgresql", url: database.url } }));
  services = createServices(db.store);
});

afterAll(async () => {
  await db.close();
  await database.drop();
});

/** A promise and the function that settles it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe("the change feed on PostgreSQL", () => {
  it("misses nothing when a transaction that wrote first commits last", async () => {
    const start = (await db.store.changes.bounds()).latest;
    const wrote = gate();
    const release = gate();
    // The first writer: creates a mission, then stays open.
    const first = db.store.transaction(async (tx) => {
      await services.missions.create({ id: "held-open", name: "first" });
      await tx.entities.Mission.update("held-open", { name: "first, edited" }, new Date());
      wrote.open();
      await release.opened;
    });
    await wrote.opened;
    // The second writer commits while the first is still open.
    await services.missions.create({ id: "committed-first", name: "second" });

    const seen = await db.store.changes.list(start, 100);
    expect(seen.map((c) => c.entityId)).toContain("committed-first");
    expect(seen.map((c) => `${c.entityId} ${c.kind}`)).not.toContain("held-open UPDATED");
    const resumeAfter = seen.at(-1)!.seq;

    release.open();
    await first;
    // The change the first transaction wrote is found after the cursor the reader kept.
    const later = await db.store.changes.list(resumeAfter, 100);
    expect(later.map((c) => `${c.entityId} ${c.kind}`)).toEqual(["held-open UPDATED"]);
    // Every change appears once across the two reads, in commit order.
    const all = await db.store.changes.list(start, 100);
    expect(all.map((c) => c.seq)).toEqual([...seen, ...later].map((c) => c.seq));
  });

  it("reads no change past a number drawn by a transaction still open (rows inserted straight into the table)", async () => {
    const start = (await db.store.changes.bounds()).latest;
    const insert = `INSERT INTO "Change" ("entityType", "entityId", "kind", "at") VALUES ('MISSION', $1, 'UPDATED', now()) RETURNING "seq"`;
    await withClient(database.url, async (a) => {
      await withClient(database.url, async (b) => {
        await a.query("BEGIN");
        const firstSeq = Number((await a.query(insert, ["raw-a"])).rows[0].seq);
        // b draws a later number and commits while a is open: writers do not wait for each other…
        const secondSeq = Number((await b.query(insert, ["raw-b"])).rows[0].seq);
        expect(secondSeq).toBeGreaterThan(firstSeq);
        // …but a read waits for a (on the feed's lock) instead of returning b's change alone.
        let settled = false;
        const read = db.store.changes.list(start, 100).finally(() => (settled = true));
        await withClient(database.url, async (watcher) => {
          for (;;) {
            const { rows } = await watcher.query(
              `SELECT 1 FROM pg_stat_activity WHERE application_name = 'casebook' AND wait_event = 'advisory'`,
            );
            if (rows.length > 0) break;
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        });
        expect(settled).toBe(false);
        await a.query("COMMIT");
        expect((await read).map((c) => c.entityId)).toEqual(["raw-a", "raw-b"]);
      });
    });
  });

  it("does not wait for a number whose transaction rolled back", async () => {
    const start = (await db.store.changes.bounds()).latest;
    await withClient(database.url, async (a) => {
      await a.query("BEGIN");
      await a.query(
        `INSERT INTO "Change" ("entityType", "entityId", "kind", "at") VALUES ('MISSION', 'gone', 'UPDATED', now())`,
      );
      await a.query("ROLLBACK");
    });
    await services.missions.create({ id: "after-rollback", name: "after" });
    const seen = await db.store.changes.list(start, 100);
    expect(seen.map((c) => c.entityId)).toEqual(["after-rollback"]);
    expect((await db.store.changes.bounds()).latest).toBe(seen[0]!.seq);
  });
});
