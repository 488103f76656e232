// Status counts as the engines' grouped statements return them, per parent.
import type { EntityStatus } from "../domain/lifecycle.js";
import type { CaseTotals, StatusCounts } from "./store.js";

/** Rows of (parent, status, count) as each parent's counts; a parent without rows counts nothing. */
export function statusCountsByParent(
  parentIds: readonly string[],
  rows: readonly { parentId: string; status: EntityStatus; n: number | string }[],
): Map<string, StatusCounts> {
  const counts = new Map<string, Map<EntityStatus, number>>(parentIds.map((id) => [id, new Map()]));
  for (const row of rows) counts.get(row.parentId)?.set(row.status, Number(row.n));
  return counts;
}

/** Where a row of a statement reading pages with their counts (countedPagesByParents) keeps what. */
export interface CountedRowReader<R> {
  /** The parent of a row standing for an empty page (it holds no child), else null. */
  emptyParent(row: R): string | null;
  /** The parent of a child's row. */
  parent(row: R): string;
  /** The parent's counts, on its first row: the number, or a JSON object of counts by status. */
  counts(row: R): string | number | null;
}

/**
 * Each parent's page (`toPage` of its children's rows, in the statement's order) and its counts,
 * from the rows of a statement that reads them together: counts by status with `byStatus`, else
 * the number alone. A parent without rows has an empty page and counts nothing.
 */
export function countedChildrenByParent<R, P>(
  parentIds: readonly string[],
  rows: readonly R[],
  reader: CountedRowReader<R>,
  byStatus: boolean,
  toPage: (rows: R[]) => P,
): Map<string, { page: P; totalCount: number; statusCounts?: StatusCounts }> {
  const byParent = new Map<string, { rows: R[]; counts: string | number | null }>();
  for (const row of rows) {
    const emptyParent = reader.emptyParent(row);
    const parentId = emptyParent ?? reader.parent(row);
    let entry = byParent.get(parentId);
    if (entry === undefined) {
      entry = { rows: [], counts: reader.counts(row) };
      byParent.set(parentId, entry);
    }
    if (emptyParent === null) entry.rows.push(row);
  }
  return new Map(
    parentIds.map((id) => {
      const entry = byParent.get(id);
      return [id, { page: toPage(entry?.rows ?? []), ...childCounts(entry?.counts ?? null, byStatus) }];
    }),
  );
}

/** A parent's counts as countedChildrenByParent reads them; null when the filter matches none. */
function childCounts(
  value: string | number | null,
  byStatus: boolean,
): { totalCount: number; statusCounts?: StatusCounts } {
  if (!byStatus) return { totalCount: Number(value ?? 0) };
  const counts = value === null ? {} : (JSON.parse(String(value)) as Record<string, number>);
  const statusCounts = new Map(Object.entries(counts).map(([status, n]) => [status as EntityStatus, Number(n)]));
  let totalCount = 0;
  for (const n of statusCounts.values()) totalCount += n;
  return { totalCount, statusCounts };
}

/**
 * Rows of (parent, status, count, summed micro-units) as each parent's case totals: the cost is
 * the sum over its statuses (exact: every total stays below 2^53 micro-units, domain/cost.ts).
 */
export function caseTotalsByParent(
  parentIds: readonly string[],
  rows: readonly { parentId: string; status: EntityStatus; n: number | string; micros: number | string | null }[],
): Map<string, CaseTotals> {
  const counts = statusCountsByParent(parentIds, rows);
  const micros = new Map<string, number>(parentIds.map((id) => [id, 0]));
  for (const row of rows) {
    const sum = micros.get(row.parentId);
    if (sum !== undefined) micros.set(row.parentId, sum + Number(row.micros ?? 0));
  }
  return new Map(parentIds.map((id) => [id, { costMicros: micros.get(id)!, statusCounts: counts.get(id)! }]));
}
