// One page per parent from the rows of one statement that read up to first + 1 rows of each
// parent in reading order: the same on both engines, for every list kept per parent (transitions,
// case steps). A page read backward (`last`) was read from its end and is turned around here.
// Cursor keys are computed only when a cursor is read (keyset-page.ts).
import type { Page } from "../domain/entities.js";
import type { CursorList } from "./cursor.js";
import { groupBy } from "./group-by.js";
import { type CursorKey, KeysetPage } from "./keyset-page.js";
import type { PageRequest } from "./store.js";

export function pagesByParent<T>(
  parentIds: readonly string[],
  rows: T[],
  parentOf: (row: T) => string,
  page: PageRequest,
  list: CursorList,
  keyOf: (row: T) => CursorKey,
): Map<string, Page<T>> {
  const byParent = groupBy(rows, parentOf);
  return new Map(
    parentIds.map((id) => {
      const all = byParent.get(id) ?? [];
      const more = all.length > page.first;
      const items = all.slice(0, page.first);
      if (page.backward) items.reverse();
      return [
        id,
        new KeysetPage(
          items,
          page.backward ? page.before !== undefined : more,
          list,
          () => items.map(keyOf),
          page.backward ? more : page.after !== undefined,
        ),
      ];
    }),
  );
}
