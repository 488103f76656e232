// Status counts as the engines' grouped statements return them, per parent.
import type { EntityStatus } from "../domain/lifecycle.js";
import type { StatusCounts } from "./store.js";

/** Rows of (parent, status, count) as each parent's counts; a parent without rows counts nothing. */
export function statusCountsByParent(
  parentIds: readonly string[],
  rows: readonly { parentId: string; status: EntityStatus; n: number | string }[],
): Map<string, StatusCounts> {
  const counts = new Map<string, Map<EntityStatus, number>>(parentIds.map((id) => [id, new Map()]));
  for (const row of rows) counts.get(row.parentId)?.set(row.status, Number(row.n));
  return counts;
}
