// The errors of the rules that hold around status changes (finished-rules.ts): a finished entity
// takes no more work, and a running one is deleted only on purpose.
import type { EntityType } from "./entities.js";
import { DomainError, InvalidTransitionError } from "./errors.js";
import type { EntityEvent, EntityStatus } from "./lifecycle.js";

/**
 * An edit, a step or a new child on a terminal entity, or a new or starting child under a parent
 * that is CANCELLING or terminal. `entityType`, `id` and `status` name the finished entity (the
 * parent, when a child was refused because of it).
 */
export class EntityFinishedError extends DomainError {
  readonly code = "ENTITY_FINISHED";
  constructor(
    readonly entityType: EntityType,
    readonly id: string,
    readonly status: EntityStatus,
    what: string,
  ) {
    super(`${entityType} "${id}" is ${status}: ${what}`);
  }
  get details() {
    return { entityType: this.entityType, id: this.id, status: this.status };
  }
}

/** A delete of a running entity, or of one with running descendants, without `force: true`. */
export class EntityRunningError extends DomainError {
  readonly code = "ENTITY_RUNNING";
  constructor(
    readonly entityType: EntityType,
    readonly id: string,
    why: string,
  ) {
    super(`${entityType} "${id}" ${why}; delete it with force: true to delete it anyway`);
  }
  get details() {
    return { entityType: this.entityType, id: this.id };
  }
}

/** INPUT_RECEIVED after the wait's deadline: too late, whether or not the timeout has fired yet. */
export class DeadlinePassedError extends InvalidTransitionError {
  constructor(entityType: EntityType, id: string, deadline: Date, validEvents: EntityEvent[]) {
    super(entityType, id, "AWAITING", { event: "INPUT_RECEIVED" }, validEvents);
    this.message = `${entityType} "${id}" waited until ${deadline.toISOString()}: INPUT_RECEIVED came too late (valid events: ${validEvents.join(", ")})`;
  }
}
