// A page of transitions per entity, from the rows of one statement that read up to first + 1
// of each entity's transitions in id order: the same on both engines.
import type { EntityType, Page, TransitionRecord } from "../domain/entities.js";
import { transitionList } from "./cursor.js";
import { groupBy } from "./group-by.js";
import { KeysetPage } from "./keyset-page.js";

export function transitionPagesByEntity(
  entityType: EntityType,
  entityIds: readonly string[],
  transitions: TransitionRecord[],
  first: number,
): Map<string, Page<TransitionRecord>> {
  const byEntity = groupBy(transitions, (t) => t.entityId);
  return new Map(
    entityIds.map((id) => {
      const all = byEntity.get(id) ?? [];
      const items = all.slice(0, first);
      return [id, new KeysetPage(items, all.length > first, transitionList(entityType), () => items.map((t) => [t.id]))];
    }),
  );
}
