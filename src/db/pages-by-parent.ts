// One page per parent from the rows of one statement that read up to first + 1 rows of each
// parent in list order: the same on both engines, for every list kept per parent (transitions,
// case steps). Cursor keys are computed only when a cursor is read (keyset-page.ts).
import type { Page } from "../domain/entities.js";
import type { CursorList } from "./cursor.js";
import { groupBy } from "./group-by.js";
import { type CursorKey, KeysetPage } from "./keyset-page.js";

export function pagesByParent<T>(
  parentIds: readonly string[],
  rows: T[],
  parentOf: (row: T) => string,
  first: number,
  list: CursorList,
  keyOf: (row: T) => CursorKey,
): Map<string, Page<T>> {
  const byParent = groupBy(rows, parentOf);
  return new Map(
    parentIds.map((id) => {
      const all = byParent.get(id) ?? [];
      const items = all.slice(0, first);
      return [id, new KeysetPage(items, all.length > first, list, () => items.map(keyOf))];
    }),
  );
}
