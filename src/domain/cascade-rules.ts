// Cancels cascade: a cancel request on a mission or a job moves every running descendant to
// CANCELLING with it. Pure: which events cascade, and what the descendants' audit rows say.
import type { EntityType } from "./entities.js";
import type { EntityEvent } from "./lifecycle.js";

export type ParentType = "Mission" | "Job";

/** Whether `event` on an entity of `entityType` cancels its running descendants too. */
export function cascadesCancel(entityType: EntityType, event: EntityEvent, cascade: boolean): entityType is ParentType {
  return cascade && entityType !== "Case" && (event === "CANCEL_REQUESTED" || event === "CANCEL_WHILE_WAITING");
}

/**
 * The actor and reason of each descendant's transition row: the actor names the parent the cancel
 * came from, and the reason repeats who asked and why.
 */
export function cascadeAudit(
  parentType: ParentType,
  parentId: string,
  event: EntityEvent,
  actor: string | null,
  reason: string | null,
): { actor: string; reason: string } {
  const by = actor === null ? "" : ` by ${actor}`;
  const why = reason === null ? "" : `: ${reason}`;
  return {
    actor: `${parentType}:${parentId}`,
    reason: `cancelled with its ${parentType.toLowerCase()} "${parentId}" (${event}${by})${why}`,
  };
}
