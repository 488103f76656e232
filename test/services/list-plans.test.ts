// Every order × filter a dashboard uses is served by an index: the plan of each list statement
// (and of the aggregates) scans no entity table whole. SQLite's plan is EXPLAIN QUERY PLAN;
// PostgreSQL's is EXPLAIN with sequential scans disabled, so that a plan keeps a Seq Scan only
// where no index can serve the statement (on tables this small it would otherwise prefer one).
// The combinations are listed in the README ("Queries for dashboards").
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITY_TABLES } from "../../src/db/entity-tables.js";
import type { ListOrder, OrderColumn } from "../../src/db/list-order.js";
import * as pgTotals from "../../src/db/postgres/pg-case-totals-repository.js";
import { PgDatabase } from "../../src/db/postgres/pg-database.js";
import { pgListStatement } from "../../src/db/postgres/pg-list-sql.js";
import type { PgParam } from "../../src/db/postgres/pg-session.js";
import * as sqliteTotals from "../../src/db/sqlite/case-totals-repository.js";
import { listStatements } from "../../src/db/sqlite/list-sql.js";
import type { EntityFilter, EntityPageRequest } from "../../src/db/store.js";
import type { EntityType } from "../../src/domain/entities.js";
import { RUNNING_STATUSES } from "../../src/domain/lifecycle.js";
import { sqliteOf } from "../support/database.js";
import { type DatabaseWithServices, openTestDatabase } from "../support/test-database.js";

const WEEK = { from: new Date("2026-11-20T00:00:00.000Z"), to: new Date("2026-11-27T00:00:00.000Z") };

interface Combination {
  name: string;
  entityType: EntityType;
  filter: EntityFilter;
  order: ListOrder;
}

const ORDERS: Record<EntityType, OrderColumn[]> = {
  Mission: ["createdAt", "updatedAt", "finishedAt", "name"],
  Job: ["createdAt", "updatedAt", "finishedAt", "name"],
  Case: ["createdAt", "updatedAt", "finishedAt", "name", "totalCostMicros"],
};

/** Every order both ways, unfiltered, and the filters a dashboard combines with an order. */
const COMBINATIONS: Combination[] = [
  ...(Object.keys(ORDERS) as EntityType[]).flatMap((entityType) =>
    ORDERS[entityType].flatMap((column) =>
      (["ASC", "DESC"] as const).map((direction) => ({
        name: `${entityType} by ${column} ${direction}`,
        entityType,
        filter: {},
        order: { column, direction },
      })),
    ),
  ),
  ...(["Mission", "Job", "Case"] as const).flatMap((entityType) => [
    {
      name: `${entityType}: one status, newest first`,
      entityType,
      filter: { status: ["FAILED" as const] },
      order: desc("createdAt"),
    },
    {
      name: `${entityType}: running, newest first`,
      entityType,
      filter: { status: RUNNING_STATUSES },
      order: desc("createdAt"),
    },
    { name: `${entityType}: ids, by name`, entityType, filter: { ids: ["a", "b", "c"] }, order: asc("name") },
    { name: `${entityType}: created in a week`, entityType, filter: { createdAt: WEEK }, order: desc("createdAt") },
    {
      name: `${entityType}: updated in a week, latest first`,
      entityType,
      filter: { updatedAt: WEEK },
      order: desc("updatedAt"),
    },
    {
      name: `${entityType}: finished in a week, latest first`,
      entityType,
      filter: { finishedAt: WEEK },
      order: desc("finishedAt"),
    },
  ]),
  {
    name: "Job: a mission's jobs, newest first",
    entityType: "Job",
    filter: { parentId: "m" },
    order: desc("createdAt"),
  },
  { name: "Job: jobs without a mission", entityType: "Job", filter: { withoutParent: true }, order: asc("createdAt") },
  { name: "Job: an agent's jobs", entityType: "Job", filter: { agentName: "a" }, order: desc("createdAt") },
  { name: "Case: a job's cases", entityType: "Case", filter: { parentId: "j" }, order: asc("createdAt") },
  { name: "Case: a mission's cases", entityType: "Case", filter: { missionId: "m" }, order: desc("createdAt") },
  {
    name: "Case: a job's cases that failed in a week, latest first",
    entityType: "Case",
    filter: { parentId: "j", status: ["FAILED"], finishedAt: WEEK },
    order: desc("finishedAt"),
  },
];

/**
 * Search: a trigram index on both engines (pg_trgm's GIN on PostgreSQL, FTS5 on SQLite; README),
 * and for texts of one or two characters the short-text index (characters and pairs).
 */
const SEARCHES: (Combination & { index: "trigram" | "short" })[] = (["Mission", "Job", "Case"] as const).flatMap(
  (entityType) =>
    (
      [
        ["report", "trigram"],
        ["re", "short"],
        ["r", "short"],
      ] as const
    ).map(([text, index]) => ({
      name: `${entityType}: search "${text}", by name`,
      entityType,
      filter: { search: text },
      order: asc("name"),
      index,
    })),
);

