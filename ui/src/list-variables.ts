// The one place where a list's variables are made from what the person chose, so that every
// list (missions, jobs, cases) orders, filters, searches and pages the same way.
import type { EntityOrderField, EntityStatus, OrderDirection } from "./generated/graphql";

/** Rows per request of every list; "Load more" asks for the next as many. */
const PAGE_SIZE = 25;
/** Transitions and steps per request. */
export const HISTORY_PAGE_SIZE = 50;

/** The orders a person picks from; each is one orderBy the server pages by keyset. */
export const LIST_ORDERS = {
  newest: { label: "Newest first", field: "CREATED_AT", direction: "DESC" },
  oldest: { label: "Oldest first", field: "CREATED_AT", direction: "ASC" },
  updated: { label: "Recently updated", field: "UPDATED_AT", direction: "DESC" },
  name: { label: "Name A–Z", field: "NAME", direction: "ASC" },
} as const satisfies Record<string, { label: string; field: EntityOrderField; direction: OrderDirection }>;
export type ListOrder = keyof typeof LIST_ORDERS;

export interface ListFilters {
  /** Only these statuses; empty for every status. */
  statuses: EntityStatus[];
  /** Only running (true) or only not running (false) entities; null for both. */
  running: boolean | null;
  /** Text the name (or description) contains; empty for any. */
  search: string;
  /** Created on or after this day (yyyy-mm-dd, the reader's time zone); empty for no bound. */
  createdFrom: string;
  /** Created on or before this day (yyyy-mm-dd, the reader's time zone); empty for no bound. */
  createdTo: string;
  order: ListOrder;
}

export const NO_FILTERS: ListFilters = {
  statuses: [],
  running: null,
  search: "",
  createdFrom: "",
  createdTo: "",
  order: "newest",
};

/** Whether anything narrows the list (the order does not). */
export function isFiltered(filters: ListFilters): boolean {
  return (
    filters.statuses.length > 0 ||
    filters.running !== null ||
    filters.search.trim() !== "" ||
    filters.createdFrom !== "" ||
    filters.createdTo !== ""
  );
}

export interface ListVariables {
  first: number;
  after: string | null;
  status: EntityStatus[] | null;
  running: boolean | null;
  search: string | null;
  createdAt: { from: string | null; to: string | null } | null;
  orderBy: { field: EntityOrderField; direction: OrderDirection };
  /** Status counts come with the first page only: they ignore paging. */
  withCounts: boolean;
}

export function listVariables(filters: ListFilters, after: string | null): ListVariables {
  const { field, direction } = LIST_ORDERS[filters.order];
  const search = filters.search.trim();
  const from = startOfDay(filters.createdFrom, 0);
  // The server's range excludes its end: the day after the last day chosen.
  const to = startOfDay(filters.createdTo, 1);
  return {
    first: PAGE_SIZE,
    after,
    // The server refuses an empty status list: every status is said by leaving it out.
    status: filters.statuses.length > 0 ? filters.statuses : null,
    running: filters.running,
    search: search === "" ? null : search,
    createdAt: from || to ? { from, to } : null,
    orderBy: { field, direction },
    withCounts: after === null,
  };
}

/** Local midnight of `day` plus `addDays`, as an ISO time; null when no day is given. */
function startOfDay(day: string, addDays: number): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + addDays);
  return date.toISOString();
}
