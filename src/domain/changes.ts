// The change feed's records: one per write to an entity, in the order the writes committed.
// Pure: what a change is and which changes a filter keeps, for the feed's reads and its live
// fan-out alike.
import type { EntityType } from "./entities.js";
import type { EntityStatus, RecordedEvent } from "./lifecycle.js";

export const CHANGE_KINDS = ["CREATED", "UPDATED", "STEP_ADDED", "TRANSITIONED", "DELETED"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface ChangeRecord {
  /** Position in the feed: a reader sees them in increasing order, never one below a position it has read. */
  seq: number;
  entityType: EntityType;
  entityId: string;
  /** The mission a job or case is under (null for a mission, and for a job without one). */
  missionId: string | null;
  /** The job a case is under. */
  jobId: string | null;
  kind: ChangeKind;
  /** The status the write left; null for DELETED. */
  status: EntityStatus | null;
  /** The version the write left; null for DELETED. */
  version: number | null;
  /** The lifecycle event of a TRANSITIONED change. */
  event: RecordedEvent | null;
  at: Date;
  actor: string | null;
}

/** Which changes a reader wants; every condition given must hold. */
export interface ChangeFilter {
  entityTypes?: readonly EntityType[];
  ids?: readonly string[];
  /** The mission itself and everything under it. */
  missionId?: string;
  /** The job itself and its cases. */
  jobId?: string;
  kinds?: readonly ChangeKind[];
  statuses?: readonly EntityStatus[];
}

/** The same test the feed's SQL applies (db/change-sql.ts), for changes already read. */
export function changeMatches(change: ChangeRecord, filter: ChangeFilter): boolean {
  if (filter.entityTypes && !filter.entityTypes.includes(change.entityType)) return false;
  if (filter.ids && !filter.ids.includes(change.entityId)) return false;
  if (filter.missionId !== undefined && !isOrIsUnder(change, "Mission", change.missionId, filter.missionId)) {
    return false;
  }
  if (filter.jobId !== undefined && !isOrIsUnder(change, "Job", change.jobId, filter.jobId)) return false;
  if (filter.kinds && !filter.kinds.includes(change.kind)) return false;
  if (filter.statuses && (change.status === null || !filter.statuses.includes(change.status))) return false;
  return true;
}

function isOrIsUnder(change: ChangeRecord, type: EntityType, parentId: string | null, wanted: string): boolean {
  return parentId === wanted || (change.entityType === type && change.entityId === wanted);
}
