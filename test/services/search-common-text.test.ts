// A search whose text is in thousands of rows ("it" in every name below) finds the same rows, in
// the same pages, as the rows' own texts say: on SQLite such a search walks the list's order
// instead of its index (search-sql.ts: from 2,000 matches on), on PostgreSQL the planner may do
// the same; a rare text on the same rows goes through the index. Either way the pages, their
// cursors both ways and the counts are those of LIKE over every row.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITY_TABLES } from "../../src/db/entity-tables.js";
import { PgDatabase } from "../../src/db/postgres/pg-database.js";
import { pgSession, StatementCounter } from "../../src/db/postgres/pg-session.js";
import { PgShortSearchStats } from "../../src/db/postgres/pg-short-search-stats.js";
import type { Services } from "../../src/services/services.js";
import { type DatabaseWithServices, openTestDatabase } from "../support/test-database.js";

const CASES = 2_100;

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
    for (let n = 0; n < CASES; n++) {
      // Every name holds "it" and "item"; a few hold "zq" or "Zq 1".
      const name = n % 500 === 7 ? `Item ${n} Zq ${n % 3}` : `item ${n}`;
      names.push(name);
      await s.cases.start({ id: `c-${n}`, jobId: "j", name });
    }
  }, 120_000);
  afterAll(() => t?.dispose());

  it.each(["it", "ITEM", "m 1", "zq", "Zq 1", "q", "1"])('pages "%s" both ways as LIKE finds it', async (text) => {
    const want = expected(names, text);
    const forward = await walk(t.services, text, false);
    expect(forward.flat()).toEqual(want);
    const backward = await walk(t.services, text, true);
    expect(backward.reverse().flat()).toEqual(want);
    expect(await t.services.cases.count({ search: text })).toBe(want.length);
  });

  it("gives the first page of a common text in name order, counted", async () => {
    const page = await t.services.cases.listCounted(
      { search: "it", first: 20, orderBy: { field: "NAME", direction: "DESC" } },
      {},
      { withPage: true, withCounts: true },
    );
    expect(page.page.items.map((item) => item.name)).toEqual(expected(names, "it").reverse().slice(0, 20));
    expect([...page.statusCounts!.values()].reduce((a, b) => a + b, 0)).toBe(CASES);
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
