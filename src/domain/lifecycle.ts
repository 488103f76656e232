// The one state machine shared by Mission, Job and Case. Pure: no I/O, no framework types.

export const ENTITY_STATUSES = [
  "STOPPED",
  "IN_PROGRESS",
  "CANCELLING",
  "AWAITING",
  "COMPLETED",
  "FAILED",
  "CANCELLED",
] as const;
export type EntityStatus = (typeof ENTITY_STATUSES)[number];

export const ENTITY_EVENTS = [
  "START_WORK",
  "SUCCESSFULLY_DONE",
  "AWAITING_ON_INPUT",
  "CANCEL_REQUESTED",
  "ERROR_ENCOUNTERED",
  "TIMEOUT_OR_ERROR",
  "INPUT_RECEIVED",
  "CANCEL_WHILE_WAITING",
  "CANCEL_CONFIRMED",
] as const;
export type EntityEvent = (typeof ENTITY_EVENTS)[number];

/**
 * The event of the one transition an import records for an entity that arrives with a status
 * other than STOPPED (from STOPPED to that status). No lifecycle rule leads through it, so it
 * can never be sent: it only appears in histories.
 */
export const IMPORTED_EVENT = "IMPORTED";

/** Every event a transition row may name: the lifecycle's, and IMPORTED. */
export const RECORDED_EVENTS = [...ENTITY_EVENTS, IMPORTED_EVENT] as const;
export type RecordedEvent = (typeof RECORDED_EVENTS)[number];

export interface LifecycleTransition {
  readonly event: EntityEvent;
  readonly from: EntityStatus;
  readonly to: EntityStatus;
}

/** The lifecycle table, in the contract's order. */
export const LIFECYCLE: readonly LifecycleTransition[] = Object.freeze([
  { event: "START_WORK", from: "STOPPED", to: "IN_PROGRESS" },
  { event: "SUCCESSFULLY_DONE", from: "IN_PROGRESS", to: "COMPLETED" },
  { event: "AWAITING_ON_INPUT", from: "IN_PROGRESS", to: "AWAITING" },
  { event: "CANCEL_REQUESTED", from: "IN_PROGRESS", to: "CANCELLING" },
  { event: "ERROR_ENCOUNTERED", from: "IN_PROGRESS", to: "FAILED" },
  { event: "TIMEOUT_OR_ERROR", from: "AWAITING", to: "FAILED" },
  { event: "INPUT_RECEIVED", from: "AWAITING", to: "IN_PROGRESS" },
  { event: "CANCEL_WHILE_WAITING", from: "AWAITING", to: "CANCELLING" },
  { event: "CANCEL_CONFIRMED", from: "CANCELLING", to: "CANCELLED" },
] as const);

export const RUNNING_STATUSES: readonly EntityStatus[] = ["IN_PROGRESS", "CANCELLING", "AWAITING"];
export const TERMINAL_STATUSES: readonly EntityStatus[] = ["COMPLETED", "FAILED", "CANCELLED"];
export const ANOMALY_STATUSES: readonly EntityStatus[] = ["CANCELLING", "CANCELLED", "FAILED"];

export const INITIAL_STATUS: EntityStatus = "STOPPED";

export function isEntityStatus(value: unknown): value is EntityStatus {
  return typeof value === "string" && (ENTITY_STATUSES as readonly string[]).includes(value);
}

export function isEntityEvent(value: unknown): value is EntityEvent {
  return typeof value === "string" && (ENTITY_EVENTS as readonly string[]).includes(value);
}

export const isRunning = (status: EntityStatus): boolean => RUNNING_STATUSES.includes(status);
export const isTerminal = (status: EntityStatus): boolean => TERMINAL_STATUSES.includes(status);
export const isAnomaly = (status: EntityStatus): boolean => ANOMALY_STATUSES.includes(status);

/** Events that may fire from `status`, in table order. */
// Looked up for every entity a list shows: computed once per status.
const VALID_EVENTS: ReadonlyMap<EntityStatus, readonly EntityEvent[]> = new Map(
  ENTITY_STATUSES.map((status) => [
    status,
    Object.freeze(LIFECYCLE.filter((t) => t.from === status).map((t) => t.event)),
  ]),
);

export function validEvents(status: EntityStatus): readonly EntityEvent[] {
  return VALID_EVENTS.get(status) ?? [];
}

/** The status `event` leads to from `from`, or undefined when the event is not allowed there. */
export function nextStatus(from: EntityStatus, event: EntityEvent): EntityStatus | undefined {
  return LIFECYCLE.find((t) => t.from === from && t.event === event)?.to;
}

export function canTransition(from: EntityStatus, event: EntityEvent): boolean {
  return nextStatus(from, event) !== undefined;
}

/**
 * The single event that leads from `from` to `to`, or undefined when none does. The table has at
 * most one event per (from, to) pair, which the domain tests check.
 */
export function eventForTarget(from: EntityStatus, to: EntityStatus): EntityEvent | undefined {
  const matches = LIFECYCLE.filter((t) => t.from === from && t.to === to);
  return matches.length === 1 ? matches[0]!.event : undefined;
}

/**
 * The shortest run of transitions that brings a new entity (INITIAL_STATUS) to `status`, the
 * first in table order where several are as short; empty for INITIAL_STATUS itself. Every status
 * can be reached, which the domain tests check.
 */
export function pathTo(status: EntityStatus): LifecycleTransition[] {
  const paths = new Map<EntityStatus, LifecycleTransition[]>([[INITIAL_STATUS, []]]);
  const queue: EntityStatus[] = [INITIAL_STATUS];
  for (let from = queue.shift(); from !== undefined; from = queue.shift()) {
    for (const t of LIFECYCLE) {
      if (t.from === from && !paths.has(t.to)) {
        paths.set(t.to, [...paths.get(from)!, t]);
        queue.push(t.to);
      }
    }
  }
  const path = paths.get(status);
  if (!path) throw new Error(`${status} cannot be reached from ${INITIAL_STATUS}`);
  return path;
}

/** The state machine as a Mermaid `stateDiagram-v2`, for docs and the `lifecycle` query. */
export function lifecycleMermaid(): string {
  const lines = ["stateDiagram-v2", `    [*] --> ${INITIAL_STATUS}`];
  for (const t of LIFECYCLE) lines.push(`    ${t.from} --> ${t.to}: ${t.event}`);
  for (const s of TERMINAL_STATUSES) lines.push(`    ${s} --> [*]`);
  return lines.join("\n");
}
