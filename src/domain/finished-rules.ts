// What may still happen to an entity once it, or a parent, is done. Pure: the services read the
// entity (and its parents) and ask these rules before writing anything.
import type { EntityRecord, EntityType } from "./entities.js";
import { type EntityStatus, isTerminal } from "./lifecycle.js";
import { EntityFinishedError } from "./workflow-errors.js";

/** A parent that takes no new or starting children: terminal, or on its way out. */
export function isClosedParent(status: EntityStatus): boolean {
  return status === "CANCELLING" || isTerminal(status);
}

/** A finished entity takes no edits, steps or new children; `what` says which was refused. */
export function refuseIfFinished(entityType: EntityType, entity: EntityRecord, what: string): void {
  if (isTerminal(entity.status)) throw new EntityFinishedError(entityType, entity.id, entity.status, what);
}

/** A parent of the entity being created or started, as the store reads it. */
export interface Ancestor {
  entityType: "Mission" | "Job";
  id: string;
  status: EntityStatus;
}

/** The nearest ancestor that takes no new or starting children, if any. */
export function closedAncestor(ancestors: readonly Ancestor[]): Ancestor | undefined {
  return ancestors.find((a) => isClosedParent(a.status));
}

/**
 * Refuses to create or start a child under a parent that is CANCELLING or terminal (a job's
 * mission; a case's job, or that job's mission). The error names that parent.
 */
export function refuseIfClosedAncestor(ancestors: readonly Ancestor[], what: string): void {
  const closed = closedAncestor(ancestors);
  if (closed) throw new EntityFinishedError(closed.entityType, closed.id, closed.status, what);
}
