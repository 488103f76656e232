// Deleting running work is deliberate: a delete without `force` refuses an entity that is
// running, or that has a running job or case under it, since its agents would go on working on
// records that are gone.
import type { Store } from "../db/store.js";
import type { EntityRecord, EntityType } from "../domain/entities.js";
import { isRunning } from "../domain/lifecycle.js";
import { EntityRunningError } from "../domain/workflow-errors.js";

/** ENTITY_RUNNING unless `entity` (read, and locked, in the transaction `tx`) may be deleted. */
export async function refuseRunningDelete(tx: Store, entityType: EntityType, entity: EntityRecord): Promise<void> {
  if (isRunning(entity.status)) throw new EntityRunningError(entityType, entity.id, `is ${entity.status}`);
  if (entityType !== "Case" && (await tx.workflow.hasRunningDescendants(entityType, entity.id))) {
    const under = entityType === "Mission" ? "a running job or case" : "a running case";
    throw new EntityRunningError(entityType, entity.id, `has ${under}`);
  }
}
