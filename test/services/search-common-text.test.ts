// A search whose text is in thousands of rows finds the same rows, in the same pages, as the
// rows' own texts say, whichever way it reads them. On SQLite a text the index names 20,000 times
// or more walks the list's order (at most 2,000 rows for a page) and, when that does not fill the
// page, takes every match from the index (list-sql.ts); fewer go through the index at once. On
// PostgreSQL a text of one or two characters is judged common from the statistics of its grams.
// The rows: 3,000 names "aaa …" that sort first, then 21,000 "item …" (so "it" is common and all
// its matches sort after the first 2,000 rows), a few of them holding "Zq". They are written in
// bulk through SQL, which the search indexes' triggers see as they see any writer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITY_TABLES } from "../../src/db/entity-tables.js";
import { PgDatabase } from "../../src/db/postgres/pg-database.js";
import { pgSession, StatementCounter } from "../../src/db/postgres/pg-session.js";
import { PgShortSearchStats } from "../../src/db/postgres/pg-short-search-stats.js";
import type { Services } from "../../src/services/services.js";
import { sqliteOf } from "../support/database.js";
import { type DatabaseWithServices, openTestDatabase } from "../support/test-database.js";

const LEADING = 3_000;
const ITEMS = 21_000;
const CASES = LEADING + ITEMS;

/** The name of the case numbered `n`. */
function nameOf(n: number): string {
  if (n < LEADING) return `aaa ${n}`;
  return n % 500 === 7 ? `Item ${n} Zq ${n % 3}` : `item ${n}`;
}

/** The names of the cases, in name order, and which of them hold `text` (ASCII case ignored). */
function expected(names: string[], text: string): string[] {
  return names.filter((name) => name.toLowerCase().includes(text.toLowerCase())).sort();
}

/** Every page of a search in name order, forward with `first` or backward with `last`. */
async function walk(services: Services, text: string, backward: boolean): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await services.cases.list({
      search: text,
      orderBy: { field: "NAME", direction: "ASC" },
      ...(backward ? { last: 500, before: cursor } : { first: 500, after: cursor }),
    });
    pages.push(page.items.map((item) => item.name));
    const more = backward ? page.hasPreviousPage : page.hasNextPage;
    if (!more) return pages;
    cursor = backward ? page.cursors[0] : page.cursors[page.cursors.length - 1];
  }
}

