// The nested reads' statements on SQLite (nested-data.ts), as casebook writes them in
// src/db/sqlite/entity-repository.ts and transition-repository.ts: the parents' ids as one JSON
// array, a correlated page per parent (and per entity for the transitions, on its (entity, id)
// index).
import type Database from "better-sqlite3";
import {
  CHILD_TABLES,
  type ChildKind,
  type ChildRow,
  countsOf,
  type EntityKind,
  type NestedData,
  type NodeRow,
  TRANSITION_COLUMNS,
  type TransitionRow,
} from "./nested-data.js";

export function sqliteNestedData(db: Database.Database): NestedData {
  let statements = 0;
  const prepare = (sql: string) => {
    const statement = db.prepare(sql);
    return (...params: unknown[]) => {
      statements++;
      return statement.all(...params);
    };
  };
  const missions = prepare(`SELECT "id", "status" FROM "Mission" ORDER BY "createdAt", "id" LIMIT ?`);
  const countMissions = prepare(`SELECT COUNT(*) AS n FROM "Mission"`);
  const perKind = <T>(make: (table: (typeof CHILD_TABLES)[ChildKind]) => T): Record<ChildKind, T> => ({
    jobs: make(CHILD_TABLES.jobs),
    cases: make(CHILD_TABLES.cases),
  });
  const children = perKind(({ table, parentColumn }) =>
    prepare(`SELECT "child"."id", "child"."status", "child".${parentColumn} AS "parentId"
       FROM (SELECT DISTINCT value AS "parentId" FROM json_each(?)) AS "parent"
       JOIN ${table} AS "child" ON "child".rowid IN (
         SELECT rowid FROM ${table} WHERE ${parentColumn} = "parent"."parentId" ORDER BY "createdAt", "id" LIMIT ?
       )
       ORDER BY "child".${parentColumn}, "child"."createdAt", "child"."id"`),
  );
  const childCounts = perKind(({ table, parentColumn }) =>
    prepare(`SELECT ${parentColumn} AS "parentId", COUNT(*) AS n FROM ${table}
       WHERE ${parentColumn} IN (SELECT value FROM json_each(?)) GROUP BY ${parentColumn}`),
  );
  const transitionStatement = (column: string) =>
    prepare(`SELECT "e"."entityId", "t"."event", "t"."toStatus", "t"."at"
       FROM (SELECT DISTINCT value AS "entityId" FROM json_each(?)) AS "e"
       JOIN "Transition" AS "t" ON "t".rowid IN (
         SELECT "id" FROM "Transition" WHERE ${column} = "e"."entityId" ORDER BY "id" DESC LIMIT ?
       )
       ORDER BY "e"."entityId", "t"."id" DESC`);
  const transitions = {
    MISSION: transitionStatement(TRANSITION_COLUMNS.MISSION),
    JOB: transitionStatement(TRANSITION_COLUMNS.JOB),
    CASE: transitionStatement(TRANSITION_COLUMNS.CASE),
  };

  return {
    missions: (limit) => missions(limit) as NodeRow[],
    countMissions: () => (countMissions()[0] as { n: number }).n,
    children: (kind, parentIds, limit) => children[kind](JSON.stringify(parentIds), limit) as ChildRow[],
    countChildren: (kind, parentIds) =>
      countsOf(parentIds, childCounts[kind](JSON.stringify(parentIds)) as { parentId: string; n: number }[]),
    transitions: (kind: EntityKind, entityIds, limit) =>
      (transitions[kind](JSON.stringify(entityIds), limit) as TransitionRow[]).map((t) => ({
        ...t,
        // Stored as ISO text with +00:00; casebook's DateTime prints it with Z.
        at: new Date(t.at).toISOString(),
      })),
    get statementsExecuted() {
      return statements;
    },
  };
}
