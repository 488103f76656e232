// A page of transitions per entity, from the rows of one statement that read up to first + 1
// of each entity's transitions in reading order: the same on both engines. The list is in id
// order (the order the transitions were recorded), oldest or newest first, read forward or back.
import type { EntityType, Page, TransitionRecord } from "../domain/entities.js";
import { decodeTransitionCursor, transitionList } from "./cursor.js";
import { pagesByParent } from "./pages-by-parent.js";
import type { PageRequest } from "./store.js";

export type TransitionPageRequest = PageRequest & { newestFirst?: boolean };

/** Whether the statement reads ids in descending order. */
export function transitionsDescending(page: TransitionPageRequest): boolean {
  return (page.newestFirst === true) !== (page.backward === true);
}

/** The bounds the page's cursors put on ids: each an operator and an id. */
export function transitionBounds(entityType: EntityType, page: TransitionPageRequest): [">" | "<", number][] {
  const bounds: [">" | "<", number][] = [];
  const newest = page.newestFirst === true;
  if (page.after !== undefined) {
    bounds.push([newest ? "<" : ">", decodeTransitionCursor(page.after, entityType, "after", newest)]);
  }
  if (page.before !== undefined) {
    bounds.push([newest ? ">" : "<", decodeTransitionCursor(page.before, entityType, "before", newest)]);
  }
  return bounds;
}

export function transitionPagesByEntity(
  entityType: EntityType,
  entityIds: readonly string[],
  transitions: TransitionRecord[],
  page: TransitionPageRequest,
): Map<string, Page<TransitionRecord>> {
  return pagesByParent(
    entityIds,
    transitions,
    (t) => t.entityId,
    page,
    transitionList(entityType, page.newestFirst === true),
    (t) => [t.id],
  );
}
