// Plain records of the workflow entities as the services see them: no database or GraphQL types.

import type { EntityStatus, RecordedEvent } from "./lifecycle.js";

/** The three kinds of workflow entity; each has its record type in EntityRecordByType. */
export type EntityType = "Mission" | "Job" | "Case";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface EntityRecord {
  id: string;
  name: string;
  status: EntityStatus;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  /** While AWAITING with a deadline: when casebook fires TIMEOUT_OR_ERROR itself; null otherwise. */
  awaitingUntil: Date | null;
  metadata: JsonObject;
}

export interface MissionRecord extends EntityRecord {
  description: string | null;
}

export interface JobRecord extends EntityRecord {
  agentName: string;
  missionId: string | null;
  jobContext: JsonObject | null;
  payload: JsonValue | null;
  result: JsonValue | null;
  error: string | null;
  agentParameters: JsonValue | null;
}

export interface CaseRecord extends EntityRecord {
  jobId: string;
  description: string | null;
  /** Sum of the steps' costs, in micro-units (cost.ts). */
  totalCostMicros: number;
  finalDelivery: JsonValue | null;
  /** Why the case failed: its failing step's error, or the reason given with the failing event. */
  error: string | null;
}

export interface CaseUpdateRecord {
  caseId: string;
  index: number;
  name: string | null;
  /** In micro-units (cost.ts). */
  costMicros: number | null;
  payload: JsonValue | null;
  isFinal: boolean;
  error: string | null;
  at: Date;
}

export interface TransitionRecord {
  id: number;
  entityType: EntityType;
  entityId: string;
  event: RecordedEvent;
  fromStatus: EntityStatus;
  toStatus: EntityStatus;
  /** The entity's version after the transition. */
  version: number;
  at: Date;
  actor: string | null;
  reason: string | null;
  idempotencyKey: string | null;
}

export interface EntityRecordByType {
  Mission: MissionRecord;
  Job: JobRecord;
  Case: CaseRecord;
}

/** One page of a list ordered by (createdAt, id). */
export interface Page<T> {
  items: T[];
  /** Opaque cursor of each item, same order as items. */
  readonly cursors: string[];
  hasNextPage: boolean;
  /** Read backward (`last`): whether items come before the page; read forward: whether it began after a cursor. */
  hasPreviousPage: boolean;
}
