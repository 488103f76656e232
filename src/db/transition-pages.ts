// A page of transitions per entity, from the rows of one statement that read up to first + 1
// of each entity's transitions in id order: the same on both engines.
import type { EntityType, Page, TransitionRecord } from "../domain/entities.js";
import { transitionList } from "./cursor.js";
import { pagesByParent } from "./pages-by-parent.js";

export function transitionPagesByEntity(
  entityType: EntityType,
  entityIds: readonly string[],
  transitions: TransitionRecord[],
  first: number,
): Map<string, Page<TransitionRecord>> {
  return pagesByParent(
    entityIds,
    transitions,
    (t) => t.entityId,
    first,
    transitionList(entityType),
    (t) => [t.id],
  );
}
