// On SQLite one writer connection serves the whole process, and transactions now await between
// their statements: an open transaction must stay invisible and undisturbed until it commits.
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../src/db/open.js";
import type { SqliteDatabase } from "../../src/db/sqlite/sqlite-database.js";
import type { MissionRecord } from "../../src/domain/entities.js";
import { tempDir } from "../support/database.js";

const opened: SqliteDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.closeNow();
});

function mission(id: string): MissionRecord {
  const at = new Date("2026-01-01T00:00:00.000Z");
  return {
    id,
    name: id,
    description: null,
    status: "STOPPED",
    version: 0,
    createdAt: at,
    updatedAt: at,
    finishedAt: null,
    awaitingUntil: null,
    metadata: {},
  };
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** True when `promise` has settled after the work already queued has run. */
async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 20));
  return settled;
}

describe.each([
  ["a file", () => openSqliteDatabase({ databasePath: `${tempDir()}/entities.db` }).db],
  ["memory", () => openSqliteDatabase({ databasePath: ":memory:" }).db],
])("SQLite store on %s", (_, open) => {
  it("keeps an open transaction's writes unseen, and other writes waiting, until it commits", async () => {
    const db = open();
    opened.push(db);
    const { store } = db;
    const paused = gate();
    const inside = gate();

    const transaction = store.transaction(async (tx) => {
      await tx.entities.Mission.insert(mission("m-inside"));
      inside.open();
      await paused.opened;
      return "committed";
    });
    await inside.opened;

    const read = store.entities.Mission.findById("m-inside");
    const write = store.entities.Mission.insert(mission("m-outside"));
    // A file reads on its own connection at once; memory has one connection, so it waits.
    if (db.sql.isMemory) expect(await hasSettled(read)).toBe(false);
    else expect(await read).toBeUndefined();
    expect(await hasSettled(write)).toBe(false);

    paused.open();
    expect(await transaction).toBe("committed");
    await write;
    expect(await store.entities.Mission.findById("m-inside")).toMatchObject({ id: "m-inside" });
    expect(await store.entities.Mission.findById("m-outside")).toMatchObject({ id: "m-outside" });
    if (db.sql.isMemory) expect(await read).toMatchObject({ id: "m-inside" });
  });

  it("rolls back all of a transaction that throws after awaiting, and lets the next one run", async () => {
    const db = open();
    opened.push(db);
    const { store } = db;
    await expect(
      store.transaction(async (tx) => {
        await tx.entities.Mission.insert(mission("m-lost"));
        await new Promise((resolve) => setTimeout(resolve, 5));
        await tx.entities.Mission.insert(mission("m-lost-too"));
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await store.entities.Mission.count({})).toBe(0);

    await store.transaction((tx) => tx.entities.Mission.insert(mission("m-kept")));
    expect(await store.entities.Mission.count({})).toBe(1);
  });

  it("runs transactions one after the other, in the order they asked", async () => {
    const db = open();
    opened.push(db);
    const { store } = db;
    const order: string[] = [];
    await Promise.all(
      ["a", "b", "c"].map((name) =>
        store.transaction(async (tx) => {
          order.push(`${name} begins`);
          await tx.entities.Mission.insert(mission(`m-${name}`));
          await new Promise((resolve) => setTimeout(resolve, 5));
          order.push(`${name} ends`);
        }),
      ),
    );
    expect(order).toEqual(["a begins", "a ends", "b begins", "b ends", "c begins", "c ends"]);
  });
});
