// Where a PostgreSQL statement runs: the pool (each statement on its own, committed at once) or
// the one client of an open transaction. Counts statements, since each is a round trip.
import type pg from "pg";
import { BadUserInputError, ServiceUnavailableError } from "../../domain/errors.js";
import { isTimeout, isUnreachable, isUnstorableText } from "./pg-errors.js";

export type PgParam = string | number | boolean | null | readonly (string | null)[];

export interface PgSession {
  query<R extends pg.QueryResultRow = Record<string, unknown>>(
    sql: string,
    params?: readonly PgParam[],
  ): Promise<pg.QueryResult<R>>;
  /** Whether statements run in an open transaction (row locks are then worth taking). */
  readonly inTransaction: boolean;
}

export class StatementCounter {
  count = 0;
}

/** Statements through `queryable` (a pool or a client), counted. */
export function pgSession(queryable: pg.Pool | pg.PoolClient, counter: StatementCounter, inTransaction: boolean) {
  const session: PgSession = {
    inTransaction,
    query: <R extends pg.QueryResultRow>(sql: string, params: readonly PgParam[] = []) => {
      counter.count++;
      return translateErrors(() => queryable.query<R>(sql, params as unknown[]));
    },
  };
  return session;
}

/**
 * Runs `work`, turning the database being out of reach or too slow to answer into
 * SERVICE_UNAVAILABLE and text that PostgreSQL cannot store into BAD_USER_INPUT; the driver's
 * error stays as `cause`.
 */
export async function translateErrors<R>(work: () => Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (error) {
    if (isUnreachable(error)) throw Object.assign(new ServiceUnavailableError(), { cause: error });
    if (isTimeout(error)) {
      throw Object.assign(new ServiceUnavailableError("the database did not answer in time; try again shortly"), {
        cause: error,
      });
    }
    if (isUnstorableText(error)) {
      throw Object.assign(new BadUserInputError("text and JSON cannot contain the NUL character (\\u0000)"), {
        cause: error,
      });
    }
    throw error;
  }
}
