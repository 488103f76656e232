// What the baselines read for the nested reads (bench/lib/nested-reads.ts), one statement per
// level as casebook does: a page of missions, then the first page of children of every parent of
// the level, counts per parent, the latest transitions per entity. Each engine writes the
// statements out raw (sqlite-nested.ts, postgres-nested.ts) and reads only the columns the reads
// return; the statements run are counted, so the benchmark can report them per request.
import type { MaybePromise } from "./baseline-data.js";

export interface NodeRow {
  id: string;
  status: string;
}

/** A child with the parent it belongs to. */
export interface ChildRow extends NodeRow {
  parentId: string;
}

export interface TransitionRow {
  entityId: string;
  event: string;
  toStatus: string;
  /** ISO 8601 at UTC, as casebook's DateTime prints it. */
  at: string;
}

export type ChildKind = "jobs" | "cases";
export type EntityKind = "MISSION" | "JOB" | "CASE";

export interface NestedData {
  /** The first `limit` missions by createdAt, then id. */
  missions(limit: number): MaybePromise<NodeRow[]>;
  countMissions(): MaybePromise<number>;
  /** Up to `limit` children of each parent, by createdAt, then id: one statement for all parents. */
  children(kind: ChildKind, parentIds: readonly string[], limit: number): MaybePromise<ChildRow[]>;
  countChildren(kind: ChildKind, parentIds: readonly string[]): MaybePromise<Map<string, number>>;
  /** Up to `limit` transitions of each entity, newest first: one statement for all entities. */
  transitions(kind: EntityKind, entityIds: readonly string[], limit: number): MaybePromise<TransitionRow[]>;
  /** Statements run so far (each one round trip on PostgreSQL). */
  readonly statementsExecuted: number;
}

/** The rows of each parent, in the parents' order; a parent without rows gets an empty list. */
export function byParent<R>(
  parentIds: readonly string[],
  rows: readonly R[],
  parentOf: (row: R) => string,
): Map<string, R[]> {
  const groups = new Map<string, R[]>(parentIds.map((id) => [id, []]));
  for (const row of rows) groups.get(parentOf(row))?.push(row);
  return groups;
}

/** Counts as a map over every parent asked for (0 for a parent without rows). */
export function countsOf(parentIds: readonly string[], rows: readonly { parentId: string; n: number | string }[]) {
  const counts = new Map(rows.map((r) => [r.parentId, Number(r.n)]));
  return new Map(parentIds.map((id) => [id, counts.get(id) ?? 0]));
}

/** The table and parent column of each child kind, and the Transition column of each entity. */
export const CHILD_TABLES: Record<ChildKind, { table: string; parentColumn: string }> = {
  jobs: { table: '"Job"', parentColumn: '"missionId"' },
  cases: { table: '"Case"', parentColumn: '"jobId"' },
};
export const TRANSITION_COLUMNS: Record<EntityKind, string> = {
  MISSION: '"missionId"',
  JOB: '"jobId"',
  CASE: '"caseId"',
};
