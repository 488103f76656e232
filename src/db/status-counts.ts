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

/**
 * A parent's counts as a statement that reads pages and counts together returns them: the number
 * (as text or a number), or with `byStatus` a JSON object of counts by status; null when the
 * filter matches none of its children.
 */
export function childCounts(
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
