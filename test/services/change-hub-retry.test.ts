// A read of the change feed that fails (the database busy or unreachable for a moment) is tried
// again by the hub on its own: a wake-up comes only with the next commit, and the changes the
// failed read missed must reach subscribers without waiting for one. The database is real; the
// store's first read of the feed is made to fail once.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Store } from "../../src/db/store.js";
import type { ChangeRecord } from "../../src/domain/changes.js";
import { ChangeHub } from "../../src/services/change-hub.js";
import { type DatabaseWithServices, openTestDatabase } from "../support/test-database.js";

let t: DatabaseWithServices;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(() => t.dispose());

/** The store, with a `changes.list` that fails once when told to. */
function failingOnce(store: Store): { store: Store; failNextRead: () => void; failures: () => number } {
  let failures = 0;
  let failNext = false;
  const changes = new Proxy(store.changes, {
    get(target, property, receiver) {
      if (property !== "list") return Reflect.get(target, property, receiver);
      return (...args: Parameters<Store["changes"]["list"]>) => {
        if (failNext) {
          failNext = false;
          failures++;
          return Promise.reject(new Error("the database is busy"));
        }
        return target.list(...args);
      };
    },
  });
  return {
    store: { ...store, changes } as Store,
    failNextRead: () => {
      failNext = true;
    },
    failures: () => failures,
  };
}

it("reads again after a failed read, without another write to wake it", async () => {
  const { store, failNextRead, failures } = failingOnce(t.database.store);
  const errors: unknown[] = [];
  const hub = new ChangeHub(store, (error) => errors.push(error));
  await hub.start(t.database, 3_600_000);
  try {
    const after = (await t.database.store.changes.bounds()).latest;
    const subscriber = hub.subscribe({ after, filter: {}, maxQueued: 100 });
    const next = subscriber.next();
    // The hub's first read (it was not following before this subscriber) is done.
    await new Promise((resolve) => setTimeout(resolve, 50));
    failNextRead();
    await t.services.missions.create({ id: "retried", name: "m" });
    // The commit wakes the hub (in-process on SQLite, a notification on PostgreSQL); its read fails.
    const received = (await next).value as ChangeRecord;
    expect(received).toMatchObject({ entityId: "retried", kind: "CREATED" });
    expect(failures()).toBe(1);
    expect(errors.map(String)).toEqual(["Error: the database is busy"]);
    await subscriber.return?.();
  } finally {
    await hub.close();
  }
});
