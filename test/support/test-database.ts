// A fresh, migrated database of the run's engine (engine.ts) with the services over it, removed
// after the test: what suites that hold on either engine open.
//
//   const t = await openTestDatabase();           // t.services, t.database, t.query(sql, params)
//   t = await t.reopen();                         // a restart: close, open the same data again
//   await t.dispose();                            // close and remove it
import type { Database } from "../../src/db/database.js";
import { openDatabase } from "../../src/db/open.js";
import { createServices, type Services } from "../../src/services/services.js";
import { createEngineDatabase, type Engine, type EngineDatabase } from "./engine.js";
import { execute, queryRows, type SqlParam } from "./rows.js";

export interface DatabaseWithServices {
  readonly engine: Engine;
  /** Where the data is, as DATABASE_URL takes it (for other processes). */
  readonly url: string;
  readonly database: Database;
  readonly services: Services;
  /** The clock the services read, when the test gave them one. */
  readonly clock?: () => Date;
  /** Rows of raw SQL with `?` parameters, straight from the tables (rows.ts). */
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    params?: readonly SqlParam[],
  ): Promise<R[]>;
  /** Runs a raw statement that returns no rows; resolves to the rows it changed. */
  execute(sql: string, params?: readonly SqlParam[]): Promise<number>;
  /** Another Database on the same data, as a second process holds it; the caller closes it. */
  openAnother(): Promise<Database>;
  /** Closes and opens the same data again (a restart). */
  reopen(): Promise<DatabaseWithServices>;
  close(): Promise<void>;
  /** Closes and removes the database. */
  dispose(): Promise<void>;
}

export async function openTestDatabase(options: { clock?: () => Date } = {}): Promise<DatabaseWithServices> {
  const place = await createEngineDatabase();
  try {
    return await open(place, options.clock);
  } catch (error) {
    await place.drop();
    throw error;
  }
}

async function open(place: EngineDatabase, clock: (() => Date) | undefined): Promise<DatabaseWithServices> {
  const openAnother = async () => (await openDatabase({ database: place.target })).db;
  const db = await openAnother();
  return {
    engine: place.engine,
    url: place.url,
    database: db,
    services: createServices(db.store, clock),
    clock,
    query: (sql, params) => queryRows(db, sql, params),
    execute: (sql, params) => execute(db, sql, params),
    openAnother,
    async reopen() {
      await db.close();
      return open(place, clock);
    },
    close: () => db.close(),
    async dispose() {
      await db.close();
      await place.drop();
    },
  };
}
