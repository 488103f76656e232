// Domain errors, typed where they arise and mapped once at the edge (GraphQL) to the contract's
// `extensions.code`. Each carries exactly the extension fields the contract lists for it.
import type { EntityType } from "./entities.js";
import type { EntityEvent, EntityStatus } from "./lifecycle.js";

export type ErrorCode =
  | "NOT_FOUND"
  | "INVALID_TRANSITION"
  | "VERSION_CONFLICT"
  | "ALREADY_EXISTS"
  | "BAD_USER_INPUT"
  | "SERVICE_UNAVAILABLE"
  | "ENTITY_FINISHED"
  | "ENTITY_RUNNING"
  | "CURSOR_EXPIRED";

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  /** Fields the contract promises in `extensions`, next to `code`. */
  abstract readonly details: Record<string, unknown>;
}

export class NotFoundError extends DomainError {
  readonly code = "NOT_FOUND";
  constructor(
    readonly entityType: EntityType,
    readonly id: string,
  ) {
    super(`${entityType} "${id}" not found`);
  }
  get details() {
    return { entityType: this.entityType, id: this.id };
  }
}

export class AlreadyExistsError extends DomainError {
  readonly code = "ALREADY_EXISTS";
  constructor(
    readonly entityType: EntityType,
    readonly id: string,
  ) {
    super(`${entityType} "${id}" already exists`);
  }
  get details() {
    return { entityType: this.entityType, id: this.id };
  }
}

export class InvalidTransitionError extends DomainError {
  readonly code = "INVALID_TRANSITION";
  constructor(
    readonly entityType: EntityType,
    readonly id: string,
    readonly from: EntityStatus,
    readonly attempted: { event: EntityEvent } | { to: EntityStatus },
    readonly validEvents: readonly EntityEvent[],
  ) {
    const what = "event" in attempted ? `event ${attempted.event}` : `transition to ${attempted.to}`;
    super(
      `${entityType} "${id}" is ${from}: ${what} is not allowed (valid events: ${validEvents.join(", ") || "none"})`,
    );
  }
  get details() {
    return {
      entityType: this.entityType,
      id: this.id,
      from: this.from,
      ...this.attempted,
      validEvents: this.validEvents,
    };
  }
}

export class VersionConflictError extends DomainError {
  readonly code = "VERSION_CONFLICT";
  constructor(
    readonly entityType: EntityType,
    readonly id: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`${entityType} "${id}" is at version ${actual}, expected ${expected}`);
  }
  get details() {
    return { entityType: this.entityType, id: this.id, expected: this.expected, actual: this.actual };
  }
}

export class BadUserInputError extends DomainError {
  readonly code = "BAD_USER_INPUT";
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
  get details() {
    return this.field === undefined ? {} : { field: this.field };
  }
}

/** The database cannot be reached for now: nothing was done, and the same request may succeed later. */
export class ServiceUnavailableError extends DomainError {
  readonly code = "SERVICE_UNAVAILABLE";
  readonly details = {};
  constructor(message = "the database cannot be reached; try again shortly") {
    super(message);
  }
}

/** A change-feed cursor older than what the feed keeps: changes after it were pruned. */
export class CursorExpiredError extends DomainError {
  readonly code = "CURSOR_EXPIRED";
  constructor(
    readonly field: string,
    /** The oldest cursor still valid: the position pruning stopped at. */
    readonly oldestCursor: string,
  ) {
    super(
      `"${field}" is older than the changes casebook keeps: re-read the state you need, then resume from latestChangeCursor`,
    );
  }
  get details() {
    return { field: this.field, oldestCursor: this.oldestCursor };
  }
}
