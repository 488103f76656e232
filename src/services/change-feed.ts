// The change feed as the API reads it: pages of changes after a cursor, the feed's current end,
// the check that a cursor is still within what the feed keeps, and pruning past the retention.
import { decodeChangeCursor, encodeChangeCursor } from "../db/cursor.js";
import type { ChangeBounds, Store } from "../db/store.js";
import { CHANGE_KINDS, type ChangeFilter, type ChangeKind, type ChangeRecord } from "../domain/changes.js";
import type { EntityType } from "../domain/entities.js";
import { BadUserInputError, CursorExpiredError } from "../domain/errors.js";
import { FreshRead } from "./fresh-read.js";
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

export interface ChangePageArgs {
  after?: string | null;
  before?: string | null;
  first?: number | null;
  last?: number | null;
  filter?: ChangeFilterArgs | null;
  /** Oldest first (ASC, the default) or newest first (DESC). */
  orderBy?: { direction?: "ASC" | "DESC" | null } | null;
}

export interface ChangePage {
  items: ChangeRecord[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** Whether the page's cursors are of the newest-first order. */
  newestFirst: boolean;
}

export class ChangeFeedService {
  /** The feed's bounds, one read shared by the callers that ask together (fresh-read.ts). */
  private readonly bounds: FreshRead<ChangeBounds>;

  constructor(private readonly store: Store) {
    this.bounds = new FreshRead(() => store.changes.bounds());
  }

  /**
   * A page of the changes that pass the filter, oldest first or newest first: `first` after
   * `after`, or `last` before `before`. A cursor is one of the order it was read in.
   */
  async page(args: ChangePageArgs): Promise<ChangePage> {
    const hasLast = args.last !== undefined && args.last !== null;
    if (hasLast && args.first !== undefined && args.first !== null)
      throw new BadUserInputError(`"first" and "last" cannot be given together: page forward or backward`, "last");
    const size = hasLast ? pageSize(args.last, "last") : pageSize(args.first);
    const filter = checkedChangeFilter(args.filter);
    const newestFirst = args.orderBy?.direction === "DESC";
    const after = await this.cursorPosition(args.after, "after", newestFirst);
    const before = await this.cursorPosition(args.before, "before", newestFirst);
    // In seq terms: oldest first, `after` is the lower bound and `before` the upper; newest first,
    // the other way round. Paging backward reads from the far end of the range and turns the page.
    const lower = newestFirst ? before : after;
    const upper = newestFirst ? after : before;
    const readsNewestFirst = newestFirst !== hasLast;
    const rows = await this.store.changes.list(lower ?? 0, size + 1, filter, {
      before: upper,
      newestFirst: readsNewestFirst,
    });
    const more = rows.length > size;
    const items = rows.slice(0, size);
    if (hasLast) items.reverse();
    return {
      items,
      hasNextPage: hasLast ? args.before !== undefined && args.before !== null : more,
      hasPreviousPage: hasLast ? more : args.after !== undefined && args.after !== null,
      newestFirst,
    };
  }

  /** A page's cursor as a position, checked against what the feed still keeps. */
  private async cursorPosition(
    cursor: string | null | undefined,
    field: string,
    newestFirst: boolean,
  ): Promise<number | undefined> {
    if (cursor === undefined || cursor === null) return undefined;
    const seq = decodeChangeCursor(cursor, field, newestFirst);
    const { prunedThrough } = await this.bounds.get();
    if (seq < prunedThrough) throw new CursorExpiredError(field, encodeChangeCursor(prunedThrough, newestFirst));
    return seq;
  }

  /** The position after which a reader resumes: CURSOR_EXPIRED when changes after it were pruned. */
  async resumePoint(after: string | null | undefined, field: string): Promise<number> {
    if (after === undefined || after === null) return 0;
    const seq = decodeChangeCursor(after, field);
    const { prunedThrough } = await this.bounds.get();
    if (seq < prunedThrough) throw new CursorExpiredError(field, encodeChangeCursor(prunedThrough));
    return seq;
  }

  /** The cursor of the feed's current end: read state, then follow the feed from here. */
  async latestCursor(): Promise<string> {
    return encodeChangeCursor(await this.latestPosition());
  }

  async latestPosition(): Promise<number> {
    return (await this.bounds.get()).latest;
  }

  /** Removes the changes older than `retentionHours` before `now`; the audit history (transitions) stays. */
  prune(now: Date, retentionHours: number): Promise<number> {
    return this.store.changes.prune(new Date(now.getTime() - retentionHours * 3_600_000));
  }
}
