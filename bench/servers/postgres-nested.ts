// The nested reads' statements on PostgreSQL (nested-data.ts), as casebook writes them in
// src/db/postgres/pg-entity-repository.ts and pg-transition-repository.ts: the parents' ids as one
// text[] parameter, a LATERAL page per parent; prepared by name like the baselines' other
// statements (postgres.ts).
import type pg from "pg";
import {
  CHILD_TABLES,
  type ChildKind,
  type ChildRow,
  countsOf,
  type EntityKind,
  type NestedData,
  type NodeRow,
  TRANSITION_COLUMNS,
} from "./nested-data.js";

export type Query = <R extends pg.QueryResultRow>(
  name: string,
  text: string,
  values: unknown[],
) => Promise<pg.QueryResult<R>>;

const childPagesSql = (kind: ChildKind) => {
  const { table, parentColumn } = CHILD_TABLES[kind];
  return `SELECT "child"."id", "child"."status", "child"."parentId"
     FROM (SELECT DISTINCT unnest($1::text[]) AS "parentId") AS "parent"
     CROSS JOIN LATERAL (
       SELECT "id", "status", ${parentColumn} AS "parentId", "createdAt" FROM ${table}
       WHERE ${parentColumn} = "parent"."parentId" ORDER BY "createdAt", "id" LIMIT $2
     ) AS "child"
     ORDER BY "child"."parentId", "child"."createdAt", "child"."id"`;
};

const childCountsSql = (kind: ChildKind) => {
  const { table, parentColumn } = CHILD_TABLES[kind];
  return `SELECT ${parentColumn} AS "parentId", COUNT(*)::int AS n FROM ${table}
     WHERE ${parentColumn} = ANY($1::text[]) GROUP BY ${parentColumn}`;
};

const transitionsSql = (kind: EntityKind) => `SELECT "e"."entityId", "t"."event", "t"."toStatus", "t"."at"
   FROM (SELECT DISTINCT unnest($1::text[]) AS "entityId") AS "e"
   CROSS JOIN LATERAL (
     SELECT "id", "event", "toStatus", "at" FROM "Transition"
     WHERE ${TRANSITION_COLUMNS[kind]} = "e"."entityId" ORDER BY "id" DESC LIMIT $2
   ) AS "t"
   ORDER BY "e"."entityId", "t"."id" DESC`;

export function postgresNestedData(query: Query): NestedData {
  let statements = 0;
  const run = <R extends pg.QueryResultRow>(name: string, text: string, values: unknown[]) => {
    statements++;
    return query<R>(name, text, values).then((result) => result.rows);
  };
  return {
    missions: (limit) =>
      run<NodeRow>("nested-missions", `SELECT "id", "status" FROM "Mission" ORDER BY "createdAt", "id" LIMIT $1`, [
        limit,
      ]),
    countMissions: async () =>
      (await run<{ n: number }>("nested-count-missions", `SELECT COUNT(*)::int AS n FROM "Mission"`, []))[0]!.n,
    children: (kind, parentIds, limit) => run<ChildRow>(`nested-${kind}`, childPagesSql(kind), [parentIds, limit]),
    countChildren: async (kind, parentIds) =>
      countsOf(
        parentIds,
        await run<{ parentId: string; n: number }>(`nested-count-${kind}`, childCountsSql(kind), [parentIds]),
      ),
    transitions: async (kind, entityIds, limit) =>
      (
        await run<{ entityId: string; event: string; toStatus: string; at: Date }>(
          `nested-transitions-${kind}`,
          transitionsSql(kind),
          [entityIds, limit],
        )
      ).map((t) => ({ ...t, at: t.at.toISOString() })),
    get statementsExecuted() {
      return statements;
    },
  };
}
