// How the Apollo floor batches the nested reads per level, as casebook's loaders do: the rows of
// one level (the missions of a page, then all their jobs, then all those jobs' cases) share a
// Level, and the first resolver that needs the children, counts or transitions of any row of it
// loads them for every row of it in one statement (nested-data.ts). Synchronous on SQLite, one
// shared promise per level on PostgreSQL; no promise per key.
import { type MaybePromise, settle } from "./baseline-data.js";
import { NEXT } from "./baseline-rules.js";
import { byParent, type ChildKind, type EntityKind, type NestedData, type NodeRow } from "./nested-data.js";

const levels = new WeakMap<object, Level>();

class Level {
  private readonly loads = new Map<string, MaybePromise<unknown>>();
  readonly ids: string[];

  constructor(
    readonly kind: EntityKind,
    rows: readonly NodeRow[],
  ) {
    this.ids = rows.map((row) => row.id);
    for (const row of rows) levels.set(row, this);
  }

  once<T>(key: string, load: () => MaybePromise<T>): MaybePromise<T> {
    let value = this.loads.get(key) as MaybePromise<T> | undefined;
    if (value === undefined) {
      value = load();
      this.loads.set(key, value);
    }
    return value;
  }
}

function levelOf(row: NodeRow): Level {
  const level = levels.get(row);
  if (!level) throw new Error(`row ${row.id} was not read as part of a level`);
  return level;
}

/** Whether `row` came from a nested read (and so has siblings to batch with). */
export const inLevel = (row: object): boolean => levels.has(row);

/** A connection whose totalCount is read only when asked for. */
export class NestedConnection<N> {
  constructor(
    readonly edges: { node: N }[],
    private readonly count: () => MaybePromise<number>,
  ) {}

  get totalCount(): MaybePromise<number> {
    return this.count();
  }
}

const CHILD_ENTITY: Record<ChildKind, EntityKind> = { jobs: "JOB", cases: "CASE" };

/** The first page of missions, the first level. */
export function missionsConnection(data: NestedData, first: number): MaybePromise<NestedConnection<NodeRow>> {
  return settle(
    () => data.missions(first + 1),
    (rows) => {
      const page = rows.slice(0, first);
      new Level("MISSION", page);
      return new NestedConnection(
        page.map((node) => ({ node })),
        () => data.countMissions(),
      );
    },
  );
}

/** The first page of `parent`'s children, loaded with those of every row of its level. */
export function childConnection(
  data: NestedData,
  parent: NodeRow,
  kind: ChildKind,
  first: number,
): MaybePromise<NestedConnection<NodeRow>> {
  const level = levelOf(parent);
  const pages = level.once(`${kind}:${first}`, () =>
    settle(
      () => data.children(kind, level.ids, first + 1),
      (rows) => {
        const pages = new Map<string, NodeRow[]>();
        for (const [id, children] of byParent(level.ids, rows, (row) => row.parentId))
          pages.set(id, children.slice(0, first));
        new Level(CHILD_ENTITY[kind], [...pages.values()].flat());
        return pages;
      },
    ),
  );
  const count = () =>
    settle(
      () => level.once(`count:${kind}`, () => data.countChildren(kind, level.ids)),
      (counts) => counts.get(parent.id)!,
    );
  return settle(
    () => pages,
    (byId) =>
      new NestedConnection(
        byId.get(parent.id)!.map((node) => ({ node })),
        count,
      ),
  );
}

/**
 * The latest transitions of `entity`, newest first, loaded with those of every row of its level
 * (the reads ask for no count of them).
 */
export function transitionsConnection(data: NestedData, entity: NodeRow, first: number) {
  const level = levelOf(entity);
  return settle(
    () =>
      level.once(`transitions:${first}`, () =>
        settle(
          () => data.transitions(level.kind, level.ids, first + 1),
          (rows) => byParent(level.ids, rows, (row) => row.entityId),
        ),
      ),
    (byId) => ({
      edges: byId
        .get(entity.id)!
        .slice(0, first)
        .map((node) => ({ node })),
    }),
  );
}

/** Events that may fire from `status`, in the lifecycle table's order. */
export const validEvents = (status: string): string[] => Object.keys(NEXT[status] ?? {});
