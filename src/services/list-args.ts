// The arguments of a list of missions, jobs or cases, checked and turned into what the store
// reads: a filter and a page in an order. Each refusal names its argument.
import type { ListOrder, OrderColumn } from "../db/list-order.js";
import { DEFAULT_ORDER, orderAllowed } from "../db/list-order.js";
import type { EntityFilter, EntityPageRequest, TimeRange } from "../db/store.js";
import type { EntityType } from "../domain/entities.js";
import { BadUserInputError } from "../domain/errors.js";
import { ENTITY_STATUSES, type EntityStatus, RUNNING_STATUSES } from "../domain/lifecycle.js";
import { lookupText, optionalText, pageSize, statusList } from "./validation.js";

/** Most ids one list may ask for: as many as the largest page holds. */
export const MAX_IDS = 500;
const MAX_SEARCH_LENGTH = 200;

export type OrderField = "CREATED_AT" | "UPDATED_AT" | "FINISHED_AT" | "NAME" | "TOTAL_COST";

const ORDER_COLUMNS: Record<OrderField, OrderColumn> = {
  CREATED_AT: "createdAt",
  UPDATED_AT: "updatedAt",
  FINISHED_AT: "finishedAt",
  NAME: "name",
  TOTAL_COST: "totalCostMicros",
};

export interface TimeRangeArgs {
  from?: Date | null;
  to?: Date | null;
}

/** Page arguments, forward (`first`, `after`) or backward (`last`, `before`). */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** What every list of missions, jobs or cases (top-level or nested) takes. */
export interface ListArgs extends PageArgs {
  status?: readonly string[] | null;
  orderBy?: { field?: OrderField | null; direction?: "ASC" | "DESC" | null } | null;
  ids?: readonly string[] | null;
  search?: string | null;
  createdAt?: TimeRangeArgs | null;
  updatedAt?: TimeRangeArgs | null;
  finishedAt?: TimeRangeArgs | null;
  running?: boolean | null;
}

/** The page a list reads: its size, cursors and direction; `first` and `last` together are refused. */
export function pageRequest(args: PageArgs): { first: number; after?: string; before?: string; backward: boolean } {
  const hasLast = args.last !== undefined && args.last !== null;
  if (hasLast && args.first !== undefined && args.first !== null) {
    throw new BadUserInputError(`"first" and "last" cannot be given together: page forward or backward`, "last");
  }
  return {
    first: hasLast ? pageSize(args.last, "last") : pageSize(args.first),
    after: args.after ?? undefined,
    before: args.before ?? undefined,
    backward: hasLast,
  };
}

function listOrder(entityType: EntityType, orderBy: ListArgs["orderBy"]): ListOrder {
  if (!orderBy) return DEFAULT_ORDER;
  const column = ORDER_COLUMNS[orderBy.field ?? "CREATED_AT"];
  const direction = orderBy.direction ?? "ASC";
  if (!orderAllowed(entityType, column)) {
    throw new BadUserInputError(`${entityType} lists cannot be ordered by ${String(orderBy.field)}`, "orderBy");
  }
  return column === DEFAULT_ORDER.column && direction === DEFAULT_ORDER.direction
    ? DEFAULT_ORDER
    : { column, direction };
}

/** The page of a list in its order. */
export function entityPageRequest(entityType: EntityType, args: ListArgs): EntityPageRequest {
  return { ...pageRequest(args), order: listOrder(entityType, args.orderBy) };
}

/** The filter the shared list arguments describe; each type adds its own (its parent). */
export function listFilter(args: ListArgs): EntityFilter {
  const filter: EntityFilter = {};
  const status = statusFilter(args.status, args.running);
  if (status) filter.status = status;
  if (args.ids !== undefined && args.ids !== null) filter.ids = idList(args.ids);
  const search = optionalText(args.search, "search", MAX_SEARCH_LENGTH);
  // An empty text is in every name: no filter at all.
  if (search) filter.search = search;
  for (const field of ["createdAt", "updatedAt", "finishedAt"] as const) {
    const range = timeRange(args[field], field);
    if (range) filter[field] = range;
  }
  return filter;
}

/** `status` and `running` together: the statuses both allow (none, when they disagree). */
function statusFilter(
  status: readonly string[] | null | undefined,
  running: boolean | null | undefined,
): EntityStatus[] | undefined {
  const listed = statusList(status);
  if (running === undefined || running === null) return listed;
  const wanted = ENTITY_STATUSES.filter((s) => RUNNING_STATUSES.includes(s) === running);
  return listed ? wanted.filter((s) => listed.includes(s)) : wanted;
}

function idList(ids: readonly string[]): string[] {
  if (ids.length > MAX_IDS) {
    throw new BadUserInputError(`"ids" may name at most ${MAX_IDS} ids, got ${ids.length}: ask in pages`, "ids");
  }
  return ids.map((id) => lookupText(id, "ids"));
}

function timeRange(range: TimeRangeArgs | null | undefined, field: string): TimeRange | undefined {
  if (!range) return undefined;
  const from = range.from ?? undefined;
  const to = range.to ?? undefined;
  if (from && to && from.getTime() > to.getTime()) {
    throw new BadUserInputError(`"${field}.from" is after "${field}.to"`, field);
  }
  return from || to ? { from, to } : undefined;
}
