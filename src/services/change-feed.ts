// The change feed as the API reads it: pages of changes after a cursor, the feed's current end,
// the check that a cursor is still within what the feed keeps, and pruning past the retention.
import { decodeChangeCursor, encodeChangeCursor } from "../db/cursor.js";
import type { Store } from "../db/store.js";
import { CHANGE_KINDS, type ChangeFilter, type ChangeKind, type ChangeRecord } from "../domain/changes.js";
import type { EntityType } from "../domain/entities.js";
import { BadUserInputError, CursorExpiredError } from "../domain/errors.js";
import { lookupText, pageSize, statusList } from "./validation.js";

/** A filter as a client sends it: every list, when given, must name at least one value. */
export interface ChangeFilterArgs {
  entityTypes?: readonly EntityType[] | null;
  ids?: readonly string[] | null;
  missionId?: string | null;
  jobId?: string | null;
  kinds?: readonly ChangeKind[] | null;
  statuses?: readonly string[] | null;
}

const ENTITY_TYPES: readonly EntityType[] = ["Mission", "Job", "Case"];

export function checkedChangeFilter(args: ChangeFilterArgs | null | undefined): ChangeFilter {
  if (!args) return {};
  const filter: ChangeFilter = {};
  const entityTypes = nonEmpty(args.entityTypes, "filter.entityTypes", (t) => ENTITY_TYPES.includes(t));
  if (entityTypes) filter.entityTypes = entityTypes;
  const ids = nonEmpty(args.ids, "filter.ids", (id) => typeof id === "string");
  if (ids) filter.ids = ids.map((id) => lookupText(id, "filter.ids"));
  if (args.missionId !== undefined && args.missionId !== null)
    filter.missionId = lookupText(args.missionId, "filter.missionId");
  if (args.jobId !== undefined && args.jobId !== null) filter.jobId = lookupText(args.jobId, "filter.jobId");
  const kinds = nonEmpty(args.kinds, "filter.kinds", (k) => CHANGE_KINDS.includes(k));
  if (kinds) filter.kinds = kinds;
  const statuses = statusList(args.statuses, "filter.statuses");
  if (statuses) filter.statuses = statuses;
  return filter;
}

function nonEmpty<V>(
  values: readonly V[] | null | undefined,
  field: string,
  known: (value: V) => boolean,
): V[] | undefined {
  if (values === undefined || values === null) return undefined;
  if (values.length === 0)
    throw new BadUserInputError(`"${field}" must name at least one value; leave it out for all`, field);
  for (const value of values) {
    if (!known(value)) throw new BadUserInputError(`"${field}" has an unknown value ${String(value)}`, field);
  }
  return [...values];
}

export interface ChangePage {
  items: ChangeRecord[];
  hasNextPage: boolean;
}

export class ChangeFeedService {
  constructor(private readonly store: Store) {}

  /** The changes after `after` (from the oldest kept when null) that pass `filter`, oldest first. */
  async page(
    after: string | null | undefined,
    first: number | null | undefined,
    filterArgs?: ChangeFilterArgs | null,
  ): Promise<ChangePage> {
    const size = pageSize(first);
    const filter = checkedChangeFilter(filterArgs);
    const from = await this.resumePoint(after, "after");
    const rows = await this.store.changes.list(from, size + 1, filter);
    return { items: rows.slice(0, size), hasNextPage: rows.length > size };
  }

  /** The position after which a reader resumes: CURSOR_EXPIRED when changes after it were pruned. */
  async resumePoint(after: string | null | undefined, field: string): Promise<number> {
    if (after === undefined || after === null) return 0;
    const seq = decodeChangeCursor(after, field);
    const { prunedThrough } = await this.store.changes.bounds();
    if (seq < prunedThrough) throw new CursorExpiredError(field, encodeChangeCursor(prunedThrough));
    return seq;
  }

  /** The cursor of the feed's current end: read state, then follow the feed from here. */
  async latestCursor(): Promise<string> {
    return encodeChangeCursor(await this.latestPosition());
  }

  async latestPosition(): Promise<number> {
    return (await this.store.changes.bounds()).latest;
  }

  /** Removes the changes older than `retentionHours` before `now`; the audit history (transitions) stays. */
  prune(now: Date, retentionHours: number): Promise<number> {
    return this.store.changes.prune(new Date(now.getTime() - retentionHours * 3_600_000));
  }
}