describe("search for a text in thousands of rows", () => {
  let t: DatabaseWithServices;
  const names: string[] = [];
  beforeAll(async () => {
    t = await openTestDatabase();
    const s = t.services;
    await s.jobs.create({ id: "j", name: "job", agentName: "a" });
    await s.jobs.handleEvent("j", "START_WORK");
    await s.cases.start({ id: "c-template", jobId: "j", name: "template" });
    for (let n = 0; n < CASES; n++) names.push(nameOf(n));
    // The statistics of the grams come from the ANALYZE the test runs, not from autovacuum's.
    const db = t.database;
    if (db instanceof PgDatabase)
      await db.pool.query(`ALTER TABLE "Case_short_search" SET (autovacuum_enabled = false)`);
    await copyCase(t, "c-template", names);
    await s.cases.delete("c-template", true);
  }, 120_000);
  afterAll(() => t?.dispose());

  it.each(["it", "ITEM", "aa", "m 1", "zq", "Zq 1", "q", "1"])(
    'pages "%s" both ways as LIKE finds it',
    async (text) => {
      const want = expected(names, text);
      const forward = await walk(t.services, text, false);
      expect(forward.flat()).toEqual(want);
      const backward = await walk(t.services, text, true);
      expect(backward.reverse().flat()).toEqual(want);
      expect(await t.services.cases.count({ search: text })).toBe(want.length);
    },
  );

  it("gives the first page of a common text in name order, counted", async () => {
    for (const direction of ["ASC", "DESC"] as const) {
      const page = await t.services.cases.list({ search: "iT", first: 20, orderBy: { field: "NAME", direction } });
      const want = expected(names, "it");
      expect(page.items.map((item) => item.name)).toEqual((direction === "ASC" ? want : want.reverse()).slice(0, 20));
    }
    // Counted, whichever way fills the page: the walk ("aaa", DESC "it"), or the index after it.
    for (const [text, direction] of [
      ["it", "DESC"],
      ["it", "ASC"],
      ["ITEM", "ASC"],
      ["aaa", "ASC"],
      ["Zq", "ASC"],
    ] as const) {
      const page = await t.services.cases.listCounted(
        { search: text, first: 20, orderBy: { field: "NAME", direction } },
        {},
        { withPage: true, withCounts: true },
      );
      const want = expected(names, text);
      expect(page.page.items.map((item) => item.name)).toEqual(
        (direction === "ASC" ? want : want.reverse()).slice(0, 20),
      );
      expect([...page.statusCounts!.values()].reduce((a, b) => a + b, 0)).toBe(want.length);
    }
  });

  it("on PostgreSQL, judges a text common from the statistics of the grams, once they are gathered", async () => {
    const db = t.database;
    if (!(db instanceof PgDatabase)) return;
    const session = pgSession(db.pool, new StatementCounter(), false);
    // Before ANALYZE has seen the table, no text is common: the index is asked.
    let clock = 0;
    const stats = new PgShortSearchStats(session, () => clock);
    expect(await stats.isCommon(ENTITY_TABLES.Case, "it")).toBe(false);
    await db.pool.query(`ANALYZE "Case_short_search"`);
    // The statistics read before are kept for a minute.
    clock += 59_000;
    expect(await stats.isCommon(ENTITY_TABLES.Case, "it")).toBe(false);
    clock += 2_000;
    expect(await stats.isCommon(ENTITY_TABLES.Case, "it")).toBe(true);
    expect(await stats.isCommon(ENTITY_TABLES.Case, "IT")).toBe(true);
    expect(await stats.isCommon(ENTITY_TABLES.Case, "i")).toBe(true);
    expect(await stats.isCommon(ENTITY_TABLES.Case, "zq")).toBe(false);
    expect(await stats.isCommon(ENTITY_TABLES.Case, "q")).toBe(false);
    expect(await stats.isCommon(ENTITY_TABLES.Job, "it")).toBe(false);
    // Either way the pages are LIKE's.
    expect((await walk(t.services, "it", false)).flat()).toEqual(expected(names, "it"));
  });
});

/** Copies of a case, one per name, written by one INSERT … SELECT (ids "c-0", "c-1", …). */
async function copyCase(t: DatabaseWithServices, templateId: string, names: string[]): Promise<void> {
  const columns = Object.keys(ENTITY_TABLES.Case.columns).map((column) => `"${column}"`);
  const db = t.database;
  if (db instanceof PgDatabase) {
    const select = columns.map((c) =>
      c === '"id"' ? `'c-' || ("n"."i" - 1)` : c === '"name"' ? `($2::text[])["n"."i"]` : `"template".${c}`,
    );
    await db.pool.query(
      `INSERT INTO "Case" (${columns.join(", ")})
       SELECT ${select.join(", ")} FROM "Case" AS "template", generate_series(1, cardinality($2::text[])) AS "n"("i")
       WHERE "template"."id" = $1`,
      [templateId, names],
    );
    return;
  }
  const select = columns.map((c) =>
    c === '"id"' ? `'c-' || "n"."key"` : c === '"name"' ? `"n"."value"` : `"template".${c}`,
  );
  sqliteOf(db).run(
    `INSERT INTO "Case" (${columns.join(", ")})
     SELECT ${select.join(", ")} FROM "Case" AS "template", json_each(?) AS "n" WHERE "template"."id" = ?`,
    [JSON.stringify(names), templateId],
  );
}
