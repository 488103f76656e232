// Fires lifecycle events on any entity type. One transition is one database transaction:
// read, check the rule, conditional status+version update, audit row. A rejected event throws
// before anything is written, and the transaction rolls back whatever came before the throw.

import type { EntityRepository } from "../db/entity-repository.js";
import { recordToSnapshot, snapshotToRecord } from "../db/entity-tables.js";
import type { Repositories } from "../db/repositories.js";
import type { EntityRecordByType } from "../domain/entities.js";
import {
  BadUserInputError,
  type EntityType,
  InvalidTransitionError,
  NotFoundError,
  VersionConflictError,
} from "../domain/errors.js";
import {
  type EntityEvent,
  type EntityStatus,
  eventForTarget,
  isEntityEvent,
  isEntityStatus,
  isTerminal,
  nextStatus,
  validEvents,
} from "../domain/lifecycle.js";
import type { EventOptions } from "./event-options.js";
import { optionalText, optionalVersion } from "./validation.js";

/** What the caller asked for: an event by name, or a target status. */
export type TransitionRequest = { event: EntityEvent } | { to: EntityStatus };

export type Clock = () => Date;

export class LifecycleService {
  constructor(
    private readonly repos: Repositories,
    private readonly clock: Clock,
  ) {}

  /** Runs the event inside the caller's transaction (or its own) and returns the new record. */
  apply<T extends EntityType>(
    repo: EntityRepository<T>,
    id: string,
    request: TransitionRequest,
    options: EventOptions = {},
  ): EntityRecordByType[T] {
    checkRequest(request);
    const expectedVersion = optionalVersion(options.expectedVersion);
    const idempotencyKey = optionalText(options.idempotencyKey, "idempotencyKey", 200) ?? null;
    const actor = optionalText(options.actor, "actor", 200) ?? null;
    const reason = optionalText(options.reason, "reason", 10_000) ?? null;
    const entityType = repo.spec.entityType;

    return this.repos.transaction(() => {
      const entity = repo.findById(id);
      if (!entity) throw new NotFoundError(entityType, id);

      if (idempotencyKey !== null) {
        const earlier = this.repos.transitions.findByIdempotencyKey(entityType, id, idempotencyKey);
        if (earlier) {
          const { transition } = earlier;
          const same = "event" in request ? transition.event === request.event : transition.toStatus === request.to;
          if (!same) {
            throw new BadUserInputError(
              `idempotencyKey "${idempotencyKey}" was already used on ${entityType} "${id}" for ${transition.event}`,
              "idempotencyKey",
            );
          }
          // The retry gets what the first call got, even if the entity has moved on since.
          return earlier.resultSnapshot === null ? entity : snapshotToRecord(repo.spec, earlier.resultSnapshot);
        }
      }

      if (expectedVersion !== undefined && entity.version !== expectedVersion) {
        throw new VersionConflictError(entityType, id, expectedVersion, entity.version);
      }

      const from = entity.status;
      const event = "event" in request ? request.event : eventForTarget(from, request.to);
      const to = event === undefined ? undefined : nextStatus(from, event);
      if (event === undefined || to === undefined) {
        throw new InvalidTransitionError(entityType, id, from, request, validEvents(from));
      }

      const at = this.clock();
      const finishes = isTerminal(to);
      if (!repo.applyTransition({ id, fromStatus: from, fromVersion: entity.version, toStatus: to, at, finishes })) {
        // Unreachable while the write lock is held; kept so a broken invariant can never pass silently.
        throw new Error(`${entityType} "${id}" changed during its own transition`);
      }
      const version = entity.version + 1;
      const result: EntityRecordByType[T] = {
        ...entity,
        status: to,
        version,
        updatedAt: at,
        finishedAt: entity.finishedAt ?? (finishes ? at : null),
      };
      const resultSnapshot = idempotencyKey === null ? null : recordToSnapshot(result);
      this.repos.transitions.insert({
        entityType,
        entityId: id,
        event,
        fromStatus: from,
        toStatus: to,
        version,
        at,
        actor,
        reason,
        idempotencyKey,
        resultSnapshot,
      });
      return result;
    });
  }
}

function checkRequest(request: TransitionRequest): void {
  if ("event" in request && !isEntityEvent(request.event)) {
    throw new BadUserInputError(`unknown event ${String(request.event)}`, "event");
  }
  if ("to" in request && !isEntityStatus(request.to)) {
    throw new BadUserInputError(`unknown status ${String(request.to)}`, "to");
  }
}
