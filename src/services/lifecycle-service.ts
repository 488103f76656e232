// Fires lifecycle events on any entity type: read, check the rule, then one atomic write of the
// status, version and audit row that applies only if the entity is still as it was read. An
// event that loses a race to another writer reads again and is judged on what it finds, so it
// ends as the rules say (applied, INVALID_TRANSITION or VERSION_CONFLICT) on every engine,
// without holding a lock between the read and the write. A rejected event writes nothing.

import { ENTITY_TABLES, recordToSnapshot, snapshotToRecord } from "../db/entity-tables.js";
import { IdempotencyKeyTakenError, type Store } from "../db/store.js";
import type { EntityRecordByType, EntityType } from "../domain/entities.js";
import { BadUserInputError, InvalidTransitionError, NotFoundError, VersionConflictError } from "../domain/errors.js";
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
import { lookupText, optionalKey, optionalText, optionalVersion } from "./validation.js";

/** What the caller asked for: an event by name, or a target status. */
export type TransitionRequest = { event: EntityEvent } | { to: EntityStatus };

export type Clock = () => Date;

/** Rounds of read-and-write an event may lose to other writers before it gives up. */
const MAX_ATTEMPTS = 20;

export class LifecycleService {
  constructor(private readonly clock: Clock) {}

  /**
   * Applies the event through `store` (the root store, or a transaction's) and returns the new
   * record.
   */
  async apply<T extends EntityType>(
    store: Store,
    entityType: T,
    id: string,
    request: TransitionRequest,
    options: EventOptions = {},
  ): Promise<EntityRecordByType[T]> {
    checkRequest(request);
    const expectedVersion = optionalVersion(options.expectedVersion);
    lookupText(id, "id");
    const idempotencyKey = optionalKey(options.idempotencyKey, "idempotencyKey", 200);
    const actor = optionalText(options.actor, "actor", 200) ?? null;
    const reason = optionalText(options.reason, "reason", 10_000) ?? null;
    const repo = store.entities[entityType];

    for (let attempt = 1; ; attempt++) {
      const context = await repo.transitionContext(id, idempotencyKey);
      if (!context) throw new NotFoundError(entityType, id);
      const { entity, earlier } = context;

      if (earlier) {
        const same = "event" in request ? earlier.event === request.event : earlier.toStatus === request.to;
        if (!same) {
          throw new BadUserInputError(
            `idempotencyKey "${idempotencyKey}" was already used on ${entityType} "${id}" for ${earlier.event}`,
            "idempotencyKey",
          );
        }
        // The retry gets what the first call got, even if the entity has moved on since.
        return earlier.resultSnapshot === null
          ? entity
          : snapshotToRecord(ENTITY_TABLES[entityType], earlier.resultSnapshot);
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
      const version = entity.version + 1;
      const result: EntityRecordByType[T] = {
        ...entity,
        status: to,
        version,
        updatedAt: at,
        finishedAt: entity.finishedAt ?? (finishes ? at : null),
      };
      const resultSnapshot = idempotencyKey === null ? null : recordToSnapshot(result);
      const write = { id, fromStatus: from, fromVersion: entity.version, toStatus: to, at, finishes };
      const audit = {
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
      };
      try {
        if (await repo.applyTransition(write, audit)) return result;
      } catch (error) {
        // A concurrent call with the same key got there first: the next read finds its result.
        if (!(error instanceof IdempotencyKeyTakenError)) throw error;
      }
      if (attempt >= MAX_ATTEMPTS) {
        throw new Error(`${entityType} "${id}" kept changing under ${MAX_ATTEMPTS} attempts to apply ${event}`);
      }
    }
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
