// The one place where a list's variables are made from what the person chose, so that every
// list (missions, jobs, cases) pages and filters the same way.
import type { EntityStatus } from "./generated/graphql";

/** Rows per request of every list; "Load more" asks for the next as many. */
const PAGE_SIZE = 25;
/** Transitions and steps per request. */
export const HISTORY_PAGE_SIZE = 50;

export interface ListFilters {
  /** Only these statuses; empty for every status. */
  statuses: EntityStatus[];
}

export const NO_FILTERS: ListFilters = { statuses: [] };

export interface ListVariables {
  first: number;
  after: string | null;
  status: EntityStatus[] | null;
}

export function listVariables(filters: ListFilters, after: string | null): ListVariables {
  return {
    first: PAGE_SIZE,
    after,
    // The server refuses an empty status list: every status is said by leaving it out.
    status: filters.statuses.length > 0 ? filters.statuses : null,
  };
}