function asc(column: OrderColumn): ListOrder {
  return { column, direction: "ASC" };
}
function desc(column: OrderColumn): ListOrder {
  return { column, direction: "DESC" };
}

const ENTITY_TABLE_NAMES = ["Mission", "Job", "Case"];

describe("query plans of the lists a dashboard reads", () => {
  let t: DatabaseWithServices;
  beforeAll(async () => {
    t = await openTestDatabase();
    // A few rows, so that the planner has tables to plan for.
    const m = await t.services.missions.create({ id: "m", name: "mission" });
    const j = await t.services.jobs.create({ id: "j", name: "job", agentName: "a", missionId: m.id });
    await t.services.jobs.handleEvent(j.id, "START_WORK");
    await t.services.cases.start({ jobId: j.id, name: "case" });
  });
  afterAll(() => t?.dispose());

  /** The plan's lines: SQLite's details, or PostgreSQL's EXPLAIN text. */
  /** `disabled`: PostgreSQL plan types turned off besides sequential scans (e.g. "indexscan"). */
  async function planOf(sql: string, params: unknown[], disabled: string[] = []): Promise<string[]> {
    const db = t.database;
    if (db instanceof PgDatabase) {
      const settings = ["seqscan", ...disabled].map((kind) => `enable_${kind}`);
      const client = await db.pool.connect();
      try {
        for (const setting of settings) await client.query(`SET ${setting} = off`);
        const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, params);
        return rows.map((r) => r["QUERY PLAN"]);
      } finally {
        for (const setting of settings) await client.query(`RESET ${setting}`);
        client.release();
      }
    }
    return sqliteOf(db)
      .all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params as never[])
      .map((r) => r.detail);
  }

  /** Lines of the plan that read an entity table whole. */
  function fullScans(plan: string[]): string[] {
    return plan.filter((line) =>
      t.engine === "postgresql"
        ? ENTITY_TABLE_NAMES.some((name) => new RegExp(`Seq Scan on "?${name}"?`).test(line))
        : line.startsWith("SCAN ") && !line.includes("USING") && !line.includes("VIRTUAL TABLE"),
    );
  }

  async function listPlan(
    c: Combination,
    page: Partial<EntityPageRequest> = {},
    disabled: string[] = [],
  ): Promise<string[]> {
    const table = ENTITY_TABLES[c.entityType];
    const request: EntityPageRequest = { first: 50, order: c.order, ...page };
    if (t.engine === "postgresql") {
      const params: PgParam[] = [];
      const sql = pgListStatement(table, c.filter, request, params);
      return planOf(sql, params, disabled);
    }
    const statement = listStatements(sqliteOf(t.database), table, c.filter, request).first;
    return planOf(statement.sql, statement.params);
  }

  it.each(COMBINATIONS.map((c) => [c.name, c] as const))("%s: no full scan, first page and backward", async (_, c) => {
    expect(fullScans(await listPlan(c))).toEqual([]);
    expect(fullScans(await listPlan(c, { backward: true }))).toEqual([]);
  });

  it.each(SEARCHES.map((c) => [c.name, c] as const))("%s: no full scan of the table", async (_, c) => {
    expect(fullScans(await listPlan(c))).toEqual([]);
    if (t.engine === "postgresql") {
      // On tables this small PostgreSQL may walk the name index (it is in list order) and filter
      // every row, which is a whole-table read too; with plain index scans off, what is left to it
      // must be the search index, as a selective search on a large table gets.
      const index = c.index === "trigram" ? /_trgm_idx/ : new RegExp(`"${c.entityType}_short_search_grams_idx"`);
      expect((await listPlan(c, {}, ["indexscan"])).join("\n")).toMatch(index);
    } else {
      // The search index finds the rows, which are then read by rowid, not by a walk of an index.
      const plan = await listPlan(c);
      const index = c.index === "trigram" ? `${c.entityType}_search` : `${c.entityType}_short_search`;
      expect(plan).toContainEqual(expect.stringMatching(new RegExp(`^SCAN ${index} VIRTUAL TABLE INDEX`)));
      expect(plan).toContainEqual(
        expect.stringMatching(new RegExp(`^SEARCH ${c.entityType} USING INTEGER PRIMARY KEY \\(rowid=\\?\\)`)),
      );
    }
  });

  it.each(["Mission", "Job"] as const)("the cost and case counts of many %ss: from the indexes", async (parentType) => {
    const totals = t.engine === "postgresql" ? pgTotals : sqliteTotals;
    const ids = t.engine === "postgresql" ? [["m", "j"]] : [JSON.stringify(["m", "j"])];
    const plan = await planOf(totals.caseTotalsSql(parentType), ids);
    expect(fullScans(plan), plan.join("\n")).toEqual([]);
  });
});
