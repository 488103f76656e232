// Fires lifecycle events on any entity type: read, check the rule, then one atomic write of the
// status, version and audit row that applies only if the entity is still as it was read. An
// event that loses a race to another writer reads again and is judged on what it finds, so it
// ends as the rules say (applied, INVALID_TRANSITION or VERSION_CONFLICT) on every engine,
// without holding a lock between the read and the write. A rejected event writes nothing.
//
// Around the status change: START_WORK of a job or case applies only while its parents are open
// (the write itself checks them, at no extra round trip); a cancel of a mission or job moves its
// running descendants in the same transaction; AWAITING_ON_INPUT may set a deadline, and input
// after it is refused; a failing event's reason is kept in the job's or case's `error`.

import { ENTITY_TABLES, recordToSnapshot, snapshotToRecord } from "../db/entity-tables.js";
import { IdempotencyKeyTakenError, type Store } from "../db/store.js";
import { cascadeAudit, cascadesCancel } from "../domain/cascade-rules.js";
import { deadlineOf, deadlinePassed } from "../domain/deadlines.js";
import type { CaseRecord, EntityRecord, EntityRecordByType, EntityType, JobRecord } from "../domain/entities.js";
import { BadUserInputError, InvalidTransitionError, NotFoundError, VersionConflictError } from "../domain/errors.js";
import { refuseIfClosedAncestor } from "../domain/finished-rules.js";
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
import { DeadlinePassedError } from "../domain/workflow-errors.js";
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
    lookupText(id, "id");
    const checked = checkOptions(options);
    if (!mayCascade(entityType, request, checked.cascade)) {
      return (await this.applyIn(store, entityType, id, request, checked)).record;
    }
    // The parent's move and its descendants' in one transaction: all of them, or none.
    return store.transaction(async (tx) => {
      const { record, applied } = await this.applyIn(tx, entityType, id, request, checked);
      if (applied && cascadesCancel(entityType, applied, checked.cascade)) {
        const audit = cascadeAudit(entityType, id, applied, checked.actor, checked.reason);
        await tx.workflow.cancelRunningDescendants(entityType, id, { at: record.updatedAt, ...audit });
      }
      return record;
    });
  }

  /** The event applied through `store`: the record it left, and the event if it was applied now (not a retry). */
  private async applyIn<T extends EntityType>(
    store: Store,
    entityType: T,
    id: string,
    request: TransitionRequest,
    options: CheckedOptions,
  ): Promise<{ record: EntityRecordByType[T]; applied?: EntityEvent }> {
    const { expectedVersion, idempotencyKey, actor, reason } = options;
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
        return {
          record:
            earlier.resultSnapshot === null
              ? entity
              : snapshotToRecord(ENTITY_TABLES[entityType], earlier.resultSnapshot),
        };
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
      const awaitingUntil = deadlineOf(event, options, at);
      if (event === "INPUT_RECEIVED" && deadlinePassed(entity, at)) {
        throw new DeadlinePassedError(
          entityType,
          id,
          entity.awaitingUntil!,
          validEvents(from).filter((e) => e !== event),
        );
      }
      const finishes = isTerminal(to);
      const version = entity.version + 1;
      // A job's or case's failure is kept where users look for it, not only in the history.
      const error = entityType !== "Mission" && reason !== null && FAILING_EVENTS.has(event) ? reason : undefined;
      const result: EntityRecordByType[T] = {
        ...entity,
        status: to,
        version,
        updatedAt: at,
        finishedAt: entity.finishedAt ?? (finishes ? at : null),
        awaitingUntil,
        ...(error === undefined ? {} : { error }),
      };
      const resultSnapshot = idempotencyKey === null ? null : recordToSnapshot(result);
      const guardAncestors = event === "START_WORK" && entityType !== "Mission";
      const write = {
        id,
        fromStatus: from,
        fromVersion: entity.version,
        toStatus: to,
        at,
        finishes,
        awaitingUntil,
        error,
        guardAncestors,
      };
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
        if (await repo.applyTransition(write, audit)) return { record: result, applied: event };
      } catch (error) {
        // A concurrent call with the same key got there first: the next read finds its result.
        if (!(error instanceof IdempotencyKeyTakenError)) throw error;
      }
      // A start the parents' guard refused: read them only now, when it did not apply.
      if (guardAncestors) await refuseStartUnderClosedParent(store, entityType, entity);
      if (attempt >= MAX_ATTEMPTS) {
        throw new Error(`${entityType} "${id}" kept changing under ${MAX_ATTEMPTS} attempts to apply ${event}`);
      }
    }
  }
}

const FAILING_EVENTS: ReadonlySet<EntityEvent> = new Set(["ERROR_ENCOUNTERED", "TIMEOUT_OR_ERROR"]);

interface CheckedOptions {
  expectedVersion: number | undefined;
  idempotencyKey: string | null;
  actor: string | null;
  reason: string | null;
  cascade: boolean;
  timeoutSeconds: number | null | undefined;
  awaitingUntil: Date | null | undefined;
}

function checkOptions(options: EventOptions): CheckedOptions {
  if (options.cascade !== undefined && options.cascade !== null && typeof options.cascade !== "boolean") {
    throw new BadUserInputError(`"cascade" must be true or false`, "cascade");
  }
  return {
    expectedVersion: optionalVersion(options.expectedVersion),
    idempotencyKey: optionalKey(options.idempotencyKey, "idempotencyKey", 200),
    actor: optionalText(options.actor, "actor", 200) ?? null,
    reason: optionalText(options.reason, "reason", 10_000) ?? null,
    cascade: options.cascade ?? true,
    timeoutSeconds: options.timeoutSeconds,
    awaitingUntil: options.awaitingUntil,
  };
}

/**
 * Whether the request can turn out to be a cancel that cascades, so that it must run in a
 * transaction; a request by target status is one when it targets CANCELLING.
 */
function mayCascade(entityType: EntityType, request: TransitionRequest, cascade: boolean): boolean {
  if ("to" in request) return cascade && entityType !== "Case" && request.to === "CANCELLING";
  return cascadesCancel(entityType, request.event, cascade);
}

/** ENTITY_FINISHED naming the parent of a job or case that is CANCELLING or terminal, if one is. */
async function refuseStartUnderClosedParent(store: Store, entityType: EntityType, entity: EntityRecord) {
  const parent = parentOf(entityType, entity);
  if (parent === undefined) return;
  refuseIfClosedAncestor(
    await store.workflow.ancestors(parent.type, parent.id),
    `no ${entityType.toLowerCase()} starts under it`,
  );
}

/** The parent of a job (its mission, if any) or of a case (its job). */
function parentOf(entityType: EntityType, entity: EntityRecord): { type: "Mission" | "Job"; id: string } | undefined {
  if (entityType === "Job") {
    const missionId = (entity as JobRecord).missionId;
    return missionId === null ? undefined : { type: "Mission", id: missionId };
  }
  if (entityType === "Case") return { type: "Job", id: (entity as CaseRecord).jobId };
  return undefined;
}

function checkRequest(request: TransitionRequest): void {
  if ("event" in request && !isEntityEvent(request.event)) {
    throw new BadUserInputError(`unknown event ${String(request.event)}`, "event");
  }
  if ("to" in request && !isEntityStatus(request.to)) {
    throw new BadUserInputError(`unknown status ${String(request.to)}`, "to");
  }
}
